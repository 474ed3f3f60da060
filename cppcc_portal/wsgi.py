import os

from django.core.wsgi import get_wsgi_application

# Serving processes default to production: a forgotten setting must never mean DEBUG on.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cppcc_portal.settings.production")
application = get_wsgi_application()

from cppcc_portal.warmup import warm_up_and_freeze  # noqa: E402 (needs Django set up)

warm_up_and_freeze()
