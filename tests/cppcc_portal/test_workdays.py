"""The working-day calendar follows the State Council's calendar and local overrides."""

import logging
from datetime import date

import pytest

from cppcc_portal import workdays
from cppcc_portal.models import WorkdayOverride


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 1, 28),
        date(2025, 2, 4),
        date(2025, 10, 1),
        date(2025, 10, 8),
        date(2026, 2, 16),
        date(2026, 2, 23),
        date(2026, 10, 7),
    ],
)
def test_official_holidays_on_weekdays_are_not_working_days(db, day):
    assert day.weekday() < 5
    assert not workdays.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 1, 26),
        date(2025, 2, 8),
        date(2025, 9, 28),
        date(2025, 10, 11),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ],
)
def test_make_up_weekend_days_are_working_days(db, day):
    assert day.weekday() >= 5
    assert workdays.is_working_day(day)


def test_adding_working_days_skips_the_2026_spring_festival(db):
    # Fri 13 Feb, then the 调休 Saturday 14 Feb works; 15–23 Feb is the holiday.
    assert workdays.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert workdays.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert workdays.add_working_days(date(2026, 2, 24), -1) == date(2026, 2, 14)


def test_add_and_between_agree(db):
    start = date(2026, 9, 18)
    for days in range(0, 25):
        end = workdays.add_working_days(start, days)
        assert workdays.working_days_between(start, end) == days
    assert workdays.working_days_between(date(2026, 10, 9), date(2026, 9, 30)) < 0


def test_national_day_2026_counts_ten_working_days_from_late_september(db):
    # 25 Sep (中秋) and 1–7 Oct are off; 10 Oct (Sat) is a make-up working day:
    # 28, 29, 30 Sep, 8, 9, 10, 12, 13, 14, 15 Oct.
    assert workdays.add_working_days(date(2026, 9, 24), 10) == date(2026, 10, 15)


def test_three_months_lands_on_next_working_day(db):
    # 7 Jul + 3 months = 7 Oct (holiday) → 8 Oct 2026 (Thu) is a working day.
    assert workdays.add_months(date(2026, 7, 7), 3) == date(2026, 10, 8)
    # Clamped to the month's end: 30 Nov + 3 months = 28 Feb 2027 → next working day.
    assert workdays.add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_local_overrides_win_over_the_official_calendar(db, django_capture_on_commit_callbacks):
    holiday_monday = date(2026, 3, 2)
    assert workdays.is_working_day(holiday_monday)
    with django_capture_on_commit_callbacks(execute=True):
        WorkdayOverride.objects.create(date=holiday_monday, is_working_day=False, note="区里停工")
    assert not workdays.is_working_day(holiday_monday)
    extra_saturday = date(2026, 3, 7)
    with django_capture_on_commit_callbacks(execute=True):
        WorkdayOverride.objects.create(date=extra_saturday, is_working_day=True, note="补班")
    assert workdays.is_working_day(extra_saturday)
    with django_capture_on_commit_callbacks(execute=True):
        WorkdayOverride.objects.filter(date=extra_saturday).delete()
    assert not workdays.is_working_day(extra_saturday)


def test_an_override_reaches_other_processes_through_the_version(db, django_capture_on_commit_callbacks):
    """Another process keeps its index until the version in the cache changes; then it rebuilds."""
    from django.core.cache import cache

    holiday_monday = date(2026, 3, 2)
    assert workdays.is_working_day(holiday_monday)
    stale = workdays._index
    WorkdayOverride.objects.create(date=holiday_monday, is_working_day=False, note="区里停工")
    assert workdays.is_working_day(holiday_monday)  # not committed: nobody is told yet
    cache.set(workdays.VERSION_CACHE_KEY, "bumped-by-another-process", None)
    workdays._index = stale  # this process has not heard of it
    workdays.expire_version_check()  # a new request or task begins
    assert not workdays.is_working_day(holiday_monday)
    assert workdays._index.version == "bumped-by-another-process"


def test_no_query_and_no_cache_read_per_day(db, django_assert_num_queries, monkeypatch):
    workdays.working_days_between(date(2024, 1, 1), date(2026, 12, 31))  # built
    reads = []
    monkeypatch.setattr(workdays.cache, "get", lambda *args, **kwargs: reads.append(args))
    with django_assert_num_queries(0):
        for _ in range(200):
            assert workdays.working_days_between(date(2024, 1, 1), date(2026, 12, 31)) > 700
            workdays.add_working_days(date(2024, 1, 1), 700)
            workdays.is_working_day(date(2025, 5, 1))
    assert len(reads) <= 1  # the version, at most once a second


def test_unknown_year_falls_back_to_weekdays_and_warns_once(db, caplog):
    year = 2099
    assert not workdays.calendar_known(year)
    workdays._warned_years.discard(year)
    with caplog.at_level(logging.WARNING, logger="cppcc_portal.workdays"):
        assert workdays.is_working_day(date(year, 1, 1))  # a Thursday: no holiday data, so it works
        assert not workdays.is_working_day(date(year, 1, 3))  # Saturday
        assert workdays.add_working_days(date(year, 1, 2), 1) == date(year, 1, 5)
    warnings = [r for r in caplog.records if str(year) in r.getMessage()]
    assert len(warnings) == 1


def test_unknown_year_still_honours_overrides(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        WorkdayOverride.objects.create(date=date(2099, 1, 1), is_working_day=False, note="元旦")
    assert not workdays.is_working_day(date(2099, 1, 1))
