"""One proposal walked through every proposal clock, day by day, in 2026.

Shared by the time-travel test and (for its fixtures) the Redis-down test.
"""

from __future__ import annotations

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
