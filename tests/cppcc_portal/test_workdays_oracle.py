"""The working-day index answers exactly as the old day-by-day definition (the oracle).

Every day of 2004–2030 is a start: with the official calendar's 调休, the
Monday–Friday fallback after chinesecalendar's last year, and local overrides
(a holiday on a weekday, a worked Saturday, an override agreeing with the
calendar, overrides in a fallback year and on a year boundary).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import chinese_calendar
import pytest

from cppcc_portal import workdays
from cppcc_portal.models import WorkdayOverride

FIRST, LAST = date(2004, 1, 1), date(2030, 12, 31)
SPANS = (*range(0, 13), 21, 44, 66)  # calendar days from the start
STEPS = (1, 2, 3, 5, 10, 22, 66, -1, -2, -5, -10, -66)  # working days to add
LONG_SPANS, LONG_STEPS = (130, 400), (250, -250)  # every seventh start
RANDOM_PAIRS = 60  # per year, anywhere in 2004–2030
OVERRIDES = {
    date(2008, 5, 5): False,  # a weekday off
    date(2015, 2, 14): True,  # a Saturday worked
    date(2020, 1, 2): True,  # agrees with the calendar
    date(2026, 12, 31): False,  # last day of the last known year
    date(2027, 1, 2): True,  # a Saturday in a year the library does not know
    date(2028, 10, 2): False,  # National Day in a fallback year
    date(2028, 10, 3): False,
    date(2030, 6, 1): True,
}


# --- the oracle: the definition the index replaced, one day at a time ------------------


def oracle_is_working_day(day: date) -> bool:
    if day in OVERRIDES:
        return OVERRIDES[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


class Oracle:
    def __init__(self) -> None:
        self.days: dict[date, bool] = {}

    def is_working_day(self, day: date) -> bool:
        if day not in self.days:
            self.days[day] = oracle_is_working_day(day)
        return self.days[day]

    def add_working_days(self, start: date, days: int) -> date:
        step = 1 if days >= 0 else -1
        remaining, current = abs(days), start
        while remaining:
            current += timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, a: date, b: date) -> int:
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for offset in range(1, (b - a).days + 1) if self.is_working_day(a + timedelta(days=offset)))


@pytest.fixture(scope="module")
def oracle():
    return Oracle()


@pytest.fixture
def overrides(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for day, is_working in OVERRIDES.items():
            WorkdayOverride.objects.create(date=day, is_working_day=is_working, note="测试")


def _year_days(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize("year", range(FIRST.year, LAST.year + 1))
def test_index_agrees_with_the_day_by_day_definition(overrides, oracle, year):
    rng = random.Random(year)
    compared = 0
    for start in _year_days(year):
        assert workdays.is_working_day(start) is oracle.is_working_day(start), start
        weekly = start.toordinal() % 7 == 0
        ends = [start + timedelta(days=span) for span in SPANS + (LONG_SPANS if weekly else ())]
        ends += [start - timedelta(days=span) for span in (1, 3, 8, 40)]
        for end in ends:
            expected = oracle.working_days_between(start, end)
            assert workdays.working_days_between(start, end) == expected, (start, end)
            compared += 1
        for steps in STEPS + (LONG_STEPS if weekly else ()):
            expected = oracle.add_working_days(start, steps)
            assert workdays.add_working_days(start, steps) == expected, (start, steps)
            if steps > 0:  # backwards from a day off, the two differ by that day (as they always did)
                assert workdays.working_days_between(start, expected) == steps
            compared += 1
        assert workdays.next_working_day(start) == (
            start if oracle.is_working_day(start) else oracle.add_working_days(start, 1)
        )
    for _ in range(RANDOM_PAIRS):
        a, b = (FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1)) for _ in range(2))
        assert workdays.working_days_between(a, b) == oracle.working_days_between(a, b), (a, b)
        compared += 1
    assert compared >= 365 * (len(SPANS) + 4 + len(STEPS))
