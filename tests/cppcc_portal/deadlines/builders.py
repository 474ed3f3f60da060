"""Builders for the deadline tests: moments in Asia/Shanghai, a proposal to walk through
every proposal clock, and items of the test clock (``fakes.MemberClock``) due on a day.

Fixtures live in ``conftest.py`` and call these; tests import them from here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@contextmanager
def on(day: date, hour: int = 10) -> Iterator[None]:
    with time_machine.travel(at(day, hour), tick=False):
        yield


def new_proposal(demo, *, title: str = "关于优化校园周边交通秩序的建议"):
    from proposals import services
    from proposals.models import ProposalCategory

    return services.proposal_create(
        actor=demo["member2"],
        title=title,
        category=ProposalCategory.objects.order_by("order").first(),
        background="上下学高峰时段校门口车辆拥堵，存在安全隐患。",
        suggestions="一、设置临时停车区；二、错峰放学；三、增派交通协管员。",
        period="interim",
    )


def days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


_counter = itertools.count(1)


def clock_item(due: date, *, unit: str | None = None, name: str = "", email: bool = True, prefix: str = "clock"):
    """A test member (with a login) whose ``fakes.MemberClock`` is due on ``due``.

    ``unit`` names the handling unit the login belongs to (what the board filters on).
    """
    from members.models import Member, Organization, User

    n = next(_counter)
    user = User.objects.create(
        username=f"{prefix}{n}",
        name=name or f"测试{n}",
        email=f"{prefix}{n}@example.org" if email else "",
        organization=Organization.objects.get(name=unit) if unit else None,
        sms_enabled=False,
    )
    return Member.objects.create(
        user=user, name=name or f"测试{n}", gender="男", employer_title="测试单位", birth_date=due
    )
