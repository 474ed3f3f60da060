"""Development and demo: safe defaults so ``make run`` needs nothing set.

The development key is public, so it is only ever used with ``DEBUG`` on (a laptop);
with ``DEBUG`` off these settings refuse to start unless a real key is set.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", True)
if not os.environ.get("DJANGO_SECRET_KEY"):
    if not DEBUG:
        raise ImproperlyConfigured(
            "cppcc_portal.settings.local has no DJANGO_SECRET_KEY and DEBUG is off: "
            "use cppcc_portal.settings.production to serve the portal, or set DJANGO_DEBUG=true on a laptop"
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# The demo logins (admin, staff …) sign in with the password alone on a laptop. Anyone who
# turns two-factor on for themselves is still asked for the code.
PORTAL_TWO_FACTOR_ENFORCED = env_bool("PORTAL_TWO_FACTOR_ENFORCED", False)
