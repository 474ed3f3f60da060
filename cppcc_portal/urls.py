from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import generated_views, pwa, views
from .stats import views as stats_views

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("notifications/read-all/", views.notification_read_all, name="notifications-read-all"),
    path("accounts/", include("members.account_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/2fa/", include("cppcc_portal.twofactor.urls")),
    path("members/", include("members.urls")),
    path("proposals/", include("proposals.urls")),
    path("public/proposals/", include("proposals.public_urls")),
    path("consultations/", include("consultations.urls")),
    path("stations/", include("liaison_stations.urls")),
    path("opinions/", include("proposals.opinions.urls")),
    path("deadlines/", include("cppcc_portal.deadlines.urls")),
    path("notices/", include("members.notices.urls")),
    path("stats/", stats_views.stats, name="stats"),
    path("stats/<slug:section>/", stats_views.stats_section_page, name="stats-section"),
    path("stats/<slug:section>/<slug:table>.xlsx", stats_views.stats_export, name="stats-export"),
    path("stats/<slug:section>/pdf/", stats_views.stats_pdf, name="stats-pdf"),
    path("stats/<slug:section>/docx/", stats_views.stats_docx, name="stats-docx"),
    path("documents/generated/<int:pk>/", generated_views.document_status, name="generated-document"),
    path(
        "documents/generated/<int:pk>/download/",
        generated_views.document_download,
        name="generated-document-download",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "cppcc_portal.views.bad_request"
handler403 = "cppcc_portal.views.permission_denied"
handler404 = "cppcc_portal.views.page_not_found"
handler500 = "cppcc_portal.views.server_error"
