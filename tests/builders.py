"""Builders shared by every test folder: the demo district, its password, ``require``.

``seed_demo_data`` loads the demo district (``seed_demo``) once per test database; later
calls restore it from a snapshot taken right after seeding, so every test sees the same
rows and keys. Under pytest-xdist the first worker seeds and shares the snapshot in a
file, the others load it into their own database.
"""

from __future__ import annotations

import fcntl
import io
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

DEMO_PASSWORD = "demo-2026"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(available: bool, reason: str) -> None:
    """Skip the test when a service it needs is missing; with ``CI=true``, fail instead."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@contextmanager
def uncommitted(write: Callable[[], object]) -> Iterator[None]:
    """``write()`` done in another thread's transaction, which stays open (written, not committed)
    for the ``with`` block and commits when the block ends: what a reader sees while another
    writer is still in flight."""
    written, release = threading.Event(), threading.Event()

    def writer() -> None:
        try:
            with transaction.atomic():
                write()
                written.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert written.wait(30), "the other transaction did not write"
        yield
    finally:
        release.set()
        thread.join(30)


def page_and_queries(client, url: str, status: int = 200, *, data=None, tokens: bool = False) -> tuple[str, list[str]]:
    """``client.get(url, data)``: the page and the SQL it ran. Unless ``tokens``, the page is shown
    less its per-request CSRF tokens and nonces, so that two requests of one cached page compare equal."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == status
    html = response.content.decode()
    if not tokens:
        html = re.sub(r'(value|content|nonce)="[A-Za-z0-9+/=_-]{20,}"', "", html)
    return html, [query["sql"] for query in ctx.captured_queries]


# connection alias -> the serialized demo district, taken right after seeding
demo_snapshot: dict[str, str] = {}


def seed_demo_data() -> None:
    from members.models import User

    if User.objects.filter(username="unit_health").exists():
        return
    snapshot = demo_snapshot.get(connection.alias)
    if snapshot is not None:
        _restore(snapshot)
    elif not XDIST_RUN:
        _seed()
    else:
        _seed_once_for_all_workers()


def _seed() -> None:
    call_command("seed_demo", "--force", stdout=io.StringIO())
    demo_snapshot[connection.alias] = connection.creation.serialize_db_to_string()


# Set by pytest-xdist in every worker of one run (the same value for all of them).
XDIST_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")


def _seed_once_for_all_workers() -> None:
    """Under xdist the first worker seeds and leaves the snapshot in a file; the others, each
    with its own database, wait for it and load it instead of seeding again (a lock file
    keeps them in line)."""
    path = Path(tempfile.gettempdir()) / f"cppcc-demo-{XDIST_RUN}-{connection.vendor}.json"
    media = path.with_suffix(".media")
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _seed()
            # The demo's uploaded files (photos, attachments) go with the rows: each worker has
            # its own MEDIA_ROOT.
            if Path(settings.MEDIA_ROOT).exists():
                shutil.copytree(settings.MEDIA_ROOT, media, dirs_exist_ok=True)
            partial = path.with_suffix(".partial")
            partial.write_text(demo_snapshot[connection.alias], encoding="utf-8")
            partial.replace(path)
            return
    snapshot = path.read_text(encoding="utf-8")
    if media.exists():
        shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    # A fresh test database still holds what the migrations wrote: the snapshot has those rows too.
    call_command("flush", interactive=False, verbosity=0)
    _restore(snapshot)
    demo_snapshot[connection.alias] = snapshot


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
