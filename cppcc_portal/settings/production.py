"""Production: gunicorn behind a reverse proxy, PostgreSQL, Redis.

Refuses to start without a secret key and allowed hosts.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
PORTAL_TWO_FACTOR_ENFORCED = True  # never off in production, whatever the environment says
for _required in ("DJANGO_SECRET_KEY", "ALLOWED_HOSTS"):
    if not os.environ.get(_required):
        raise ImproperlyConfigured(f"{_required} must be set in production")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Behind one TLS-terminating proxy by default (see cppcc_portal.security.client_ip).
PORTAL_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "1"))
