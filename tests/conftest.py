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
database (``_seed_once_for_all_workers``).
"""

from __future__ import annotations

import fcntl
import io
import os
import shutil
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path

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


def seed_demo_data() -> None:
    from members.models import User

    if User.objects.filter(username="unit_health").exists():
        return
    snapshot = _demo_snapshot.get(connection.alias)
    if snapshot is not None:
        _restore(snapshot)
    elif not XDIST_RUN:
        _seed()
    else:
        _seed_once_for_all_workers()


def _seed() -> None:
    call_command("seed_demo", "--force", stdout=io.StringIO())
    _demo_snapshot[connection.alias] = connection.creation.serialize_db_to_string()


# Set by pytest-xdist in every worker of one run (the same value for all of them).
XDIST_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")


def _seed_once_for_all_workers() -> None:
    """Under xdist the first worker seeds and leaves the snapshot in a file; the others, each
    with its own database, wait for it and load it instead of seeding again (a lock file
    keeps them in line)."""
    path = Path(tempfile.gettempdir()) / f"cppcc-demo-{XDIST_RUN}-{connection.vendor}.json"
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _seed()
            partial = path.with_suffix(".partial")
            partial.write_text(_demo_snapshot[connection.alias], encoding="utf-8")
            partial.replace(path)
            return
    snapshot = path.read_text(encoding="utf-8")
    # A fresh test database still holds what the migrations wrote: the snapshot has those rows too.
    call_command("flush", interactive=False, verbosity=0)
    _restore(snapshot)
    _demo_snapshot[connection.alias] = snapshot


def _restore(snapshot: str) -> None:
    """Load the snapshot into the flushed database, a table at a time (foreign keys are
    checked at commit, so the order of tables does not matter)."""
    from collections import defaultdict

    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import transaction

    rows: dict[type, list] = defaultdict(list)
    links: dict[type, list] = defaultdict(list)  # auto-created many-to-many tables
    for item in serializers.deserialize("json", snapshot):
        model = type(item.object)
        rows[model].append(item.object)
        for name, targets in (item.m2m_data or {}).items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            links[through] += [through(**{f"{source}_id": item.object.pk, f"{target}_id": pk}) for pk in targets]
    with transaction.atomic():
        # The flush's post_migrate re-created content types and permissions under new keys;
        # the snapshot brings back the originals that the district's rows point to.
        Permission.objects.all().delete()
        ContentType.objects.all().delete()
        for model, objects in [*rows.items(), *links.items()]:
            with _stored_timestamps(model):
                model._base_manager.bulk_create(objects, batch_size=1000)
        # Rows came back with their keys; a flush may have restarted the id sequences
        # (``manage.py flush`` does), so move them past the restored keys (PostgreSQL).
        models = [*rows, *links]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    ContentType.objects.clear_cache()


@contextmanager
def _stored_timestamps(model):
    """bulk_create would stamp auto_now(_add) fields with the time of the restore; keep the
    snapshot's values instead (a raw ``save()`` does the same, one row at a time)."""
    stamped = [
        f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for field in stamped:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@pytest.fixture(autouse=True)
def _calendar_follows_the_database():
    """A test's overrides vanish with its rollback or flush; so does the index built on them."""
    yield
    from cppcc_portal import workdays

    if workdays.index_has_overrides():
        workdays.forget_index()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_demo_data()


@pytest.fixture
def demo(db):
    """The demo district; restored from the snapshot if a transactional test flushed it.

    Staff and the admin must sign in with a second factor: each gets a phone (TOTP device)
    whose current code is verified, so ``force_login`` marks the session verified through
    django_otp.login (tests/otp_support.py). tests/cppcc_portal/test_two_factor.py covers the pages.
    """
    seed_demo_data()
    from members.models import User
    from tests.otp_support import verify_where_required

    users = {user.username: user for user in User.objects.all()}
    verify_where_required(users.values())
    return users


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
