"""Shared fixtures.

The demo district (``seed_demo``) is loaded once per test database and every
test sees it. Transactional tests end with a flush; the next test that asks for
``demo`` gets the district back from a snapshot taken right after seeding, so
it sees exactly the same rows (and keys) as every other test.

Tests that need PostgreSQL, Redis or Chromium run whenever those are there.
On a bare machine they are skipped with the reason shown; with ``CI=true`` a
missing service is a failure, never a skip.

Tiers: ``pytest_collection_modifyitems`` below marks the slow kinds by folder, fixture
and name (``e2e``, ``worker``, ``concurrency``, ``postgres``, ``redis``);
``make test-fast`` leaves them out, ``make test`` runs everything with pytest-xdist.
Under xdist each worker process has its own test database (pytest-django), media
folder, cache key prefix and Celery queue (``cppcc_portal/settings/test.py``); the
first worker seeds the demo and shares the snapshot, the others load it into their own
database (``tests/builders.py``, ``seed_demo_data``).
"""

from __future__ import annotations

import os
import re
import shutil
import socket

import pytest
from django.db import connection
from django.http import HttpResponse

from tests.builders import require, seed_demo_data


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        path = item.path.as_posix()
        fixtures = set(getattr(item, "fixturenames", ()))
        if "/tests/e2e/" in path:
            item.add_marker(pytest.mark.e2e)
        if "postgres" in fixtures:
            item.add_marker(pytest.mark.postgres)
        if "redis_url" in fixtures:
            item.add_marker(pytest.mark.redis)
            # One Redis database holds the broker's shared keys ("unacked", ...): such tests share one xdist worker.
            item.add_marker(pytest.mark.xdist_group("redis"))
        if path.endswith("/test_worker.py"):
            item.add_marker(pytest.mark.worker)
        name = item.name.lower()
        if "concurren" in name or "parallel" in name:
            item.add_marker(pytest.mark.concurrency)


@pytest.fixture(autouse=True)
def _calendar_follows_the_database():
    """A test's overrides vanish with its rollback or flush; so does the index built on them."""
    yield
    from cppcc_portal import workdays

    if workdays.index_has_overrides():
        workdays.forget_index()
    # Likewise the deadline policies a test changed (its rollback sends no signal).
    from cppcc_portal.deadlines import policy_cache

    policy_cache.forget()
    # And the cached permissions and groups: a new version, so no entry built on this test's rows survives it.
    from cppcc_portal import auth_cache

    auth_cache.bump_version()
    from cppcc_portal import notifications

    notifications.forget_unread_counts()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_demo_data()


@pytest.fixture
def demo(db):
    """The demo district; restored from the snapshot if a transactional test flushed it.

    Staff and the admin must sign in with a second factor: each gets a phone (TOTP device)
    whose current code is verified when the test first takes that user from the mapping, so
    ``force_login`` marks the session verified through django_otp.login (tests/otp_support.py).
    Verifying only the users a test uses keeps the fixture cheap (most tests use one or two). tests/cppcc_portal/test_two_factor.py covers the pages.
    """
    seed_demo_data()
    from members.models import User
    from tests.otp_support import VerifiedOnUse

    return VerifiedOnUse({user.username: user for user in User.objects.all()})


@pytest.fixture
def login(client, demo):
    """``login("member1")`` returns the test client logged in as that demo user."""

    def _login(username: str):
        client.force_login(demo[username])
        return client

    return _login


@pytest.fixture
def download(django_capture_on_commit_callbacks):
    """``download(client, url)``: a kept document (``cppcc_portal.generated``) as the office gets it.
    The first request queues its build and answers "正在生成…"; the build runs when the request's
    transaction would commit (here: the eager task, as a worker would); the page's poll then shows
    the link, and the link gives the file (read whole, so ``.content`` works as for any other
    download). Any other answer (a 403, a file served at once) is returned as it is."""

    def _download(client, url: str):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            assert "正在生成" in html, url
            status_url = re.search(r'hx-get="(/documents/generated/\d+/)"', html).group(1)
            poll = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
            link = re.search(r'href="(/documents/generated/\d+/download/)"', poll)
            assert link, f"{url}: the poll shows no link once built: {poll}"
            response = client.get(link.group(1))
        if response.streaming:
            whole = HttpResponse(b"".join(response.streaming_content), status=response.status_code)
            for header, value in response.items():
                whole[header] = value
            response = whole  # the client closed the file once it was read
        return response

    return _download


@pytest.fixture(autouse=True)
def _no_kept_files_left():
    """Kept documents a test built are files under MEDIA_ROOT/generated/ (their rows go with the
    test's rollback or flush; the files would stay): they go after each test."""
    yield
    from django.conf import settings

    shutil.rmtree(os.path.join(settings.MEDIA_ROOT, "generated"), ignore_errors=True)


@pytest.fixture
def postgres():
    require(connection.vendor == "postgresql", "PostgreSQL is not configured (set DATABASE_URL)")
    return connection


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    available = bool(url) and _port_open("127.0.0.1", 6379)
    require(available, "Redis is not available (set REDIS_URL and start redis-server)")
    return url


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def chromium_available():
    require(bool(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)), f"Chromium not found at {CHROMIUM}")
