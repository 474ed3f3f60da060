"""A version every write to the portal's data advances, for caching what is read from it.

PostgreSQL only, as the board's counts (migration 0006): a sequence (non-transactional, so no
lock is taken and no writer waits on another) advanced by a statement-level trigger on every
table except those written by the machinery rather than by people's work (sessions, the
migration log, login and 2FA bookkeeping, Celery beat's schedule). The triggers are put on
after every ``migrate`` (``install``, from ``post_migrate``), so a table a later migration adds
is watched too; ``tests/cppcc_portal/test_write_version.py`` checks that none is missed.

A page part cached under the version is therefore read afresh after any write at all (even a
bulk update that sends no signal). Some answers also change as time passes (a session that
starts, a day that ends), which no write announces: keys carry the date and live
``SECONDS`` at most. Nothing is cached or read from the cache inside a transaction: there a
write of this very transaction (seen by it, perhaps rolled back later) would be cached under a
version the rest of the world reads; nor is anything cached while another transaction has
written and not yet committed (``_no_write_in_flight``). On other databases there is no
version and nothing is cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection

SEQUENCE = "portal_write_version"
TRIGGER = "portal_write_bump"
# Written by the machinery on its own (a session's last-seen time every minute, a login's
# attempts, the beat scheduler's last run), never read by a cached part. The kept documents
# (``cppcc_portal.generated``) are labelled with the version: saving one must not move it.
UNWATCHED_PREFIXES = (
    "django_session",
    "django_migrations",
    "django_celery_beat_",
    "axes_",
    "otp_",
    "cppcc_portal_generateddocument",
)
SECONDS = 60
_MISSING = object()


def watched(table: str) -> bool:
    return not table.startswith(UNWATCHED_PREFIXES)


def install(using: str = "default", **_kwargs: Any) -> None:
    """Create the sequence and put the trigger on every watched table that lacks it (idempotent)."""
    from django.db import connections

    target = connections[using]
    if target.vendor != "postgresql":
        return
    with target.cursor() as cursor:
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS"
            f" $$ BEGIN PERFORM nextval('{SEQUENCE}'); RETURN NULL; END $$"
        )
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
            " AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = %s)",
            [TRIGGER],
        )
        for (table,) in cursor.fetchall():
            if watched(table):
                cursor.execute(
                    f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"'
                    f" FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
                )


def version() -> str | None:
    """The write version, or None when there is none to trust (not PostgreSQL, not installed,
    or inside a transaction)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        # No row (rather than an error) where ``install`` has not run.
        cursor.execute(
            "SELECT pg_sequence_last_value(oid), oid FROM pg_class WHERE relname = %s AND relkind = 'S'", [SEQUENCE]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    last_value, oid = row
    # The sequence's oid tells a recreated database (a test run) from the one the cache saw.
    return f"{oid}.{last_value}"


def settled_version() -> str | None:
    """The write version, when every write it counts is committed: read outside a transaction,
    and no other transaction has written and not yet committed. What is read after this sees
    every write the version counts, so it may be labelled with it. None otherwise."""
    current = version()
    if current is None or not _no_write_in_flight():
        return None
    return current


def request_version(request) -> str | None:
    """``version()``, read once per request (a page caching several parts asks once)."""
    if not hasattr(request, "_portal_write_version"):
        request._portal_write_version = version()
    return request._portal_write_version


def cached(name: str, parts: tuple, build: Callable[[], Any], *, request=None) -> Any:
    """``build()``, cached under ``name``, the write version and ``parts`` (whatever else the
    answer depends on: the user, the filters, the date), for ``SECONDS`` at most. With
    ``request``, the version is read once for all the parts the request caches."""
    current = version() if request is None else request_version(request)
    if current is None:
        return build()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"writeversion:{name}:{current}:{digest}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        quiet = _no_write_in_flight()
        value = build()
        if quiet:
            cache.set(key, value, SECONDS)
    return value


def _no_write_in_flight() -> bool:
    """No other transaction of this database has written and not yet committed.

    A writer advances the version at its statement, before it commits: a page built meanwhile
    would not see the write, yet be cached under the version that announces it. Asked after the
    version was read and before the page is built, so every writer counted in that version has
    either committed (and the page sees its rows) or is still open (and nothing is cached).
    Transactions of other roles are hidden from a role without ``pg_read_all_stats``; the
    portal's own connections share one role."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid())"
        )
        return cursor.fetchone()[0]
