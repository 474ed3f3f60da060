"""The portal as a phone app: the web app manifest and the service worker, served by the portal
itself at the site's root (a service worker only controls pages under its own path).

The service worker keeps the portal's static files and the pages with an offline form
(``OFFLINE_PAGES``) on the phone, so a member can open them without a network; the form
itself is kept and sent later by ``static/js/offline.js`` (exactly once: each form carries
a one-time ``form_token`` the services file once)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# Pages a member fills in on the road: kept on the phone after each visit (regular expressions on the path).
OFFLINE_PAGES = (
    r"^/$",
    r"^/opinions/new/$",
    r"^/opinions/micro/new/$",
    r"^/proposals/new/$",
    r"^/consultations/research/\d+/$",
)
STATIC_FILES = (
    "bootstrap/css/bootstrap.min.css",
    "bootstrap/js/bootstrap.bundle.min.js",
    "django_htmx/htmx.min.js",
    "css/portal.css",
    "js/portal.js",
    "js/filepicker.js",
    "js/offline.js",
    "js/pwa.js",
    "img/icon-192.png",
)
# A new value makes phones drop the old caches (bump with the static files' layout).
CACHE_VERSION = "2026-12-1"


@require_safe
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": settings.PORTAL_NAME,
        "short_name": "区政协履职",
        "description": "委员履职、提案、社情民意、微建议，随时随地。",
        "lang": "zh-CN",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f8f9fa",
        "theme_color": "#b21818",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@require_safe
@cache_control(no_cache=True, max_age=0)
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "cppcc_portal/sw.js",
        {
            "version": CACHE_VERSION,
            "static_files": json.dumps([static(name) for name in STATIC_FILES]),
            "offline_pages": json.dumps(list(OFFLINE_PAGES)),
            "static_prefix": json.dumps(settings.STATIC_URL),
        },
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response
