"""Celery application: one ``tasks.py`` per app, schedules in django-celery-beat."""

import os

from celery import Celery

# Serving processes default to production: a forgotten setting must never mean DEBUG on.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cppcc_portal.settings.production")

app = Celery("cppcc_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The deadline sweep's task lives with the engine, a package inside the platform app.
app.autodiscover_tasks(["cppcc_portal.deadlines"])
