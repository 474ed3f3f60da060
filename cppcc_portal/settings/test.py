"""Tests: the same code paths as production, made quick."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# The suite draws many PDFs as the same demo users; the throttle has its own test with a low limit.
PORTAL_PDF_PER_MINUTE = 1_000_000
# pytest-xdist runs the suite in several processes ("gw0", "gw1", ...; empty when serial).
# pytest-django already gives each its own test database; the rest of the shared state is
# split here: uploaded files, cache keys and the Celery queue a real worker test listens on.
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / (TEST_WORKER or "main")
# Tasks run in-process unless a test starts a real worker (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_EAGER", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = f"celery-{TEST_WORKER}" if TEST_WORKER else "celery"
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES["default"]["KEY_PREFIX"] = f"test-{TEST_WORKER or 'main'}"
