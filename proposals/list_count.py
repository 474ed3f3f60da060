"""A proposal list's total (共 N 条), cached while nothing it counts has changed (PostgreSQL).

Counting a district's 100k proposals reads the whole visibility index on every page view of
/proposals/ (and /proposals/review/ counts its two queues on every view). Migration
proposals 0021 adds a sequence that a statement-level trigger advances on every write to the
tables the list's visibility and filters read (proposals, assignments, co-signers, members' names);
the trigger also takes a shared advisory lock that the writer holds until its transaction ends.
A count is cached under the sequence's value read *before* counting, and only when, right after
that read, no writer held the lock (every write the value announces was committed or rolled back,
so the count sees it) and the counting connection itself had written nothing (its own uncommitted
rows could still be rolled back). The key holds the count's SQL and parameters too: each user's
visibility, each filter and today's date (overdue) count apart. Elsewhere (SQLite, or before the
migration) the list counts every time.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

SEQUENCE = "proposal_list_version"
# The advisory lock (a fixed key) the trigger takes shared for the writer's transaction.
WRITERS_LOCK = 7_340_021
# The tables migration proposals 0021 watches.
VERSIONED_TABLES = ("proposals_proposal", "proposals_assignment", "proposals_signer", "members_member")
# Only bounds what the cache holds: a write changes the key at once.
COUNT_SECONDS = 3600


def list_version() -> tuple[str, bool] | None:
    """The write version of the list's tables, and whether a count taken now may be cached under it
    (see above); None where there is no version (SQLite, no migration)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        # No row (rather than an error that would spoil the transaction) where the migration has not run.
        # OFFSET 0 keeps the inner query a step of its own: the version is read before the lock is tried.
        cursor.execute(
            "SELECT version, oid, pg_current_xact_id_if_assigned() IS NULL"
            " AND CASE WHEN pg_try_advisory_lock(%s) THEN pg_advisory_unlock(%s) ELSE false END"
            " FROM (SELECT pg_sequence_last_value(oid) AS version, oid FROM pg_class"
            " WHERE relname = %s AND relkind = 'S' OFFSET 0) current",
            [WRITERS_LOCK, WRITERS_LOCK, SEQUENCE],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    last_value, oid, settled = row
    # The sequence's oid tells a recreated database (a test run) from the one the cache saw.
    return f"{oid}.{last_value}", settled


def list_count(queryset: QuerySet) -> int:
    """``queryset.count()``, from the cache when nothing the list reads was written since it was counted."""
    return list_counts(queryset)[0]


def list_counts(*querysets: QuerySet) -> list[int]:
    """``list_count`` of each (one page's lists): the version read once, the cache asked once."""
    version = list_version()
    if version is None:
        return [queryset.count() for queryset in querysets]
    version, settled = version
    queries = []
    for queryset in querysets:
        ids = queryset.select_related(None).prefetch_related(None).order_by().values("pk")
        try:
            sql, params = ids.query.sql_with_params()
        except EmptyResultSet:  # .none(), or a filter on an empty list: nothing to count
            queries.append((None, "", ()))
            continue
        digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        queries.append((f"proposals:list-count:{version}:{digest}", sql, params))
    cached = cache.get_many([key for key, _sql, _params in queries if key])
    totals, fresh = [], {}
    for key, sql, params in queries:
        if key is None:
            totals.append(0)
            continue
        if key not in cached:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({sql}) counted", params)  # nosec B608: Django's SQL, bound values
                (total,) = cursor.fetchone()
            cached[key] = fresh[key] = total
        totals.append(cached[key])
    if settled and fresh:
        cache.set_many(fresh, COUNT_SECONDS)
    return totals
