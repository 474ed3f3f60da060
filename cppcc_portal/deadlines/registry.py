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


class ClockSource:
    """How the sweep finds one clock's open items (implemented per clock by its app).

    Subclass, set the attributes, and ``register_source(SourceClass())`` next to
    the ``register_clock`` call. The sweep (``cppcc_portal.deadlines.sweep``)
    asks ``model`` for rows whose ``due_field`` falls in a reminder or escalation
    window and that match ``open_filter()``; it never touches items not yet due.
    """

    key: str = ""  # the ClockSpec key
    model: str = ""  # "app_label.ModelName"
    due_field: str = ""  # an indexed DateField on ``model``

    def open_filter(self) -> models.Q:
        """Rows whose clock is still running (the owed thing has not happened)."""
        return models.Q()

    def queryset(self):
        from django.apps import apps

        return apps.get_model(self.model).objects.filter(self.open_filter())

    def recipients(self, item, relation: str) -> list:
        """Users for a relation name used in escalation steps ("unit_users", "staff", ...)."""
        return []

    def title(self, item) -> str:
        return str(item)

    def link(self, item) -> str:
        return item.get_absolute_url() if hasattr(item, "get_absolute_url") else ""

    def on_overdue(self, item, *, level: int) -> None:
        """An escalation step's side effect (e.g. close as 未评价); must be idempotent."""


_sources: dict[str, ClockSource] = {}


def register_source(source: ClockSource) -> ClockSource:
    get_clock(source.key)
    _sources[source.key] = source
    return source


def all_sources() -> list[ClockSource]:
    return list(_sources.values())
