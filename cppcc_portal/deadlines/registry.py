from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import models

from cppcc_portal import workdays


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", "个工作日"
    CALENDAR_MONTHS = "calendar_months", "个月"
    CALENDAR_DAYS = "calendar_days", "天"


@dataclass(frozen=True)
class ClockSpec:
    """A clock as its app declares it: the defaults staff start from."""

    key: str
    label: str
    start_label: str
    length: int
    unit: Unit = Unit.WORKING_DAYS
    reminders: tuple[int, ...] = ()  # working days before the due date
    extra: dict = field(default_factory=dict, hash=False, compare=False)


_clocks: dict[str, ClockSpec] = {}


def register_clock(spec: ClockSpec) -> ClockSpec:
    _clocks[spec.key] = spec
    return spec


def get_clock(key: str) -> ClockSpec:
    try:
        return _clocks[key]
    except KeyError:
        raise KeyError(f"No deadline clock {key!r} is registered") from None


def all_clocks() -> list[ClockSpec]:
    return list(_clocks.values())


def policy_for(key: str):
    """The staff-editable policy row for a clock, created from its declaration."""
    from cppcc_portal.models import DeadlinePolicy

    spec = get_clock(key)
    policy, _ = DeadlinePolicy.objects.get_or_create(
        key=key,
        defaults={
            "name": spec.label,
            "start_label": spec.start_label,
            "length": spec.length,
            "unit": spec.unit,
            "reminder_offsets": list(spec.reminders),
        },
    )
    return policy


def add_length(start: date, length: int, unit: str) -> date:
    if unit == Unit.WORKING_DAYS:
        return workdays.add_working_days(start, length)
    if unit == Unit.CALENDAR_MONTHS:
        return workdays.add_months(start, length)
    return workdays.next_working_day(start + timedelta(days=length))


def due_date(key: str, start: date, *, length: int | None = None) -> date:
    """When a clock that starts on ``start`` is due, under the policy in force.

    ``length`` overrides the policy (an approved extension, say) in the policy's unit.
    """
    policy = policy_for(key)
    return add_length(start, policy.length if length is None else length, policy.unit)


def rule_text(key: str) -> str:
    """How the due date was set, for the pages: “交办后3个月”."""
    policy = policy_for(key)
    return f"{policy.start_label}{policy.length}{Unit(policy.unit).label}"
