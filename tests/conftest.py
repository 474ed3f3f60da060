"""Shared fixtures.

The demo district (``seed_demo``) is loaded once per test database and every
test sees it. Transactional tests end with a flush; the next test that asks for
``demo`` gets the district back from a snapshot taken right after seeding, so
it sees exactly the same rows (and keys) as every other test.

Tests that need PostgreSQL, Redis or Chromium run whenever those are there.
On a bare machine they are skipped with the reason shown; with ``CI=true`` a
missing service is a failure, never a skip.
"""

from __future__ import annotations

import io
import os
import shutil
import socket

import pytest
from django.core.management import call_command
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() == "true"
DEMO_PASSWORD = "demo-2026"


def require(available: bool, reason: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


_demo_snapshot: dict[str, str] = {}


def seed_demo_data() -> None:
    from members.models import User

    if User.objects.filter(username="unit_health").exists():
        return
    snapshot = _demo_snapshot.get(connection.alias)
    if snapshot is None:
        call_command("seed_demo", "--force", stdout=io.StringIO())
        _demo_snapshot[connection.alias] = connection.creation.serialize_db_to_string()
    else:
        _restore(snapshot)


def _restore(snapshot: str) -> None:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    # The flush's post_migrate re-created content types and permissions under new keys;
    # the snapshot brings back the originals that the district's rows point to.
    Permission.objects.all().delete()
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    connection.creation.deserialize_db_from_string(snapshot)
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_demo_data()


@pytest.fixture
def demo(db):
    """The demo district; re-seeded if a transactional test flushed it."""
    seed_demo_data()
    from members.models import User

    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def login(client, demo):
    """``login("member1")`` returns the test client logged in as that demo user."""

    def _login(username: str):
        client.force_login(demo[username])
        return client

    return _login


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
