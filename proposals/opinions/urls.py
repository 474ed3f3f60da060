from django.urls import path

from . import views

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
]
