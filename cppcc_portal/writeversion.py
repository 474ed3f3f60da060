"""Write versions: numbers the database moves on every write to a set of tables, for caching
what is read from them.

A version has a name and the tables it watches (``register``); ``WHOLE`` watches every table
except those written by the machinery rather than by people's work (sessions, the migration log,
login and 2FA bookkeeping, Celery beat's schedule). Each is, on PostgreSQL, a sequence
(non-transactional, so no writer waits on another) advanced by a statement-level trigger on
each watched table; so bulk updates and raw SQL move it too, and every process sees it whatever
the cache backend. ``install`` puts them in place after every ``migrate`` (``post_migrate``), so
a table a later migration adds is watched too (``WHOLE``), and a table taken out of a version's
list stops moving it. On other databases there is no version and nothing is cached: SQLite is
the small embedded default, where computing every time is cheap.

A cached value is keyed by the name it is cached under and whatever else it depends on
(``cached``), and stored with the version it was built under: it is used only while the version
still reads the same, so a write shows on the next request, and a warm page costs one query per
version it reads. The key holds no version, so a write replaces what it outdates rather than
leaving it behind: what is kept grows with the parts asked for, not with the writes. Some answers
also change as time passes, which no write announces: a session that starts (``SECONDS``, the
default) or a day that ends (``DAY``: the caller puts the date in the parts, and a part that reads
nothing finer than the date is rebuilt only after a write or at midnight, not every minute).

The sequence moves at the writer's statement, before its commit: a value built meanwhile misses
the write, yet would be cached under the version that announces it. So each trigger first takes
a shared advisory lock of its version (``lock_key``), held until the writer's transaction ends
(writers share it and never wait on each other); reading a version also tries that lock
exclusively for the instant of the statement, after reading the sequence, and a value is stored
only when it got it: every writer the version counts has then committed or rolled back, and the
value built next sees its rows. Only writers to the version's own tables hold its lock, so a busy
table elsewhere (or a writer of another role, or a prepared transaction) neither stops caching
nor goes unnoticed, as it did with the previous look at ``pg_stat_activity``.

Nothing is cached or read from the cache inside a transaction: there a write of this very
transaction (seen by it, perhaps rolled back later) would be cached under a version the rest of
the world reads.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection

WHOLE = "portal"
SEQUENCE = f"{WHOLE}_write_version"
TRIGGER = f"{WHOLE}_write_bump"
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
# How long a value may stand without a write: a minute for what reads the clock (a session that
# has begun, an answer due within the hour), a day for what reads only the date (in its parts).
SECONDS = 60
DAY = 24 * 3600
# The first key of every version's advisory lock (the second is the name's checksum), so that
# no other advisory lock of the portal can take one of theirs.
LOCK_CLASS = 0x57_56_45_52

# name -> the tables it watches; None: every watched table.
_versions: dict[str, frozenset[str] | None] = {WHOLE: None}


@dataclass(frozen=True)
class Stamp:
    """A version as read: ``value`` keys what is cached; ``settled``: no writer it counts is still
    uncommitted and the reader is outside a transaction, so what is built now may be stored."""

    value: str
    settled: bool


def register(name: str, tables: Iterable[str]) -> str:
    """A version moved by every write to ``tables``; put in place by the next ``migrate``."""
    if not name.isidentifier() or not name.islower():
        raise ValueError(f"a version's name is a lower-case identifier: {name!r}")
    others = {lock_key(other): other for other in _versions if other != name}
    if lock_key(name) in others:
        raise ValueError(f"{name!r} and {others[lock_key(name)]!r} would share an advisory lock")
    _versions[name] = frozenset(tables)
    return name


def tables(name: str) -> frozenset[str] | None:
    """The tables ``name`` watches (None: every watched table)."""
    return _versions[name]


def names() -> list[str]:
    return sorted(_versions)


def sequence(name: str) -> str:
    return f"{name}_write_version"


def trigger(name: str) -> str:
    return f"{name}_write_bump"


def lock_key(name: str) -> int:
    """The second key of ``name``'s advisory lock: its checksum, as PostgreSQL's signed int4."""
    checksum = zlib.crc32(name.encode())
    return checksum - (1 << 32) if checksum >= 1 << 31 else checksum


def watched(table: str, name: str = WHOLE) -> bool:
    watching = _versions[name]
    if watching is None:
        return not table.startswith(UNWATCHED_PREFIXES)
    return table in watching


def install(using: str = "default", **_kwargs: Any) -> None:
    """Create each version's sequence and trigger function, and put its trigger on exactly the
    tables it watches (idempotent: only what is missing or no longer watched is touched)."""
    from django.db import connections

    target = connections[using]
    if target.vendor != "postgresql":
        return
    with target.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, ARRAY(SELECT t.tgname::text FROM pg_trigger t WHERE t.tgrelid = c.oid)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
        )
        triggers_on = {table: set(present) for table, present in cursor.fetchall()}
        for name in names():
            bump = trigger(name)
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {sequence(name)}")
            # The lock before the sequence: whoever sees the version moved finds the lock held.
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {bump}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                f" PERFORM pg_advisory_xact_lock_shared({LOCK_CLASS}, {lock_key(name)});"
                f" PERFORM nextval('{sequence(name)}'); RETURN NULL; END $$"
            )
            for table, present in sorted(triggers_on.items()):
                wanted = watched(table, name)
                if wanted and bump not in present:
                    cursor.execute(
                        f'CREATE TRIGGER {bump} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"'
                        f" FOR EACH STATEMENT EXECUTE FUNCTION {bump}()"
                    )
                elif not wanted and bump in present:
                    cursor.execute(f'DROP TRIGGER {bump} ON "{table}"')


def _in_transaction() -> bool:
    return connection.in_atomic_block or not connection.get_autocommit()


def read(name: str = WHOLE) -> Stamp | None:
    """``name``'s version now, or None where there is none (not PostgreSQL, not installed).

    One statement: the sequence first (a subquery kept apart by ``OFFSET 0``), then the lock,
    taken for the statement's own transaction (so never left held) and only outside a
    transaction (inside one it would be held to its end, and nothing is stored there anyway)."""
    if connection.vendor != "postgresql":
        return None
    in_transaction = _in_transaction()
    try_lock = "false" if in_transaction else "pg_try_advisory_xact_lock(%s, %s)"
    with connection.cursor() as cursor:
        # No row (rather than an error that would spoil a transaction) where ``install`` has not run.
        cursor.execute(
            f"SELECT current.version, current.oid, {try_lock} FROM (SELECT pg_sequence_last_value(c.oid) AS version,"  # nosec B608: our own SQL
            " c.oid FROM pg_class c WHERE c.oid = to_regclass(%s) AND c.relkind = 'S' OFFSET 0) current",
            ([] if in_transaction else [LOCK_CLASS, lock_key(name)]) + [sequence(name)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    last_value, oid, locked = row
    # The sequence's oid tells a recreated database (a test run) from the one the cache saw.
    return Stamp(f"{oid}.{last_value}", bool(locked))


def _stamp(name: str, request) -> Stamp | None:
    """``read(name)``, once per request when there is one; None inside a transaction."""
    if connection.vendor != "postgresql" or _in_transaction():
        return None
    if request is None:
        return read(name)
    stamps = request.__dict__.setdefault("_write_versions", {})
    if name not in stamps:
        stamps[name] = read(name)
    return stamps[name]


def version() -> str | None:
    """The whole database's write version, or None when there is none to trust (not
    PostgreSQL, not installed, or inside a transaction)."""
    stamp = _stamp(WHOLE, None)
    return stamp.value if stamp else None


def settled_version() -> str | None:
    """The write version, when every write it counts is committed: read outside a transaction,
    and no other transaction has written and not yet committed. What is read after this sees
    every write the version counts, so it may be labelled with it. None otherwise."""
    stamp = _stamp(WHOLE, None)
    return stamp.value if stamp and stamp.settled else None


def request_version(request) -> str | None:
    """``version()``, read once per request (a page caching several parts asks once)."""
    stamp = _stamp(WHOLE, request)
    return stamp.value if stamp else None


def key(name: str, watching: str, parts: Hashable) -> str:
    """Where the value ``name`` caches for ``parts`` lives, whatever the version (stored with it)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"writeversion:{name}:{watching}:{digest}"


def cached(
    name: str,
    parts: Hashable,
    build: Callable[[], Any],
    *,
    request=None,
    watching: str = WHOLE,
    seconds: int = SECONDS,
) -> Any:
    """``build()``, cached under ``name``, the version ``watching`` and ``parts`` (whatever else
    the answer depends on: the user, the filters, the date), for ``seconds`` at most. With
    ``request``, each version is read once for all the parts the request caches."""
    return cached_many(name, [(parts, build)], request=request, watching=watching, seconds=seconds)[0]


def cached_many(
    name: str,
    items: Sequence[tuple[Hashable, Callable[[], Any]]],
    *,
    request=None,
    watching: str = WHOLE,
    seconds: int = SECONDS,
) -> list[Any]:
    """``cached`` for several ``(parts, build)`` of one page: one version read, one cache round trip."""
    stamp = _stamp(watching, request)
    if stamp is None:
        return [build() for _parts, build in items]
    keys = [key(name, watching, parts) for parts, _build in items]
    found = cache.get_many(keys)
    values, fresh = [], {}
    for cache_key, (_parts, build) in zip(keys, items, strict=True):
        built_under, value = found.get(cache_key, (None, None))
        if built_under != stamp.value:  # never built, or built before a write since
            value = build()
            fresh[cache_key] = (stamp.value, value)
        values.append(value)
    if fresh and stamp.settled:
        cache.set_many(fresh, seconds)
    return values
