"""Every ``DeadlinePolicy`` row, read once per process and per policies version.

A page may ask for several clocks' policies (the proposal page: seven times); each
used to be a query. The rows are few and change rarely, so each process keeps them
all, as plain values, under a version token stored in the shared cache (the pattern
of ``cppcc_portal.workdays``): saving or deleting a policy, in a form, the admin, a
queryset ``update``/``delete`` or a ``bulk_create``/``bulk_update``, stores a new
token when the transaction commits and drops this process's copy. Every process
compares its token with the cache's at most once a second and at the start of each
request and task, so a page costs at most one cache read and no query.

A process that has written a policy and not committed yet reads the table directly
(its own change is not final, other processes cannot see it, and a rollback would
leave a copy built on it stale) until its transaction ends.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid

from celery.signals import task_prerun
from django.core.cache import cache
from django.core.signals import request_started
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

VERSION_CACHE_KEY = "deadlines:policies:version"
VERSION_CHECK_SECONDS = 1.0
_lock = threading.Lock()
_snapshot: tuple[str, dict[str, tuple]] | None = None  # (version, key -> field values)
_next_check = 0.0
_dirty = False  # this process wrote a policy in a transaction that has not ended yet


_names: list[str] = []


def _fields() -> list[str]:
    if not _names:
        from .models import DeadlinePolicy

        _names.extend(field.attname for field in DeadlinePolicy._meta.concrete_fields)
    return _names


def _cached_version() -> str:
    version = cache.get(VERSION_CACHE_KEY)
    if version is None:
        cache.add(VERSION_CACHE_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_CACHE_KEY) or "local"
    return version


def _rows() -> dict[str, tuple] | None:
    """The policies by key as field values, or None when they must be read from the table."""
    global _snapshot, _next_check, _dirty
    if _dirty:
        if connection.in_atomic_block:
            return None
        with _lock:  # the writing transaction has ended: committed (and bumped) or rolled back
            _dirty, _snapshot, _next_check = False, None, 0.0
    snapshot, now = _snapshot, time.monotonic()
    if snapshot is not None and now < _next_check:
        return snapshot[1]
    from .models import DeadlinePolicy

    with _lock:
        version = _cached_version()  # read before the rows: a change committed meanwhile bumps it again
        snapshot = _snapshot
        if snapshot is None or snapshot[0] != version:
            names = _fields()
            rows = {values[names.index("key")]: values for values in DeadlinePolicy.objects.values_list(*names)}
            snapshot = _snapshot = (version, rows)
        _next_check = time.monotonic() + VERSION_CHECK_SECONDS
    return snapshot[1]


def _instance(values: tuple):
    from .models import DeadlinePolicy

    # Each caller gets its own object (and its own lists): changing one never changes the copy.
    return DeadlinePolicy.from_db("default", _fields(), copy.deepcopy(values))


def cached_policies(keys) -> tuple[dict, list[str]]:
    """The policies held for ``keys`` (new objects), and the keys that must be read from the table."""
    rows = _rows()
    if rows is None:
        return {}, list(keys)
    found, missing = {}, []
    for key in keys:
        if key in rows:
            found[key] = _instance(rows[key])
        else:
            missing.append(key)
    return found, missing


def expire_version_check(**_kwargs: object) -> None:
    """Compare the version with the cache on the next call (each request and task)."""
    global _next_check
    _next_check = 0.0


def forget() -> None:
    """Drop this process's copy; the next call reads the table again (tests, after a flush)."""
    global _snapshot, _next_check, _dirty
    with _lock:
        _snapshot, _next_check, _dirty = None, 0.0, False


def bump_version() -> None:
    """Tell every process the policies changed: each reads them again on its next call."""
    cache.set(VERSION_CACHE_KEY, uuid.uuid4().hex, None)
    forget()


def policies_changed(**_kwargs: object) -> None:
    """A write to the policy table: read it directly until the transaction ends, then bump."""
    global _dirty
    _dirty = True
    transaction.on_commit(bump_version)


def connect_signals() -> None:
    from .models import DeadlinePolicy

    post_save.connect(policies_changed, sender=DeadlinePolicy, dispatch_uid="deadline-policy-save")
    post_delete.connect(policies_changed, sender=DeadlinePolicy, dispatch_uid="deadline-policy-delete")
    request_started.connect(expire_version_check, dispatch_uid="deadline-policy-version-request")
    task_prerun.connect(expire_version_check, dispatch_uid="deadline-policy-version-task", weak=False)
