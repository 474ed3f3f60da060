from django.urls import path

from . import views, views_issues, views_micro

app_name = "opinions"

urlpatterns = [
    path("", views.opinion_list, name="list"),
    path("new/", views.opinion_new, name="new"),
    path("<int:pk>/", views.opinion_detail, name="detail"),
    path("<int:pk>/edit/", views.opinion_edit, name="edit"),
    path("<int:pk>/confirm/", views.opinion_confirm, name="confirm"),
    path("<int:pk>/decide/", views.opinion_decide, name="decide"),
    path("<int:pk>/reporting/", views.opinion_reporting, name="reporting"),
    path("<int:pk>/instructions/new/", views.opinion_instruction, name="instruction"),
    path("<int:pk>/feedback/new/", views.opinion_feedback, name="feedback"),
    path("<int:pk>/channel/", views.opinion_channel, name="channel"),
    path("<int:pk>/higher-adoptions/new/", views.opinion_higher_adoption, name="higher-adoption"),
    # 《社情民意》 issues and 专报
    path("issues/", views_issues.issue_list, name="issues"),
    path("issues/new/", views_issues.issue_new, name="issue-new"),
    path("issues/<int:pk>/", views_issues.issue_detail, name="issue"),
    path("issues/<int:pk>/send/", views_issues.issue_send, name="issue-send"),
    path("issues/<int:pk>/pdf/", views_issues.issue_pdf, name="issue-pdf"),
    path("issues/<int:pk>/docx/", views_issues.issue_docx, name="issue-docx"),
    # 微建议 / 微监督
    path("micro/", views_micro.micro_list, name="micro-list"),
    path("micro/new/", views_micro.micro_new, name="micro-new"),
    path("micro/<int:pk>/", views_micro.micro_detail, name="micro"),
    path("micro/<int:pk>/answer/", views_micro.micro_answer, name="micro-answer"),
    path("micro/<int:pk>/raise/", views_micro.micro_raise, name="micro-raise"),
]
