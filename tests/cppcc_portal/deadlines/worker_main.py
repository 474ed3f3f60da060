"""Start a real Celery worker for the worker test, with the test clock installed.

Run as a script by ``test_worker.py``: Django settings ``cppcc_portal.settings.test``
with ``DATABASE_URL`` naming the test's database, ``REDIS_URL`` the broker and
``CELERY_EAGER=0``. E-mail goes to files in ``WORKER_MAIL_DIR`` so the test can
count what was sent.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cppcc_portal.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402

from cppcc_portal.celery import app  # noqa: E402
from cppcc_portal.deadlines import registry  # noqa: E402
from tests.cppcc_portal.deadlines import fakes  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = os.environ["WORKER_MAIL_DIR"]
# Only the test clock: the demo district's own proposals are not this test's business.
registry._sources.clear()
fakes.install()
# A restarted worker takes back the killed worker's unacknowledged message after this.
# (The Django-namespaced key wins over the plain one: set both.)
_options = {"visibility_timeout": int(os.environ.get("WORKER_VISIBILITY_TIMEOUT", "3600"))}
app.conf["broker_transport_options"] = app.conf["CELERY_BROKER_TRANSPORT_OPTIONS"] = _options

if __name__ == "__main__":
    app.worker_main(
        ["worker", "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    )
