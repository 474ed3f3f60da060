"""The clock ``seed_demo`` runs under, so the demo looks like a year that really happened.

The seeders call the same services people do; inside ``at(day, hour)`` every
``timezone.now()`` and ``localdate()`` reads that moment, so history rows, ledger
entries, notices and the due dates the clocks compute carry the time the act
would have had. Nothing is moved into the future: a moment after the real now is
taken back to the real now.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone

_REAL_NOW = timezone.now


def moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """``day`` at ``hour``:``minute`` local time, or the real now if that is later."""
    wanted = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    return min(wanted, _REAL_NOW() - timedelta(minutes=1))


@contextmanager
def at(day: date, hour: int = 10, minute: int = 0) -> Iterator[datetime]:
    """Run the block as if it were ``day`` at ``hour``:``minute``; the clock goes on ticking."""
    when = moment(day, hour, minute)
    with time_machine.travel(when, tick=True):
        yield when
