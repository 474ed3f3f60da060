"""A proposal list's total (共 N 条), cached while nothing it counts has changed (PostgreSQL).

Counting a district's 100k proposals reads the whole visibility index on every page view of
/proposals/ (and /proposals/review/ counts its two queues on every view). The count is cached
under the write version (``cppcc_portal.writeversion``) of the tables the list's visibility and
filters read (proposals, assignments, co-signers, members' names): any write to one counts afresh,
and nothing is kept while a writer to one is uncommitted, nor inside a transaction. The key holds
the count's SQL and parameters too: each user's visibility, each filter and today's date
(overdue) count apart. Elsewhere (SQLite) the list counts every time.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.utils.functional import cached_property

from cppcc_portal import writeversion

VERSIONED_TABLES = ("proposals_proposal", "proposals_assignment", "proposals_signer", "members_member")
VERSION = writeversion.register("proposal_list", VERSIONED_TABLES)
# Only bounds what the cache holds: a write replaces the count at once.
COUNT_SECONDS = 3600


def list_version() -> tuple[str, bool] | None:
    """The write version of the list's tables, and whether a count taken now may be cached under it;
    None where there is no version (SQLite)."""
    stamp = writeversion.read(VERSION)
    return None if stamp is None else (stamp.value, stamp.settled)


def list_count(queryset: QuerySet) -> int:
    """``queryset.count()``, from the cache when nothing the list reads was written since it was counted."""
    return list_counts(queryset)[0]


def list_counts(*querysets: QuerySet) -> list[int]:
    """``list_count`` of each (one page's lists): the version read once, the cache asked once."""
    items = []
    for queryset in querysets:
        ids = queryset.select_related(None).prefetch_related(None).order_by().values("pk")
        try:
            sql, params = ids.query.sql_with_params()
        except EmptyResultSet:  # .none(), or a filter on an empty list: nothing to count
            items.append(((None, ()), lambda: 0))
            continue
        items.append(((sql, params), lambda sql=sql, params=params: _count(sql, params)))
    return writeversion.cached_many("proposals-list-count", items, watching=VERSION, seconds=COUNT_SECONDS)


def _count(sql: str, params: tuple) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) counted", params)  # nosec B608: Django's SQL, bound values
        return cursor.fetchone()[0]


class CountedPaginator(Paginator):
    """Django's paginator, its total counted by ``list_count`` (the admin changelist's pager: an
    unfiltered COUNT(*) reads all 100k proposals on every view)."""

    @cached_property
    def count(self) -> int:
        return list_count(self.object_list)
