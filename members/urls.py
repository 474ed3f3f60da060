from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("export/", views.member_export, name="export"),
    path("import/", views.member_import, name="import"),
    path("me/", views.member_me, name="me"),
    path("<int:pk>/", views.member_detail, name="detail"),
]
