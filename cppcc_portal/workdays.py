"""Working days on the official Chinese calendar, with local overrides.

``chinesecalendar`` knows the State Council's holidays and make-up working days
(调休) for the years it was published for. Staff-entered ``WorkdayOverride`` rows
always win. For a year the library does not know yet we fall back to
Monday-Friday plus overrides, and log a warning once per year.

Conventions: ``add_working_days(a, n) == b`` exactly when
``working_days_between(a, b) == n``; the start day itself is never counted.

Every answer comes from an in-process index (``_Index``): one flag per day over
a span of whole years, the running count of working days before each day, and
the sorted ordinals of the working days. ``working_days_between`` is two
look-ups in the running count, ``add_working_days`` one in the ordinals, so the
cost never grows with the distance between dates. The index is built once per
process and per overrides version: saving or deleting a ``WorkdayOverride``
stores a new version token in the shared cache when the transaction commits,
and every process compares its token with the cache's at most once a second and
at the start of each request and task, rebuilding on a change (one query for the
overrides). The official calendar of a year is computed once per process; the
span grows by whole years when a date outside it is asked for.
"""

from __future__ import annotations

import calendar
import logging
import threading
import time
import uuid
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

import chinese_calendar
from celery.signals import task_prerun
from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

VERSION_CACHE_KEY = "workdays:overrides:version"
VERSION_CHECK_SECONDS = 1.0
_warned_years: set[int] = set()
_official_years: dict[int, bytes] = {}  # year -> one byte per day, 1 = working (no overrides)
_lock = threading.Lock()


@dataclass(frozen=True)
class _Index:
    version: str
    first_year: int
    last_year: int
    origin: int  # ordinal of 1 January of first_year
    working: bytes  # per day from origin: 1 when a working day
    before: list[int]  # before[i]: working days in [origin, origin + i)
    ordinals: list[int]  # ordinals of the working days, ascending
    overrides: dict[date, bool]

    def covers(self, ordinal: int) -> bool:
        return 0 <= ordinal - self.origin < len(self.working)


_index: _Index | None = None
_next_check = 0.0


# --- the official calendar ------------------------------------------------------------


def _known_years() -> tuple[int, int]:
    """The years chinesecalendar has data for (it raises NotImplementedError outside them)."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


_KNOWN_YEARS = _known_years()


def calendar_known(year: int) -> bool:
    return _KNOWN_YEARS[0] <= year <= _KNOWN_YEARS[1]


def _official_year(year: int) -> bytes:
    flags = _official_years.get(year)
    if flags is None:
        days = [date(year, 1, 1) + timedelta(days=n) for n in range(366 if calendar.isleap(year) else 365)]
        if calendar_known(year):
            # chinese_calendar.is_workday, read from its tables without its per-call checks.
            official_work, official_off = chinese_calendar.workdays, chinese_calendar.holidays
            flags = bytes(d in official_work or (d.weekday() < 5 and d not in official_off) for d in days)
        else:
            flags = bytes(d.weekday() < 5 for d in days)
        _official_years[year] = flags
    return flags


def _warn_if_unknown(*days: date) -> None:
    for day in days:
        if day.year not in _warned_years and not calendar_known(day.year):
            _warned_years.add(day.year)
            logger.warning("chinesecalendar has no data for %s; counting Monday-Friday plus local overrides", day.year)


# --- the index ------------------------------------------------------------------------


def _load_overrides() -> dict[date, bool]:
    # Inside: cycle cppcc_portal.models -> deadlines -> deadlines.registry -> workdays -> models.
    from .models import WorkdayOverride

    return dict(WorkdayOverride.objects.values_list("date", "is_working_day"))


def _build(version: str, first_year: int, last_year: int, overrides: dict[date, bool]) -> _Index:
    origin = date(first_year, 1, 1).toordinal()
    working = bytearray(b"".join(_official_year(year) for year in range(first_year, last_year + 1)))
    for day, is_working in overrides.items():
        if first_year <= day.year <= last_year:
            working[day.toordinal() - origin] = is_working
    return _Index(
        version=version,
        first_year=first_year,
        last_year=last_year,
        origin=origin,
        working=bytes(working),
        before=list(accumulate(working, initial=0)),
        ordinals=[origin + offset for offset, flag in enumerate(working) if flag],
        overrides=overrides,
    )


def _cached_version() -> str:
    version = cache.get(VERSION_CACHE_KEY)
    if version is None:
        cache.add(VERSION_CACHE_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_CACHE_KEY) or "local"
    return version


def _current() -> _Index:
    """The index for the overrides version in force (checked at most once a second)."""
    global _index, _next_check
    index, now = _index, time.monotonic()
    if index is not None and now < _next_check:
        return index
    with _lock:
        version = _cached_version()
        index = _index
        if index is None or index.version != version:
            today = date.today()
            first, last = (index.first_year, index.last_year) if index else (today.year - 3, today.year + 3)
            index = _index = _build(version, first, last, _load_overrides())
        _next_check = time.monotonic() + VERSION_CHECK_SECONDS
    return index


def _covering(*ordinals: int) -> _Index:
    """The current index, grown by whole years until it holds every ordinal given."""
    global _index
    ordinals = tuple(max(1, min(ordinal, date.max.toordinal())) for ordinal in ordinals)
    index = _current()
    if all(index.covers(ordinal) for ordinal in ordinals):
        return index
    years = [date.fromordinal(ordinal).year for ordinal in ordinals]
    with _lock:
        index = _index if _index is not None and _index.version == index.version else index
        first, last = min(index.first_year, *years), max(index.last_year, *years)
        index = _index = _build(index.version, first, last, index.overrides)
    return index


def expire_version_check(**_kwargs: object) -> None:
    """Compare the overrides version with the cache on the next call (each request and task)."""
    global _next_check
    _next_check = 0.0


def forget_index() -> None:
    """Drop this process's index; the next call rebuilds it (tests, after a rollback)."""
    global _index, _next_check
    with _lock:
        _index, _next_check = None, 0.0


def index_has_overrides() -> bool:
    return bool(_index is not None and _index.overrides)


def bump_version() -> None:
    """Tell every process that the overrides changed: they rebuild on their next call."""
    cache.set(VERSION_CACHE_KEY, uuid.uuid4().hex, None)
    forget_index()


def overrides_changed(**_kwargs: object) -> None:
    # Only committed rows count: a rebuild inside the writing transaction would read them
    # before they are final, and other processes could not see them yet.
    transaction.on_commit(bump_version)


# --- the answers ----------------------------------------------------------------------


def is_working_day(d: date) -> bool:
    _warn_if_unknown(d)
    index = _covering(d.toordinal())
    return bool(index.working[d.toordinal() - index.origin])


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b]; negative when ``b`` is before ``a``."""
    if b < a:
        return -working_days_between(b, a)
    _warn_if_unknown(a, b)
    index = _covering(a.toordinal(), b.toordinal())
    return index.before[b.toordinal() - index.origin + 1] - index.before[a.toordinal() - index.origin + 1]


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (before it, if negative)."""
    if days == 0:
        return start
    ordinal = start.toordinal()
    reach = (abs(days) // 200 + 1) * 366  # a year has well over 200 working days
    while True:
        index = _covering(ordinal, ordinal + reach if days > 0 else ordinal - reach)
        if days > 0:
            position = bisect_right(index.ordinals, ordinal) + days - 1
        else:
            position = bisect_left(index.ordinals, ordinal) + days
        if 0 <= position < len(index.ordinals):
            break
        reach *= 2  # overrides took away so many days that the answer lies further out
    result = date.fromordinal(index.ordinals[position])
    _warn_if_unknown(start, result)
    return result


def next_working_day(d: date) -> date:
    """``d`` itself if it is a working day, else the first working day after it."""
    return d if is_working_day(d) else add_working_days(d, 1)


def previous_working_day(d: date) -> date:
    """``d`` itself if it is a working day, else the last working day before it."""
    return d if is_working_day(d) else add_working_days(d, -1)


def add_months(start: date, months: int) -> date:
    """Calendar months from ``start`` (clamped to month end), moved to a working day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return next_working_day(date(year, month, day))


def connect_signals() -> None:
    # Inside: cycle cppcc_portal.models -> deadlines -> deadlines.registry -> workdays -> models.
    from .models import WorkdayOverride

    post_save.connect(overrides_changed, sender=WorkdayOverride, dispatch_uid="workday-override-save")
    post_delete.connect(overrides_changed, sender=WorkdayOverride, dispatch_uid="workday-override-delete")
    request_started.connect(expire_version_check, dispatch_uid="workday-version-request")
    task_prerun.connect(expire_version_check, dispatch_uid="workday-version-task", weak=False)


__all__ = [
    "add_months",
    "add_working_days",
    "calendar_known",
    "is_working_day",
    "next_working_day",
    "previous_working_day",
    "working_days_between",
]
