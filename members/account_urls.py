"""The signed-in user's own account pages, mounted under ``accounts/`` (no namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("preferences/", views.notification_preferences, name="notification-preferences"),
]
