from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from cppcc_portal import workdays
from cppcc_portal.errors import ApplicationError

from . import policy_cache
from .models import DeadlinePolicy, EscalationStep
from .services import clock_set_due

logger = logging.getLogger(__name__)


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", "个工作日"
    CALENDAR_MONTHS = "calendar_months", "个月"
    CALENDAR_DAYS = "calendar_days", "天"


# Relation names escalation steps and reminders may name. A ClockSource answers
# the ones that make sense for its items (``ClockSource.relations``) and may add
# its own; these labels are what staff see in the admin.
RELATION_LABELS: dict[str, str] = {
    "unit_users": "承办单位用户",
    "unit_head": "承办单位负责人",
    "lead_unit_users": "主办单位用户",
    "proposer": "提案人（含联名人）",
    "proposal_committee_staff": "提案委工作人员",
    "proposal_committee_director": "提案委主任",
    "supervising_leader": "督办领导",
    "staff": "机关工作人员",
    "leaders": "主席会议成员",
    "organiser": "组织者",
    "organiser_head": "组织部门负责人",
    "members": "相关委员",
}


@dataclass(frozen=True)
class Escalation:
    """A default escalation step: ``after_days`` working days overdue, tell ``notify``."""

    after_days: int
    notify: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True)
class ClockSpec:
    """A clock as its app declares it: the defaults staff start from.

    ``reminders`` are working days before the due date; ``remind`` names who is
    reminded; ``escalations`` are the ladder's steps, level 1 first.
    """

    key: str
    label: str
    start_label: str
    length: int
    unit: Unit = Unit.WORKING_DAYS
    reminders: tuple[int, ...] = ()  # working days before the due date
    remind: tuple[str, ...] = ()  # relation names told at each reminder
    escalations: tuple[Escalation, ...] = ()
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
    """The staff-editable policy row for a clock, created from its declaration.

    The first time a clock is needed its row and default escalation ladder are
    written; from then on staff edit them in the admin and the declaration is
    only a default.
    """
    spec = get_clock(key)
    cached, _missing = policy_cache.cached_policies([key])
    if key in cached:
        return cached[key]
    policy = DeadlinePolicy.objects.filter(key=key).first()
    if policy is not None:
        return policy
    remind = spec.remind or tuple(spec.extra.get("remind", ()))
    escalations = spec.escalations
    if not escalations and spec.extra.get("escalate"):
        escalations = (Escalation(after_days=1, notify=tuple(spec.extra["escalate"])),)
    with transaction.atomic():
        policy, created = DeadlinePolicy.objects.get_or_create(
            key=key,
            defaults={
                "name": spec.label,
                "start_label": spec.start_label,
                "length": spec.length,
                "unit": spec.unit,
                "reminder_offsets": list(spec.reminders),
                "reminder_recipients": list(remind),
            },
        )
        if created:
            EscalationStep.objects.bulk_create(
                EscalationStep(
                    policy=policy,
                    level=level,
                    after_days=max(step.after_days, 1),
                    recipients=list(step.notify),
                    label=step.label,
                )
                for level, step in enumerate(escalations, start=1)
            )
    return policy


def policies_for(keys) -> dict:
    """The policy rows of several clocks, from this process's copy or in one query (each created
    from its declaration if missing)."""
    keys = list(keys)
    policies, missing = policy_cache.cached_policies(keys)
    if missing:
        policies.update((policy.key, policy) for policy in DeadlinePolicy.objects.filter(key__in=missing))
    for key in keys:
        if key not in policies:  # first use of a clock: its row is created from the declaration
            policies[key] = policy_for(key)
    return policies


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


def rule_text(key: str, *, length: int | None = None, policy=None) -> str:
    """How the due date was set, for the pages: “交办后3个月”. ``policy``: the clock's, already read."""
    policy = policy or policy_for(key)
    return f"{policy.start_label}{policy.length if length is None else length}{Unit(policy.unit).label}"


class ClockSource:
    """How the sweep and the board find one clock's open items.

    Implemented per clock by the app that owns the items, in ``<app>/clocks.py``::

        class ReviewClock(ClockSource):
            key = "proposal.review"            # the ClockSpec key
            model = "proposals.Proposal"       # "app_label.ModelName"
            due_field = "review_due"           # an indexed DateField on model
            unit_field = ""                    # FK path to members.Organization, if any
            start_field = "submitted_on"       # lets "recompute open ones" work
            related = ("unit",)                # select_related for title()/unit()
            relations = {"staff": "机关工作人员"}  # relation names recipients() answers

            def open_filter(self):             # the owed thing has not happened yet
                return Q(state="submitted")

            def recipients(self, item, relation):
                ...

        register_source(ReviewClock())

    The contract, which the engine relies on and other apps code against:

    * ``queryset()`` narrowed by ``open_filter()`` holds exactly the items whose
      clock still runs; the sweep adds ``due_field`` range filters (so the cost is
      what is due, never what is open) and the board adds ``unit_filter``.
    * ``recipients(item, relation)`` returns users; unknown relations return [].
      ``recipients_for(items, relation)`` answers a sweep's batch (by item pk); the
      default asks ``recipients`` per item, sources override it to use a few queries.
    * ``title``, ``unit``, ``link`` and ``rule_text(item, policy)`` (the rule shown
      beside the due date, e.g. with an extension) must use only ``related``: the
      board renders every row from one query per clock.
    * ``unit_filter(organization)`` narrows to one handling unit (an Organization
      or its pk); the default uses ``unit_field``. Unit users see only these rows.
    * ``on_overdue(item, level=...)`` runs once per item, due date and level, in the
      sweep's transaction with the item row locked; do state changes through the
      owning app's services (actor: ``system_actor()``). Raise ``ApplicationError``
      to decline (logged, the notice still goes out). The sweep calls
      ``on_overdue_many(items, level=...)`` with a locked batch; its default runs
      ``on_overdue`` per item, and a source may override it to write in bulk.
    * ``recompute_due(item)`` gives the due date under today's policy, or None.
      It is only used by the admin action "recompute open ones".
    """

    key: str = ""
    model: str = ""
    due_field: str = ""
    unit_field: str = ""
    start_field: str = ""
    related: tuple[str, ...] = ()
    relations: dict[str, str] = {}
    # The columns ``title()`` and ``rule_text()`` read, as value paths ("proposal__title"). The
    # export reads these with ``values_list()`` and hands ``title``/``rule_text`` a plain row whose
    # attributes follow the paths (``row.proposal.title``) instead of a model instance; the unit
    # printed is ``unit_field``'s name. None: the export fetches the items as objects.
    export_fields: tuple[str, ...] | None = None

    def get_model(self):
        return apps.get_model(self.model)

    def open_filter(self) -> models.Q:
        """Rows whose clock is still running (the owed thing has not happened)."""
        return models.Q()

    def queryset(self):
        return self.get_model().objects.filter(self.open_filter())

    def unit_filter(self, organization) -> models.Q:
        """Items that belong to ``organization`` (a handling unit) on the board."""
        if not self.unit_field:
            return models.Q(pk__in=[])
        return models.Q(**{self.unit_field: organization})

    def unit_name_field(self) -> str | None:
        """The value path of the handling unit's name (what the export prints), or None."""
        return f"{self.unit_field}__name" if self.unit_field else None

    def unit(self, item):
        """The organisation the item waits on, for the board (or None)."""
        if not self.unit_field:
            return None
        value = item
        for part in self.unit_field.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    def recipients(self, item, relation: str) -> list:
        """Users for a relation name used in reminders and escalation steps."""
        return []

    def recipients_for(self, items: list, relation: str) -> dict[int, list]:
        """``recipients`` for a batch of items, by item pk; override to answer in a few queries."""
        return {item.pk: list(self.recipients(item, relation) or ()) for item in items}

    def title(self, item) -> str:
        return str(item)

    def link(self, item) -> str:
        return item.get_absolute_url() if hasattr(item, "get_absolute_url") else ""

    def rule_text(self, item, policy) -> str:
        """How this item's due date was set (“交办后3个月”); override for extensions."""
        return f"{policy.start_label}{policy.length}{Unit(policy.unit).label}"

    def due(self, item) -> date | None:
        return getattr(item, self.due_field)

    def on_overdue(self, item, *, level: int) -> None:
        """An escalation step's side effect (e.g. close as 未评价); must be idempotent."""

    def on_overdue_many(self, items: list, *, level: int) -> None:
        """``on_overdue`` for a sweep's batch (its rows locked, in its transaction).

        The default calls ``on_overdue`` per item, each in a savepoint, so one declined
        (``ApplicationError``: logged) leaves the others; a source that does not define
        ``on_overdue`` costs nothing. A source whose side effect is a plain record (a
        timeline row) overrides this to write the whole batch in one insert.
        """
        if "on_overdue" not in vars(self) and type(self).on_overdue is ClockSource.on_overdue:
            return
        for item in items:
            try:
                with transaction.atomic():
                    self.on_overdue(item, level=level)
            except ApplicationError as error:
                logger.warning(
                    "Clock %s item %s level %s: side effect declined: %s", self.key, item.pk, level, error.message
                )

    def recompute_due(self, item) -> date | None:
        """The due date today's policy gives this item, or None to leave it."""
        if not self.start_field:
            return None
        start = getattr(item, self.start_field)
        if start is None:
            return None
        if isinstance(start, datetime):
            start = timezone.localdate(start)
        return due_date(self.key, start)

    def save_due(self, item, due: date, *, actor=None, reason: str = "按现行时限重算到期日") -> None:
        """Store a moved due date through the clock service (history kept)."""
        clock_set_due(item=item, due_field=self.due_field, due=due, actor=actor or system_actor(), reason=reason)

    def recompute_open(self, *, actor=None) -> int:
        """Move the due dates of open items to today's policy; returns how many moved."""
        moved = 0
        for item in self.queryset().iterator(chunk_size=500):
            new_due = self.recompute_due(item)
            if new_due is not None and new_due != self.due(item):
                self.save_due(item, new_due, actor=actor)
                moved += 1
        return moved


_sources: dict[str, ClockSource] = {}


def register_source(source: ClockSource) -> ClockSource:
    get_clock(source.key)
    _sources[source.key] = source
    return source


def unregister_source(key: str) -> None:
    """Forget a source (tests register throwaway sources)."""
    _sources.pop(key, None)


def get_source(key: str) -> ClockSource | None:
    return _sources.get(key)


def all_sources() -> list[ClockSource]:
    return list(_sources.values())


def relation_label(name: str, source: ClockSource | None = None) -> str:
    if source is not None and name in source.relations:
        return source.relations[name]
    return RELATION_LABELS.get(name, name)


def system_actor():
    """The user the sweep acts as in services and history (“系统（期限巡检）”)."""
    user, _ = get_user_model().objects.get_or_create(
        username="system-deadlines",
        defaults={"name": "系统（期限巡检）", "is_active": False},
    )
    return user
