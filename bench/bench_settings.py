"""Settings for ``bench/pages.py``'s throughput run only: the demo settings with a URLconf
that adds one trivial logged-in view. Never used to serve the portal."""

from cppcc_portal.settings.local import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
