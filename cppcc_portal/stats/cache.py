"""Computed sections, cached under the write version of the tables the statistics read.

Every write to a table of ``STATS_TABLES`` moves a version the database itself keeps (cppcc_portal
migration 0007), so bulk updates and raw SQL move it too, and every process sees it whatever the
cache backend: on PostgreSQL a sequence advanced by a statement trigger, on SQLite a one-row table
that a row trigger gives a new random token inside the writer's transaction. A section is cached
under that version, the day, the year and the GET parameters it reads: a write shows on the next
request, and a cached section costs one query (the version).

PostgreSQL's sequence moves when the writer's statement runs, before its commit, and a reader must
not cache figures that miss a write the version already counts. The trigger also takes a shared
advisory lock, held until the writer's transaction ends, and a reader stores what it computed only
if, after reading the version and before computing, it could take that lock exclusively (no
writer that moved the version is still uncommitted); otherwise it computes and stores nothing.
Figures computed in a transaction that has written itself are keyed by its transaction id (on
SQLite, by the token its own writes set), so no other transaction sees them, nor, after a rollback,
anyone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

# Kept in step with migration cppcc_portal 0007 (and any later one that watches more tables);
# tests/cppcc_portal/test_stats_cache.py checks every table a section reads is here and watched.
STATS_TABLES = (
    "consultations_adoptionfeedback",
    "consultations_consultationform",
    "consultations_consultationplan",
    "consultations_delivery",
    "consultations_inspection",
    "consultations_instruction",
    "consultations_invitation",
    "consultations_outcome",
    "consultations_outsideparticipant",
    "consultations_researchproject",
    "consultations_session",
    "consultations_speech",
    "consultations_suggestion",
    "consultations_topic",
    "cppcc_portal_deadlinepolicy",
    "liaison_stations_livelihoodmatter",
    "liaison_stations_station",
    "liaison_stations_stationactivity",
    "liaison_stations_stationactivity_participants",
    "members_committee",
    "members_committeemembership",
    "members_fiveonesrequirement",
    "members_member",
    "members_memberyearscore",
    "members_organization",
    "members_party",
    "members_performancerecord",
    "members_plenarysession",
    "members_scoreband",
    "members_scoringrule",
    "members_sector",
    "members_term",
    "members_termmembership",
    "members_user",
    "proposals_assignment",
    "proposals_contactrecord",
    "proposals_evaluation",
    "proposals_proposal",
    "proposals_proposalcategory",
    "proposals_supervisionactivity",
)
WRITERS_LOCK = 7_301_0007  # the advisory lock the triggers share (migration 0007)
SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")
DEFAULT_SECONDS = 3600


def stats_version() -> str | None:
    """The write version of ``STATS_TABLES``, or None where there is none to trust."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # No row (rather than an error that would spoil the transaction) before the migration.
                cursor.execute(
                    "SELECT pg_sequence_last_value(oid), oid, pg_current_xact_id_if_assigned() FROM pg_class"
                    " WHERE relname = 'stats_version' AND relkind = 'S'"
                )
                row = cursor.fetchone()
                if row is None:
                    return None
                last_value, oid, own_xid = row
                # The oid tells a recreated database (a test run) from the one the cache saw.
                return f"{oid}.{last_value}" + (f".x{own_xid}" if own_xid is not None else "")
            if connection.vendor == "sqlite":
                cursor.execute("SELECT token FROM stats_version")
                row = cursor.fetchone()
                return f"s.{row[0]}" if row else None
    except DatabaseError:  # SQLite before the migration: nothing to trust, nothing spoilt
        return None
    return None


def _no_uncommitted_writer() -> bool:
    """True when no writer that moved the version is still uncommitted (PostgreSQL; see above)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_try_advisory_lock(%s) THEN pg_advisory_unlock(%s) ELSE false END",
            [WRITERS_LOCK, WRITERS_LOCK],
        )
        return bool(cursor.fetchone()[0])


def cached_section(
    key: str, year: int, params: Sequence[str], request, compute: Callable[[], Any], seconds: int
) -> Any:
    """``compute()``, or what it gave under the same version, day, year and GET ``params``."""
    version = stats_version()
    if version is None:
        return compute()
    asked = "&".join(f"{name}={request.GET.get(name, '')}" for name in params)
    digest = hashlib.sha256(asked.encode()).hexdigest()[:16]
    cache_key = f"stats:section:{key}:{version}:{timezone.localdate():%Y%m%d}:{year}:{digest}"
    hit = cache.get(cache_key)
    if hit is not None:
        return hit[0]
    storable = _no_uncommitted_writer()
    value = compute()
    if storable:
        cache.set(cache_key, (value,), seconds)
    return value


def install_sqlite_triggers(using_connection=connection) -> None:
    """(Re)create the SQLite triggers: a migration that rebuilds a table on SQLite drops its triggers."""
    if using_connection.vendor != "sqlite":
        return
    with using_connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {name for (name,) in cursor.fetchall()}
        if "stats_version" not in tables:
            return
        for table in STATS_TABLES:
            if table not in tables:
                continue
            for event in SQLITE_EVENTS:
                cursor.execute(
                    f'CREATE TRIGGER IF NOT EXISTS "stats_version_{table}_{event.lower()}" AFTER {event} ON "{table}"'
                    " BEGIN UPDATE stats_version SET token = lower(hex(randomblob(8))); END"
                )


def reinstall_after_migrate(using: str = "default", **_kwargs: object) -> None:
    from django.db import connections

    install_sqlite_triggers(connections[using])
