"""The proposal clocks made live: who is reminded, the escalation ladders, and the sources.

The clocks are declared first (keys, lengths, reminder offsets; staff edit them
afterwards as ``DeadlinePolicy`` rows), then what the deadline engine
(``cppcc_portal.deadlines``) needs to remind and escalate: the default ladders from
DOMAIN.md and one ``ClockSource`` per clock.

==========================  =======================================
Side effects of an overdue clock go through the proposals services with
``actor=system_actor()`` (the portal itself, shown as 系统 in the timeline):

* unit acceptance overdue → ``assignment_accept`` (treated as accepted, logged);
* evaluation overdue → ``proposal_close(unevaluated=True)`` (closed as 未评价);
* handling / re-handling overdue → a timeline entry (a sweep's batch in one insert); at level 2 the supervising
  leader is told and the board shows the proposal as escalated (督办);
* B-class follow-up due → staff and the unit are told, and the next 3-month
  cycle starts (the clock service moves the follow-up due date, with history).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cppcc_portal.deadlines import (
    ClockSource,
    ClockSpec,
    Escalation,
    due_date,
    get_clock,
    policy_for,
    register_clock,
    register_source,
)
from cppcc_portal.deadlines.registry import RELATION_LABELS, Unit, add_length
from cppcc_portal.roles import Role, system_actor, users_with_role
from members.enums import CommitteeRole
from members.models import User

from .enums import (
    CO_VIEWS_OPEN_STATES,
    HANDLING_OPEN_STATES,
    REPLYING_KINDS,
    AssignmentKind,
    AssignmentState,
    ProposalState,
    ReplyClass,
)
from .models import Assignment, Evaluation
from .services import assignment_accept, proposal_close
from .services.door import (
    new_event,
    proposer_users,
    proposers_of,
    record_events,
    staff_users,
    unit_users,
    unit_users_of,
)

REVIEW = register_clock(
    ClockSpec(key="proposal.review", label="立案审查", start_label="提交后", length=10, reminders=(3,))
)
ACCEPT = register_clock(
    ClockSpec(key="proposal.accept", label="签收或申请调整", start_label="交办后", length=5, reminders=(2,))
)
HANDLING = register_clock(
    ClockSpec(
        key="proposal.handling",
        label="提案办理",
        start_label="交办后",
        length=3,
        unit=Unit.CALENDAR_MONTHS,
        reminders=(30, 10, 3),
    )
)
CO_VIEWS = register_clock(
    ClockSpec(
        key="proposal.co_views",
        label="会办意见",
        start_label="交办后",
        length=1,
        unit=Unit.CALENDAR_MONTHS,
        reminders=(5,),
    )
)
EVALUATION = register_clock(
    ClockSpec(key="proposal.evaluation", label="办理评价", start_label="答复后", length=15, reminders=(5,))
)
REHANDLING = register_clock(
    ClockSpec(
        key="proposal.rehandling",
        label="重新办理",
        start_label="重新交办后",
        length=1,
        unit=Unit.CALENDAR_MONTHS,
        reminders=(5,),
    )
)
FOLLOWUP = register_clock(
    ClockSpec(
        key="proposal.followup",
        label="B类答复跟踪落实",
        start_label="B类答复后",
        length=3,
        unit=Unit.CALENDAR_MONTHS,
        reminders=(),
    )
)


UNIT = ("unit_users",)
HANDLING_LADDER = (
    Escalation(after_days=1, notify=("unit_head", "proposal_committee_staff"), label="告知单位负责人和提案委"),
    Escalation(after_days=10, notify=("supervising_leader", "proposal_committee_staff"), label="督办领导介入督办"),
)

LADDERS: dict[str, dict] = {
    REVIEW.key: {
        "remind": ("proposal_committee_staff",),
        "escalations": (Escalation(1, ("proposal_committee_director",), "报提案委主任"),),
    },
    ACCEPT.key: {
        "remind": UNIT,
        "escalations": (Escalation(1, ("unit_users", "proposal_committee_staff"), "逾期视为签收"),),
    },
    HANDLING.key: {"remind": UNIT, "escalations": HANDLING_LADDER},
    CO_VIEWS.key: {
        "remind": UNIT,
        "escalations": (Escalation(1, ("lead_unit_users", "proposal_committee_staff"), "告知主办单位和提案委"),),
    },
    EVALUATION.key: {
        "remind": ("proposer",),
        "escalations": (Escalation(1, ("proposer", "unit_users", "proposal_committee_staff"), "按未评价办结"),),
    },
    REHANDLING.key: {"remind": UNIT, "escalations": HANDLING_LADDER},
    FOLLOWUP.key: {
        "reminders": (0,),
        "remind": ("proposal_committee_staff", "unit_users"),
        "escalations": (Escalation(1, ("proposal_committee_staff",), "尚未落实，进入下一跟踪周期"),),
    },
}

for _key, _ladder in LADDERS.items():
    register_clock(replace(get_clock(_key), **_ladder))


# The relations a proposal clock answers, labelled as the platform labels them.
PROPOSAL_RELATIONS = (
    "unit_users",
    "unit_head",
    "lead_unit_users",
    "proposer",
    "proposal_committee_staff",
    "proposal_committee_director",
    "supervising_leader",
)
RELATIONS = {name: RELATION_LABELS[name] for name in PROPOSAL_RELATIONS}


def _staff():
    return list(staff_users())


def _unit_users(unit_id: int | None) -> list:
    return list(unit_users(unit_id)) if unit_id else []


def _users_by_unit(unit_ids: set[int]) -> dict[int, list]:
    by_unit: dict[int, list] = {}
    for user in unit_users_of(unit_ids):
        by_unit.setdefault(user.organization_id, []).append(user)
    return by_unit


def _committee_director() -> list:
    """Users of the 提案委's director and deputies; staff when none has a login."""
    users = list(
        User.objects.filter(
            is_active=True,
            member__committee_memberships__committee__name__startswith="提案",
            member__committee_memberships__role__in=[CommitteeRole.DIRECTOR, CommitteeRole.DEPUTY],
        ).distinct()
    )
    return users or _staff()


class ProposalRecipients:
    """Relation names shared by every proposal clock; ``proposal_of`` finds the proposal."""

    relations = RELATIONS

    def proposal_of(self, item):
        return item.proposal

    def unit_id_of(self, item) -> int | None:
        return getattr(item, "unit_id", None)

    def recipients(self, item, relation: str) -> list:
        proposal = self.proposal_of(item)
        unit_id = self.unit_id_of(item)
        if relation == "unit_users":
            return _unit_users(unit_id)
        if relation == "unit_head":
            users = _unit_users(unit_id)
            return [user for user in users if user.is_unit_head] or users
        if relation == "lead_unit_users":
            lead = proposal.assignments.filter(kind=AssignmentKind.LEAD).exclude(state=AssignmentState.REASSIGNED)
            return [user for assignment in lead for user in _unit_users(assignment.unit_id)]
        if relation == "proposer":
            return proposer_users(proposal)
        if relation in ("proposal_committee_staff", "staff"):
            return _staff()
        if relation == "proposal_committee_director":
            return _committee_director()
        if relation == "supervising_leader":
            if proposal.key_leader_id and proposal.key_leader.is_active:
                return [proposal.key_leader]
            return list(users_with_role(Role.LEADER))
        return []

    def recipients_for(self, items: list, relation: str) -> dict[int, list]:
        """A sweep's batch: the users shared by every item (staff, a unit's users) are read once."""
        if relation in ("proposal_committee_staff", "staff"):
            staff = _staff()
            return {item.pk: staff for item in items}
        if relation == "proposal_committee_director":
            director = _committee_director()
            return {item.pk: director for item in items}
        if relation in ("unit_users", "unit_head"):
            by_unit = _users_by_unit({self.unit_id_of(item) for item in items} - {None})
            found = {}
            for item in items:
                users = by_unit.get(self.unit_id_of(item), [])
                if relation == "unit_head":
                    users = [user for user in users if user.is_unit_head] or users
                found[item.pk] = users
            return found
        if relation == "lead_unit_users":
            return self._lead_unit_users(items)
        if relation == "proposer":
            by_proposal = proposers_of(
                list({self.proposal_of(item).pk: self.proposal_of(item) for item in items}.values())
            )
            return {item.pk: by_proposal[self.proposal_of(item).pk] for item in items}
        if relation == "supervising_leader":
            return self._supervising_leaders(items)
        return {item.pk: self.recipients(item, relation) for item in items}

    def _lead_unit_users(self, items: list) -> dict[int, list]:
        proposals = {self.proposal_of(item).pk for item in items}
        leads: dict[int, list[int]] = {}
        for proposal_id, unit_id in (
            Assignment.objects.filter(proposal_id__in=proposals, kind=AssignmentKind.LEAD)
            .exclude(state=AssignmentState.REASSIGNED)
            .values_list("proposal_id", "unit_id")
        ):
            leads.setdefault(proposal_id, []).append(unit_id)
        by_unit = _users_by_unit({unit for units in leads.values() for unit in units})
        return {
            item.pk: [user for unit in leads.get(self.proposal_of(item).pk, []) for user in by_unit.get(unit, [])]
            for item in items
        }

    def _supervising_leaders(self, items: list) -> dict[int, list]:
        """The proposal's 督办领导 when an active one is set, else every 主席会议成员 (read once)."""
        chosen = {self.proposal_of(item).key_leader_id for item in items} - {None}
        active = {user.pk: user for user in User.objects.filter(pk__in=chosen, is_active=True)} if chosen else {}
        leaders = None
        found = {}
        for item in items:
            leader = active.get(self.proposal_of(item).key_leader_id)
            if leader is None and leaders is None:
                leaders = list(users_with_role(Role.LEADER))
            found[item.pk] = [leader] if leader is not None else leaders
        return found

    def title(self, item) -> str:
        proposal = self.proposal_of(item)
        return f"{proposal.number}《{proposal.title}》" if proposal.number else f"《{proposal.title}》"

    def link(self, item) -> str:
        return self.proposal_of(item).get_absolute_url()


def escalation_note(clock: str, level: int) -> str:
    """“逾期已满N个工作日，已报督办领导。”, N from the clock's ladder as staff set it."""
    step = policy_for(clock).escalation_steps.filter(level=level).first()
    if step is None:
        return "已报督办领导。"
    return f"逾期已满{step.after_days}个工作日，已报督办领导。"


def _log_many(entries: list[tuple]) -> None:
    """Timeline rows for a sweep's batch, one insert: ``(assignment, label, note)`` each."""
    actor = system_actor()
    record_events(
        [
            new_event(item.proposal, action="deadline", label=label, actor=actor, note=note, assignment=item)
            for item, label, note in entries
        ]
    )


class ReviewClock(ProposalRecipients, ClockSource):
    key = REVIEW.key
    model = "proposals.Proposal"
    due_field = "review_due"
    start_field = "submitted_at"
    export_fields = ("number", "title")

    def proposal_of(self, item):
        return item

    def unit_id_of(self, item):
        return None

    def open_filter(self) -> Q:
        return Q(state=ProposalState.SUBMITTED)


class AssignmentClock(ProposalRecipients, ClockSource):
    model = "proposals.Assignment"
    unit_field = "unit"
    start_field = "assigned_on"
    related = ("proposal", "proposal__key_leader", "unit")
    export_fields = ("proposal__number", "proposal__title")


class AcceptClock(AssignmentClock):
    key = ACCEPT.key
    due_field = "accept_due"

    def open_filter(self) -> Q:
        return Q(state=AssignmentState.PENDING_ACCEPT, proposal__state=ProposalState.HANDLING)

    def on_overdue(self, item, *, level: int) -> None:
        assignment_accept(proposal=item.proposal_id, actor=system_actor(), version=None, assignment=item.pk)


class HandlingClock(AssignmentClock):
    key = HANDLING.key
    due_field = "handling_due"
    export_fields = ("proposal__number", "proposal__title", "extended_months")

    def open_filter(self) -> Q:
        return Q(kind__in=REPLYING_KINDS, state__in=HANDLING_OPEN_STATES, proposal__state=ProposalState.HANDLING)

    def rule_text(self, item, policy) -> str:
        if item.extended_months and policy.unit == Unit.CALENDAR_MONTHS:
            return f"{policy.start_label}{policy.length + item.extended_months}个月（含延期{item.extended_months}个月）"
        return super().rule_text(item, policy)

    def recompute_due(self, item) -> date | None:
        policy = policy_for(self.key)
        extra = item.extended_months if policy.unit == Unit.CALENDAR_MONTHS else 0
        return due_date(self.key, item.assigned_on, length=policy.length + extra)

    def on_overdue(self, item, *, level: int) -> None:
        self.on_overdue_many([item], level=level)

    def on_overdue_many(self, items: list, *, level: int) -> None:
        """A timeline entry per item, the batch in one insert (the ladder's note read once)."""
        if level >= 2:
            label, note = "办理逾期，升级督办", escalation_note(self.key, level)
        else:
            label, note = "办理逾期", "已告知单位负责人和提案委。"
        _log_many([(item, f"{item.unit}：{label}", note) for item in items])


class CoViewsClock(AssignmentClock):
    key = CO_VIEWS.key
    due_field = "views_due"

    def open_filter(self) -> Q:
        return Q(kind=AssignmentKind.CO, state__in=CO_VIEWS_OPEN_STATES, proposal__state=ProposalState.HANDLING)


class EvaluationClock(AssignmentClock):
    key = EVALUATION.key
    due_field = "evaluation_due"
    start_field = ""  # replied_at: the recompute action leaves evaluation periods alone

    def open_filter(self) -> Q:
        rated_by_author = Evaluation.objects.filter(
            assignment=OuterRef("pk"), round=OuterRef("round"), member=OuterRef("proposal__author")
        )
        return Q(
            kind__in=REPLYING_KINDS, state=AssignmentState.REPLIED, proposal__state=ProposalState.REPLIED
        ) & ~Exists(rated_by_author)

    def on_overdue(self, item, *, level: int) -> None:
        proposal_close(
            proposal=item.proposal_id,
            actor=system_actor(),
            version=None,
            note="评价期限已过，提案人未评价，按“未评价”办结。",
            unevaluated=True,
        )


class RehandlingClock(HandlingClock):
    key = REHANDLING.key
    due_field = "rehandling_due"
    start_field = ""

    def open_filter(self) -> Q:
        return Q(state=AssignmentState.RE_HANDLING, proposal__state=ProposalState.HANDLING)

    def rule_text(self, item, policy) -> str:
        return ClockSource.rule_text(self, item, policy)

    def recompute_due(self, item) -> date | None:
        return None

    def on_overdue_many(self, items: list, *, level: int) -> None:
        label = "重新办理逾期" + ("，升级督办" if level >= 2 else "")
        _log_many([(item, f"{item.unit}：{label}", "") for item in items])


class FollowupClock(AssignmentClock):
    """B-class replies: every 3 months until implemented. On the due day staff and the
    unit are told; the first working day after, staff get it on their list and the next
    cycle starts (a fresh ladder for the new due date)."""

    key = FOLLOWUP.key
    due_field = "followup_due"
    start_field = ""

    def open_filter(self) -> Q:
        return Q(reply_class=ReplyClass.B, implemented_at__isnull=True)

    def on_overdue(self, item, *, level: int) -> None:
        self.on_overdue_many([item], level=level)

    def on_overdue_many(self, items: list, *, level: int) -> None:
        """Each item's next cycle (the due date moves with history, per item), then the
        batch's timeline entries in one insert."""
        today = timezone.localdate()
        policy = policy_for(self.key)
        entries = []
        for item in items:
            new_due = add_length(item.followup_due, policy.length, policy.unit)
            while new_due <= today:
                new_due = add_length(new_due, policy.length, policy.unit)
            self.save_due(item, new_due, reason="B类答复尚未落实，进入下一跟踪周期")
            entries.append(
                (item, f"{item.unit}：B类答复跟踪", f"尚未落实，进入下一跟踪周期，下次跟踪{new_due:%Y-%m-%d}。")
            )
        _log_many(entries)

    def recompute_due(self, item) -> date | None:
        return None


for _source in (
    ReviewClock(),
    AcceptClock(),
    HandlingClock(),
    CoViewsClock(),
    EvaluationClock(),
    RehandlingClock(),
    FollowupClock(),
):
    register_source(_source)
