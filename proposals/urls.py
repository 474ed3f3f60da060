from django.urls import path

from . import views, views_key
from .actions import ACTION_PAGES

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("export/", views.proposal_export, name="export"),
    path("new/", views.proposal_new, name="new"),
    path("similar/", views.similar_hint, name="similar"),
    path("review/", views.review_queue, name="review-queue"),
    path("followups/", views.followups, name="followups"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:session_pk>/catalogue.xlsx", views.catalogue_xlsx, name="catalogue"),
    path("documents/<int:session_pk>/compilation.docx", views.compilation_docx, name="compilation"),
    path("documents/<int:session_pk>/replies.docx", views.replies_docx, name="replies-compilation"),
    path("documents/<int:session_pk>/handover/<int:unit_pk>.pdf", views.handover_pdf, name="handover-pdf"),
    path("documents/<int:session_pk>/key-report.pdf", views_key.key_report_pdf, name="key-report-pdf"),
    path("documents/<int:session_pk>/key-report.docx", views_key.key_report_docx, name="key-report-docx"),
    path("key/", views_key.key_selections, name="key-selections"),
    path("key/<int:pk>/", views_key.key_selection, name="key-selection"),
    path("letters/<int:pk>.pdf", views.letter_pdf, name="letter-pdf"),
    path("letters/<int:pk>.docx", views.letter_docx, name="letter-docx"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("<int:pk>/pdf/", views.proposal_pdf, name="pdf"),
    path("<int:pk>/merge/targets/", views.merge_targets, name="merge-targets"),
] + [
    # Each workflow action lives at /proposals/<id>/<action>/ (GET: form, POST: do it).
    path(f"<int:pk>/{action}/", views.proposal_action, {"action": action}, name=action)
    for action in ACTION_PAGES
]
