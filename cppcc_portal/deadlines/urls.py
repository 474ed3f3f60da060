from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("", views.board, name="board"),
    path("export/", views.export, name="export"),
]
