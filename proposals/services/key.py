"""重点提案遴选 and 督办: staff nominate a session's candidates, a 主席会议成员 records the 主席会议's
decision (which makes the chosen ones key proposals through the one door), then each key proposal
gets its 督办 leader and 领办 leaders.

A round's changes lock the round row and check the version the page showed; each proposal made key
passes ``apply_transition`` (``mark-key``), so it is locked, checked, recorded on its timeline and
credited in the performance ledger. The decision is one transaction: if one chosen proposal is
refused, none is made key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, StaleObjectError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.notifications import notify
from cppcc_portal.roles import Role, users_with_role
from members.models import PlenarySession, User

from .. import ledger
from ..enums import REGISTERED_STATES, KeySelectionState
from ..models import KeyCandidate, KeySelection, LeadingOfficial, Proposal
from .door import apply_transition, proposer_users, record_event, staff_users, tell, with_note
from .review import mark_and_credit

ROUND_STALE_MESSAGE = "页面已过期：这一轮遴选刚刚已被修改（可能是重复点击）。本次操作未执行，请查看最新情况后再操作。"
MAX_LEADING_OFFICIALS = 5


@dataclass(frozen=True)
class LeadingName:
    """A 领办 leader as staff type it: a name and a post (区委副书记, 副区长 ...)."""

    name: str
    post: str


def _require(actor: User, perm: str, message: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDeniedError(message)


def _lock_round(selection: KeySelection | int, version: int | None) -> KeySelection:
    pk = selection.pk if isinstance(selection, KeySelection) else selection
    locked = KeySelection.objects.select_for_update().select_related("session").get(pk=pk)
    if version is not None and locked.version != version:
        raise StaleObjectError(ROUND_STALE_MESSAGE)
    return locked


def _bump(selection: KeySelection) -> None:
    selection.version += 1
    selection.save()


@transaction.atomic
def key_selection_open(*, actor: User, session: PlenarySession, title: str = "") -> KeySelection:
    """Staff open a round for ``session``; one round of a session is open at a time."""
    _require(actor, "proposals.nominate_key", "只有提案委工作人员可以发起重点提案遴选。")
    PlenarySession.objects.select_for_update().get(pk=session.pk)  # two clicks open one round
    if KeySelection.objects.filter(session=session, state=KeySelectionState.NOMINATING).exists():
        raise ValidationFailed(f"{session.name}已有一轮遴选正在进行，请在该轮中推荐候选提案。")
    return KeySelection.objects.create(
        session=session,
        title=(title or "").strip() or f"{session.name}重点提案遴选",
        opened_by=actor,
        opened_at=timezone.now(),
    )


@transaction.atomic
def key_selection_nominate(
    *, selection: KeySelection, actor: User, version: int | None, proposals: Sequence[Proposal], reason: str = ""
) -> int:
    """Staff nominate registered proposals of the round's session as candidates.

    All or nothing: a proposal of another session, not registered, already key or already a
    candidate refuses the whole nomination with its name."""
    _require(actor, "proposals.nominate_key", "只有提案委工作人员可以推荐重点提案候选。")
    selection = _lock_round(selection, version)
    if not selection.is_open:
        raise TransitionNotAllowed("主席会议已作出决定，本轮遴选不能再推荐候选提案。")
    if not proposals:
        raise ValidationFailed("请至少选择一件提案。")
    wanted = list(Proposal.objects.filter(pk__in={p.pk for p in proposals}).order_by("sequence", "pk"))
    already = set(selection.candidates.values_list("proposal_id", flat=True))
    for p in wanted:
        if p.session_id != selection.session_id:
            raise ValidationFailed(f"《{p.title}》不是{selection.session.name}的提案。")
        if p.state not in REGISTERED_STATES:
            raise ValidationFailed(f"《{p.title}》尚未立案（{p.get_state_display()}），不能推荐为重点提案。")
        if p.is_key:
            raise ValidationFailed(f"{p.number}《{p.title}》已是重点提案。")
        if p.pk in already:
            raise ValidationFailed(f"{p.number}《{p.title}》已在本轮候选名单中。")
    now = timezone.now()
    KeyCandidate.objects.bulk_create(
        KeyCandidate(selection=selection, proposal=p, reason=reason.strip()[:200], nominated_by=actor, nominated_at=now)
        for p in wanted
    )
    for p in wanted:
        record_event(p, action="key_nominated", label="推荐为重点提案候选", actor=actor, note=reason.strip())
    _bump(selection)
    leaders = users_with_role(Role.LEADER)
    notify(
        leaders,
        kind="proposal.key_candidates",
        subject=f"{selection.title}：新增{len(wanted)}件候选提案，待主席会议决定",
        link=selection.get_absolute_url(),
    )
    return len(wanted)


@transaction.atomic
def key_selection_drop(*, selection: KeySelection, actor: User, version: int | None, proposal: Proposal) -> None:
    """Staff take a candidate off the list before the 主席会议 decides."""
    _require(actor, "proposals.nominate_key", "只有提案委工作人员可以调整候选名单。")
    selection = _lock_round(selection, version)
    if not selection.is_open:
        raise TransitionNotAllowed("主席会议已作出决定，候选名单不能再调整。")
    deleted, _ = selection.candidates.filter(proposal=proposal).delete()
    if not deleted:
        raise ValidationFailed("该提案不在本轮候选名单中。")
    record_event(proposal, action="key_dropped", label="撤出重点提案候选", actor=actor)
    _bump(selection)


@transaction.atomic
def key_selection_decide(
    *,
    selection: KeySelection,
    actor: User,
    version: int | None,
    meeting_on: date,
    chosen: Sequence[Proposal],
    note: str = "",
) -> list[Proposal]:
    """A 主席会议成员 records the 主席会议's decision: its date and the candidates it chose (it may
    leave some out). Each chosen proposal becomes key through the door (``mark-key``), in this one
    transaction; the round is then closed and cannot be decided again."""
    _require(actor, "proposals.decide_key", "主席会议的决定须由主席会议成员录入。")
    selection = _lock_round(selection, version)
    if not selection.is_open:
        raise TransitionNotAllowed("本轮遴选主席会议已作出决定，不能重复决定。")
    if meeting_on is None or meeting_on > timezone.localdate():
        raise ValidationFailed("请填写已召开的主席会议日期。")
    if not chosen:
        raise ValidationFailed("请至少选择一件确定为重点提案的候选提案。")
    candidates = {c.proposal_id: c for c in selection.candidates.select_related("proposal")}
    strangers = [p for p in chosen if p.pk not in candidates]
    if strangers:
        raise ValidationFailed(f"《{strangers[0].title}》不在本轮候选名单中，主席会议只能在候选提案中确定。")
    chosen_ids = {p.pk for p in chosen}
    decided = f"{meeting_on:%Y年%m月%d日}主席会议确定为重点提案"
    made = []
    for proposal_id in sorted(chosen_ids, key=lambda pk: (candidates[pk].proposal.sequence or 0, pk)):

        def change(p: Proposal, _assignment) -> str:
            p.is_key = True
            tell(proposer_users(p), p, f"您的提案《{p.title}》被确定为重点提案", kind="proposal.key")
            return with_note(decided, note)

        made.append(mark_and_credit(proposal_id, actor, None, ledger.MARK_KEY_ACTION, ledger.proposal_key, change))
    for proposal_id, candidate in candidates.items():
        candidate.chosen = proposal_id in chosen_ids
        if not candidate.chosen:
            record_event(
                candidate.proposal,
                action="key_not_chosen",
                label="未确定为重点提案",
                actor=actor,
                note=f"{meeting_on:%Y年%m月%d日}主席会议",
            )
    KeyCandidate.objects.bulk_update(candidates.values(), ["chosen"])
    selection.state = KeySelectionState.DECIDED
    selection.meeting_on = meeting_on
    selection.decided_by = actor
    selection.decided_at = timezone.now()
    selection.decision_note = note.strip()
    _bump(selection)
    notify(
        staff_users(),
        kind="proposal.key_decided",
        subject=f"{selection.title}：主席会议确定重点提案{len(made)}件，请安排督办领导",
        link=selection.get_absolute_url(),
    )
    return made


@transaction.atomic
def proposal_set_key_leaders(
    *,
    proposal: Proposal,
    actor: User,
    version: int | None,
    leader: User,
    leading: Iterable[LeadingName] = (),
    note: str = "",
) -> Proposal:
    """A key proposal's 督办 leader (a 主席会议成员) and its 领办 leaders of the 区委 or 区政府 (names)."""
    if leader is None or not leader.has_role(Role.LEADER):
        raise ValidationFailed("督办领导须为主席会议成员。")
    leading = [LeadingName(x.name.strip(), x.post.strip()) for x in leading]
    if any(not x.name or not x.post for x in leading):
        raise ValidationFailed("领办领导须同时填写姓名和职务。")
    if len(leading) > MAX_LEADING_OFFICIALS:
        raise ValidationFailed(f"领办领导最多{MAX_LEADING_OFFICIALS}位。")

    def change(p: Proposal, _assignment) -> str:
        if p.key_leader_id != leader.pk:
            tell([leader], p, f"请督办重点提案：{p.number}《{p.title}》", note, kind="proposal.key")
        p.key_leader = leader
        p.leading_officials.all().delete()
        LeadingOfficial.objects.bulk_create(
            LeadingOfficial(proposal=p, name=x.name, post=x.post, order=i) for i, x in enumerate(leading)
        )
        named = "、".join(f"{x.post}{x.name}" for x in leading)
        return with_note(f"督办领导：{leader.display_name}" + (f"；领办领导：{named}" if named else ""), note)

    return apply_transition(proposal=proposal, action="key-leaders", actor=actor, version=version, change=change)
