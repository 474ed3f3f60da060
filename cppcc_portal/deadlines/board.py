"""The 逾期与预警 board: every open clock due within N working days or overdue.

The database does the board's work. Each registered clock gives one branch of a
``UNION ALL`` (its open rows whose indexed due date is at most the horizon,
narrowed to the unit and the escalation level asked for); one query counts the
union (total, overdue, escalated) and one more reads a page ordered by due date,
taking from each clock only its first rows up to the end of the page (its due-date
index walked in order and stopped there), so the page never sorts every open row. Only the rows shown are then fetched as objects, one query per clock
that appears on the page, with their escalation level. Python work is per shown
row, never per open item; "working days overdue" comes from the working-day
index (``cppcc_portal.workdays``).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from types import SimpleNamespace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, DateField, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from cppcc_portal import workdays, writeversion

from .models import DeadlinePolicy, NoticeLedger
from .registry import ClockSource, all_sources, policies_for
from .sweep import reminder_bound

DEFAULT_WITHIN = 5
MAX_WITHIN = 60
LEVEL_ANNOTATION = "deadline_level_reached"
EXPORT_CHUNK = 1000
# The tables the board's counts read: the registered clocks' items, the rows their open filters
# join, the escalation markers. Every write to one moves the board's write version, so counts
# cached under it are those of the data as it stands. A source whose items live elsewhere (a
# test's throwaway clock) is always counted afresh.
VERSIONED_TABLES = frozenset(
    {
        "proposals_proposal",
        "proposals_assignment",
        "proposals_evaluation",
        "proposals_publicopinion",
        "proposals_microsuggestion",
        "consultations_session",
        "consultations_question",
        "consultations_outcome",
        "consultations_supervisionitem",
        "consultations_supervisionitem_departments",
        "consultations_supervisortask",
        "cppcc_portal_noticeledger",
    }
)
VERSION = writeversion.register("deadline_board", VERSIONED_TABLES)
# Kept briefly even when nothing was written: some clocks open or close as time passes (a
# session starting ends its reminder clock), which no write announces.
COUNTS_SECONDS = 60


@dataclass
class BoardRow:
    key: str
    clock: str
    title: str
    link: str
    unit: Any
    due: date
    rule: str
    today: date
    overdue: bool
    days: int  # working days left, or (when overdue) working days overdue
    level: int
    item: Any

    @property
    def status(self) -> str:
        return _status(self.due, self.today, self.days)

    @property
    def signed_days(self) -> int:
        return -self.days if self.overdue else self.days

    @property
    def level_label(self) -> str:
        return f"第{self.level}级" if self.level else "—"


def _status(due: date, today: date, days: int) -> str:
    if due < today:
        return f"逾期{days}个工作日" if days else "已逾期"
    if due == today:
        return "今天到期"
    return f"剩{days}个工作日"


def _paths(fields: tuple[str, ...]) -> dict:
    """``("proposal__title", "number")`` as a tree of attribute names, leaves the value's position."""
    tree: dict = {}
    for position, field in enumerate(fields):
        *parents, leaf = field.split("__")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = position
    return tree


def _plain_row(tree: dict, values) -> SimpleNamespace:
    """A row of values whose attributes follow the value paths (``row.proposal.title``)."""
    return SimpleNamespace(
        **{name: values[sub] if isinstance(sub, int) else _plain_row(sub, values) for name, sub in tree.items()}
    )


def _overrides(source: ClockSource, name: str) -> bool:
    return getattr(type(source), name) is not getattr(ClockSource, name) or name in vars(source)


def _escalations(source: ClockSource, content_type: ContentType):
    """The stage markers of escalations reached by the outer row's current due date."""
    return NoticeLedger.objects.filter(
        content_type=content_type,
        object_id=OuterRef("pk"),
        clock=source.key,
        due_on=OuterRef(source.due_field),
        recipient__isnull=True,
        level__gt=0,
    )


def _level_reached(source: ClockSource, content_type: ContentType):
    reached = _escalations(source, content_type).order_by("-level").values("level")[:1]
    return Coalesce(Subquery(reached, output_field=IntegerField()), Value(0))


def _as_date(value) -> date:
    """A date from a raw row (SQLite returns the stored text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


class Board:
    """The board a user may see under the filters: counted and paged in SQL.

    ``Paginator(board, 50)`` works on it: ``count()`` is one query, a slice one query
    for the page's keys (each clock's due-date index walked only as far as the page) plus
    one per model the clocks keep their items in and one for the escalation levels.
    """

    def __init__(
        self,
        *,
        user,
        today: date,
        within: int = DEFAULT_WITHIN,
        unit_id: int | None = None,
        clock: str = "",
        level: int | None = None,
        window: tuple[int, int] | None = None,
        links: bool = True,
    ) -> None:
        """``window`` (start, stop) is the page the caller will show (kept for callers; the page
        is read on its own, each clock's index walked only as far as the page)."""
        self.today = today
        self.window = window
        self.links = links  # the export prints no links: reversing a URL per row was 40 % of its time
        self.within = within
        self.horizon = reminder_bound(today, max(0, min(within, MAX_WITHIN)))
        sees_all = user.has_perm("cppcc_portal.see_all_deadlines")
        self.organization_id = unit_id if sees_all else getattr(user, "organization_id", None)
        self.visible = sees_all or self.organization_id is not None
        self.level = level
        self.sources = [source for source in all_sources() if not clock or source.key == clock]
        if not self.visible:
            self.sources = []

    # --- the SQL --------------------------------------------------------------------

    @cached_property
    def policies(self) -> dict[str, DeadlinePolicy]:
        return policies_for(source.key for source in self.sources)

    def _content_type(self, source: ClockSource) -> ContentType:
        return ContentType.objects.get_for_model(source.get_model())

    def _open(self, source: ClockSource):
        """One clock's rows on the board, unordered."""
        due_field = source.due_field
        queryset = (
            source.queryset().order_by().filter(**{f"{due_field}__isnull": False, f"{due_field}__lte": self.horizon})
        )
        if self.organization_id is not None:
            queryset = queryset.filter(source.unit_filter(self.organization_id))
        if self.level is not None:
            content_type = self._content_type(source)
            queryset = queryset.alias(**{LEVEL_ANNOTATION: _level_reached(source, content_type)}).filter(
                **{LEVEL_ANNOTATION: self.level}
            )
        return queryset

    def _branch(self, source: ClockSource):
        columns = {
            "board_due": F(source.due_field),
            "board_key": Value(source.key, output_field=CharField()),
            "board_pk": F("pk"),
        }
        # Every branch selects the same columns in the same order (annotation order).
        return self._open(source).annotate(**columns).values_list(*columns)

    def _first_keys_sql(self, count: int) -> tuple[str, tuple] | None:
        """The first ``count`` rows of the board in board order: each clock's first ``count`` by
        (due date, pk), read by walking its due-date index and stopping there (a LIMIT per branch),
        then the few hundred merged. Never reads every open row, however many are open."""
        parts, params = [], []
        for source in self.sources:
            branch = self._branch(source).order_by(source.due_field, "pk")[:count]
            try:
                sql, branch_params = branch.query.get_compiler(connection=connection).as_sql()
            except EmptyResultSet:  # e.g. a clock with no handling unit, on a unit's board
                continue
            parts.append(f"SELECT * FROM ({sql}) board_{len(parts)}")  # nosec B608 (SQLite takes no bare (SELECT) UNION)
            params.extend(branch_params)
        if not parts:
            return None
        return " UNION ALL ".join(parts), tuple(params)

    def _union(self):
        branches = [self._branch(source) for source in self.sources]
        if not branches:
            return None
        first, *rest = branches
        return first.union(*rest, all=True) if rest else first

    @cached_property
    def _sql(self) -> tuple[str, tuple] | None:
        """The union's SQL, compiled once for the count and every page, with whether each row's
        current due date has reached an escalation: one hash join against the escalation markers
        of these clocks (a per-row EXISTS probe cost more than the rest of the count at scale)."""
        union = self._union()
        if union is None:
            return None
        sql, params = union.query.get_compiler(connection=connection).as_sql()
        markers = (
            NoticeLedger.objects.markers()
            .filter(level__gt=0, clock__in=[source.key for source in self.sources])
            .values_list("clock", "object_id", "due_on")
            .order_by()
            .distinct()
        )
        markers_sql, markers_params = markers.query.get_compiler(connection=connection).as_sql()
        return (
            "SELECT board_open.board_due, board_open.board_key, board_open.board_pk,"
            " marker.clock IS NOT NULL AS board_escalated"
            f" FROM ({sql}) board_open LEFT JOIN ({markers_sql}) marker"  # nosec B608
            " ON marker.clock = board_open.board_key AND marker.object_id = board_open.board_pk"
            " AND marker.due_on = board_open.board_due",
            (*params, *markers_params),
        )

    def _counts_sql(self, over: str) -> str:
        return (
            f"COUNT(*){over},"
            f" COALESCE(SUM(CASE WHEN board.board_due < %s THEN 1 ELSE 0 END){over}, 0),"
            f" COALESCE(SUM(CASE WHEN board.board_escalated THEN 1 ELSE 0 END){over}, 0)"
        )

    @staticmethod
    def _summary(total: int, overdue: int, escalated: int) -> dict[str, int]:
        return {"total": total, "overdue": overdue, "escalated": escalated, "due_soon": total - overdue}

    @cached_property
    def summary(self) -> dict[str, int]:
        """Total, overdue, escalated: one pass over the open clocks, cached under the board's
        write version (``VERSION``) and every filter, for ``COUNTS_SECONDS`` at most. A cached
        answer compiles no SQL."""
        if not self.sources:
            return self._summary(0, 0, 0)
        if any(source.get_model()._meta.db_table not in VERSIONED_TABLES for source in self.sources):
            return self._count()
        parts = (
            tuple(sorted(source.key for source in self.sources)),
            self.today.isoformat(),
            self.horizon.isoformat(),
            self.organization_id,
            self.level,
        )
        return writeversion.cached(
            "deadlines-board-counts", parts, self._count, watching=VERSION, seconds=COUNTS_SECONDS
        )

    def _count(self) -> dict[str, int]:
        if self._sql is None:
            return self._summary(0, 0, 0)
        sql, params = self._sql
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {self._counts_sql('')} FROM ({sql}) board",  # nosec B608
                [DateField().get_db_prep_value(self.today, connection), *params],
            )
            return self._summary(*cursor.fetchone())

    def count(self) -> int:
        return self.summary["total"]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[BoardRow]:
        if not isinstance(window, slice):
            raise TypeError("The board is read a page at a time")
        start, stop = window.start or 0, window.stop
        if not self.sources or (stop is not None and stop <= start):
            return []
        if stop is None:
            return list(self)[start:]
        # The page, as the counts, is the same for everyone who sees the same units: cached under
        # the write version of all the data it shows (items, units, policies, the calendar).
        parts = (
            tuple(sorted(source.key for source in self.sources)),
            self.organization_id,
            self.level,
            self.today.isoformat(),
            self.horizon.isoformat(),
            self.links,
            int(start),
            int(stop),
        )
        return writeversion.cached("deadlines-page", parts, lambda: self._page(int(start), int(stop)))

    def _page(self, start: int, stop: int) -> list[BoardRow]:
        first = self._first_keys_sql(int(stop))
        if first is None:
            return []
        sql, params = first
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT board.board_due, board.board_key, board.board_pk"
                f" FROM ({sql}) board ORDER BY 1, 2, 3 LIMIT {int(stop) - int(start)} OFFSET {int(start)}",  # nosec B608
                params,
            )
            keys = [(_as_date(due), key, pk) for due, key, pk in cursor.fetchall()]
        return self._rows(keys)

    def __iter__(self) -> Iterator[BoardRow]:
        """Every row (the export): the ordered keys in one pass over the open clocks (three
        columns a row, small even for a city), then the objects a chunk at a time. Paging with
        OFFSET would scan the open clocks again for every chunk."""
        if self._sql is None:
            return
        sql, params = self._sql
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT board.board_due, board.board_key, board.board_pk FROM ({sql}) board ORDER BY 1, 2, 3",  # nosec B608
                params,
            )
            keys = [(_as_date(due), key, pk) for due, key, pk in cursor.fetchall()]
        for start in range(0, len(keys), EXPORT_CHUNK):
            yield from self._rows(keys[start : start + EXPORT_CHUNK])

    # --- the export: plain values ---------------------------------------------------

    def export_rows(self) -> Iterator[list]:
        """Every row the user may see, in board order, as the export's cells (title, unit, clock,
        due, rule, status, signed working days, level): per clock one query of just the columns
        printed (walked in its due-date order), merged. No model instances, no per-row queries;
        working days come from the working-day index, once per due date."""
        streams = [self._export_stream(source) for source in self.sources]
        by_due: dict[date, tuple[str, int]] = {}  # status and signed working days, once per due date
        today = self.today
        for due, _key, _pk, clock, title, unit, rule, level in heapq.merge(*streams, key=lambda row: row[:3]):
            days = by_due.get(due)
            if days is None:
                count = abs(workdays.working_days_between(today, due))
                days = by_due[due] = (_status(due, today, count), -count if due < today else count)
            yield [title, str(unit or ""), clock, due, rule, days[0], days[1], level]

    def _export_stream(self, source: ClockSource) -> Iterator[tuple]:
        """One clock's rows as ``(due, key, pk, clock, title, unit, rule, level)``, by (due, pk)."""
        policy = self.policies[source.key]
        if source.export_fields is None:  # a source that renders only from objects
            yield from self._export_objects(source)
            return
        unit_field = source.unit_name_field()
        fields = tuple(source.export_fields)
        columns = ("pk", source.due_field, "board_level", unit_field or "pk", *fields)
        queryset = (
            self._open(source)
            .annotate(board_level=_level_reached(source, self._content_type(source)))
            .order_by(source.due_field, "pk")
            .values_list(*columns)
        )
        tree = _paths(fields)
        key, clock = source.key, policy.name
        # The plain rule (“交办后3个月”) is the same for every row unless the source words it per item.
        rule = None if _overrides(source, "rule_text") else ClockSource.rule_text(source, None, policy)
        title = source.title
        for pk, due, level, unit, *values in queryset.iterator(chunk_size=EXPORT_CHUNK):
            item = _plain_row(tree, values)
            yield (
                _as_date(due),
                key,
                pk,
                clock,
                title(item),
                unit if unit_field else None,
                rule if rule is not None else source.rule_text(item, policy),
                level,
            )

    def _export_objects(self, source: ClockSource) -> Iterator[tuple]:
        board = Board.__new__(Board)
        board.__dict__.update(self.__dict__)
        board.sources = [source]
        board.__dict__.pop("_sql", None)
        for row in board:
            yield (row.due, row.key, row.item.pk, row.clock, row.title, row.unit, row.rule, row.level)

    # --- the shown rows -------------------------------------------------------------

    def _rows(self, keys: list[tuple[date, str, int]]) -> list[BoardRow]:
        """The page's objects: one query per model the clocks keep their items in (every
        model, even when none of its rows is on this page, so the count never depends on
        which clocks the page happens to show) and one for the escalation levels reached."""
        by_key = {source.key: source for source in self.sources}
        related: dict[Any, set[str]] = defaultdict(set)
        for source in self.sources:
            related[source.get_model()].update(source.related)
        wanted: dict[Any, set[int]] = defaultdict(set)
        for _due, key, pk in keys:
            wanted[by_key[key].get_model()].add(int(pk))
        items: dict[tuple[Any, int], Any] = {}
        for model in sorted(related, key=lambda model: model._meta.label):
            queryset = model._default_manager.filter(pk__in=sorted(wanted[model]) or [0]).order_by()
            if related[model]:
                queryset = queryset.select_related(*sorted(related[model]))
            items.update(((model, item.pk), item) for item in queryset)
        levels: dict[tuple[str, int, date], int] = {}
        reached = NoticeLedger.objects.markers().filter(
            level__gt=0,
            clock__in=sorted({key for _due, key, _pk in keys}) or [""],
            object_id__in=sorted({int(pk) for _due, _key, pk in keys}) or [0],
        )
        for clock, object_id, due_on, level in reached.values_list("clock", "object_id", "due_on", "level"):
            levels[(clock, object_id, due_on)] = max(level, levels.get((clock, object_id, due_on), 0))
        rows = []
        for due, key, pk in keys:
            source = by_key[key]
            item = items.get((source.get_model(), int(pk)))
            if item is None:  # closed between the two queries
                continue
            rows.append(self._row(source, item, due, levels.get((key, int(pk), due), 0)))
        return rows

    def _row(self, source: ClockSource, item, due: date, level: int) -> BoardRow:
        policy = self.policies[source.key]
        return BoardRow(
            key=source.key,
            clock=policy.name,
            title=source.title(item),
            link=source.link(item) if self.links else "",
            unit=source.unit(item),
            due=due,
            rule=source.rule_text(item, policy),
            today=self.today,
            overdue=due < self.today,
            days=abs(workdays.working_days_between(self.today, due)),
            level=level,
            item=item,
        )


def board(*, user, today: date, **filters) -> Board:
    return Board(user=user, today=today, **filters)


def board_rows(*, user, today: date, **filters) -> list[BoardRow]:
    """Every row the user may see, most overdue first (small boards and tests)."""
    return list(Board(user=user, today=today, **filters))


def summary(rows: list[BoardRow]) -> dict[str, int]:
    return {
        "total": len(rows),
        "overdue": sum(1 for row in rows if row.overdue),
        "escalated": sum(1 for row in rows if row.level),
        "due_soon": sum(1 for row in rows if not row.overdue),
    }


__all__ = ["Board", "BoardRow", "board", "board_rows", "summary"]
