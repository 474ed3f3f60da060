from django.urls import path

from . import views
from .performance.urls import urlpatterns as performance_urlpatterns

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("export/", views.member_export, name="export"),
    path("import/", views.member_import, name="import"),
    path("me/", views.member_me, name="me"),
    path("pick/", views.member_pick, name="pick"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("committees/", views.workspace_list, name="committees"),
    path("committees/<int:pk>/", views.committee_workspace, name="committee"),
    path("groups/<int:pk>/", views.activity_group_workspace, name="activity-group"),
    *performance_urlpatterns,
]
