"""Working days on the official Chinese calendar, with local overrides.

``chinesecalendar`` knows the State Council's holidays and make-up working days
(调休) for the years it was published for. Staff-entered ``WorkdayOverride`` rows
always win. For a year the library does not know yet we fall back to
Monday-Friday plus overrides, and log a warning once per year.

Conventions: ``add_working_days(a, n) == b`` exactly when
``working_days_between(a, b) == n``; the start day itself is never counted.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, timedelta

import chinese_calendar
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

_OVERRIDES_CACHE_KEY = "workdays:overrides:v1"
_warned_years: set[int] = set()


def _overrides() -> dict[date, bool]:
    overrides = cache.get(_OVERRIDES_CACHE_KEY)
    if overrides is None:
        from .models import WorkdayOverride

        overrides = dict(WorkdayOverride.objects.values_list("date", "is_working_day"))
        cache.set(_OVERRIDES_CACHE_KEY, overrides, 300)
    return overrides


def forget_overrides(**_kwargs: object) -> None:
    cache.delete(_OVERRIDES_CACHE_KEY)


def calendar_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _official_working_day(d: date) -> bool:
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        if d.year not in _warned_years:
            _warned_years.add(d.year)
            logger.warning("chinesecalendar has no data for %s; counting Monday-Friday plus local overrides", d.year)
        return d.weekday() < 5


def is_working_day(d: date) -> bool:
    override = _overrides().get(d)
    if override is not None:
        return override
    return _official_working_day(d)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (before it, if negative)."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    current = start
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b]; negative when ``b`` is before ``a``."""
    if b < a:
        return -working_days_between(b, a)
    return sum(1 for offset in range(1, (b - a).days + 1) if is_working_day(a + timedelta(days=offset)))


def next_working_day(d: date) -> date:
    """``d`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def add_months(start: date, months: int) -> date:
    """Calendar months from ``start`` (clamped to month end), moved to a working day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return next_working_day(date(year, month, day))


def connect_signals() -> None:
    from .models import WorkdayOverride

    post_save.connect(forget_overrides, sender=WorkdayOverride, dispatch_uid="workday-override-save")
    post_delete.connect(forget_overrides, sender=WorkdayOverride, dispatch_uid="workday-override-delete")


__all__ = [
    "add_months",
    "add_working_days",
    "calendar_known",
    "is_working_day",
    "next_working_day",
    "working_days_between",
]
