"""Real-browser journeys: Playwright drives Debian's Chromium against live_server.

Every page a journey visits is saved as a screenshot under
``test-artifacts/<journey>/NN-name.png``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

# CI's host can be slowed several-fold by the other xdist worker (a page that
# answers in 50 ms here has taken over 5 s there); an assertion about what a
# page shows waits up to 20 s for it instead of Playwright's default 5 s.
expect.set_options(timeout=20_000)

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make there (looking up demo objects) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_PASSWORD = "demo-2026"


@pytest.fixture(autouse=True)
def _e2e_requirements(request):
    if request.node.get_closest_marker("e2e"):
        request.getfixturevalue("chromium_available")


@pytest.fixture
def shot(page, request):
    """``shot("login")`` saves the current page as the next numbered screenshot."""
    journey = request.node.module.__name__.rsplit(".", 1)[-1].removeprefix("test_").removesuffix("_journey")
    folder = ARTIFACTS / journey / re.sub(r"[^\w-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def _shot(name: str) -> Path:
        counter["n"] += 1
        path = folder / f"{counter['n']:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def browser_login(page, live_server):
    """Log in through the real login form; returns the page."""

    def _login(username: str, password: str = DEMO_PASSWORD):
        from members.models import User
        from tests.otp_support import fresh_recovery_code

        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        if "/accounts/2fa/" in page.url:  # staff and admin: the second factor, typed like a person would
            page.fill("#id_token", fresh_recovery_code(User.objects.get(username=username)))
            page.click("#two-factor-verify-form button[type=submit]")
            page.wait_for_load_state("networkidle")
        return page

    return _login
