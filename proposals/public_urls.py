from django.urls import path

from . import views

app_name = "public_proposals"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
]
