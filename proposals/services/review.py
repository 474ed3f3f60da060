"""立 and 督: staff review, register, number, merge; 优秀提案 marking and supervision records
(重点提案遴选 is in ``key.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from cppcc_portal.errors import ValidationFailed, require_text
from members.models import User

from .. import ledger
from ..enums import REGISTERED_STATES, ConversionKind, ProposalState, SupervisionKind
from ..models import NonRegistrationReason, Proposal, SupervisionActivity
from ..opinions.services import opinion_create_from_proposal
from .door import Change, apply_transition, lock_proposal, next_number, proposer_users, record_event, tell, with_note


@transaction.atomic
def proposal_register(*, proposal: Proposal, actor: User, version: int | None, note: str = "") -> Proposal:
    """立案: the next number of the session's 大会 or 平时 series (no gaps, no duplicates),
    credit to the proposers."""

    def change(p: Proposal, _assignment) -> str:
        p.sequence, p.number = next_number(p.session, p.period)
        now = timezone.now()
        p.state = ProposalState.REGISTERED
        p.registered_at = p.reviewed_at = now
        ledger.sync(p, ledger.proposal_registration(p))  # credit to the proposers
        tell(proposer_users(p), p, f"您的提案《{p.title}》已立案，编号{p.number}", note, kind="proposal.registered")
        return with_note(f"编号 {p.number}", note)

    return apply_transition(proposal=proposal, action="register", actor=actor, version=version, change=change)


@transaction.atomic
def proposal_return(*, proposal: Proposal, actor: User, version: int | None, reason: str) -> Proposal:
    """退回修改: back to the author with a reason."""
    require_text(reason, "请填写退回理由。")

    def change(p: Proposal, _assignment) -> str:
        p.state = ProposalState.RETURNED
        p.return_reason = reason
        p.reviewed_at = timezone.now()
        tell([p.author.user], p, f"提案《{p.title}》被退回修改", reason, kind="proposal.returned")
        return reason

    return apply_transition(proposal=proposal, action="return", actor=actor, version=version, change=change)


@transaction.atomic
def proposal_reject(
    *,
    proposal: Proposal,
    actor: User,
    version: int | None,
    reason: NonRegistrationReason,
    note: str = "",
    consent: bool = False,
    conversion_kind: str = "",
) -> Proposal:
    """不予立案 with a reason from the list. With the proposer's consent the content is kept
    for conversion to a 社情民意 report or a member letter (the conversion itself is done
    by the public-opinion part of the portal from ``conversion_kind``)."""
    if conversion_kind and not consent:
        raise ValidationFailed("转为社情民意或委员来信须经提案人同意。")
    if conversion_kind not in ConversionKind.values:
        raise ValidationFailed("转化方式不正确。")

    def change(p: Proposal, _assignment) -> str:
        p.state = ProposalState.NOT_REGISTERED
        p.reject_reason = reason
        p.reject_note = note
        p.conversion_consent = consent
        p.conversion_kind = conversion_kind
        p.reviewed_at = timezone.now()
        converted = f"；经提案人同意{ConversionKind(conversion_kind).label}" if conversion_kind else ""
        tell(
            proposer_users(p),
            p,
            f"提案《{p.title}》不予立案",
            f"理由：{reason.text}。{note}{converted}",
            kind="proposal.not_registered",
        )
        return f"{reason.text}{('；' + note) if note else ''}{converted}"

    proposal = apply_transition(proposal=proposal, action="reject", actor=actor, version=version, change=change)
    if conversion_kind == ConversionKind.PUBLIC_OPINION:
        opinion_create_from_proposal(proposal=proposal, actor=actor)
    return proposal


@transaction.atomic
def proposal_merge(
    *, proposal: Proposal, actor: User, version: int | None, target: Proposal, note: str = ""
) -> Proposal:
    """并案 into a registered proposal of the same session; its proposers then follow the target."""
    if target.pk == proposal.pk:
        raise ValidationFailed("不能并入自身。")
    locked_target = lock_proposal(target.pk)
    if locked_target.state not in REGISTERED_STATES or locked_target.session_id != proposal.session_id:
        raise ValidationFailed("只能并入本会次已立案的提案。")

    def change(p: Proposal, _assignment) -> str:
        p.state = ProposalState.MERGED
        p.merged_into = locked_target
        p.reviewed_at = timezone.now()
        ledger.sync(p, ledger.proposal_registration(p))  # credited as registered, noting the target
        tell(
            proposer_users(p),
            p,
            f"提案《{p.title}》已并入{locked_target.number}《{locked_target.title}》办理",
            "并案后您将收到该提案的答复。" + note,
            kind="proposal.merged",
        )
        return with_note(f"并入 {locked_target.number}《{locked_target.title}》", note)

    result = apply_transition(proposal=proposal, action="merge", actor=actor, version=version, change=change)
    record_event(
        locked_target,
        action="merged_in",
        label="并案",
        actor=actor,
        note=f"《{result.title}》（{result.author.name}）并入本提案",
    )
    return result


def mark_and_credit(
    proposal: Proposal | int,
    actor: User,
    version: int | None,
    action: str,
    credit: Callable[[Proposal, date | None], ledger.Wanted],
    change: Change,
) -> Proposal:
    """重点 / 优秀 marking: the transition, then the proposers' credit. After the timeline row, as the
    credit is dated by the latest marking row (and taken back when un-marked)."""
    result = apply_transition(proposal=proposal, action=action, actor=actor, version=version, change=change)
    ledger.sync(result, credit(result, ledger.marked_on(result, action)))
    return result


@transaction.atomic
def proposal_mark_excellent(
    *, proposal: Proposal, actor: User, version: int | None, is_excellent: bool, note: str = ""
) -> Proposal:
    """优秀提案评选: staff mark (or unmark) an answered proposal as excellent."""

    def change(p: Proposal, _assignment) -> str:
        p.is_excellent = is_excellent
        if is_excellent:
            tell(proposer_users(p), p, f"您的提案《{p.title}》被评为优秀提案", note, kind="proposal.excellent")
            return with_note("评为优秀提案", note)
        return with_note("取消优秀提案", note)

    return mark_and_credit(proposal, actor, version, ledger.MARK_EXCELLENT_ACTION, ledger.proposal_excellent, change)


@transaction.atomic
def proposal_record_supervision(
    *, proposal: Proposal, actor: User, version: int | None, kind: str, on: date, notes: str, attendees: str = ""
) -> Proposal:
    """The supervising leader (or staff) records a 督办 (调研, 座谈, 现场督办 ...) on a key proposal."""
    require_text(notes, "请填写督办情况。")
    if on > timezone.localdate():
        raise ValidationFailed("督办日期不能晚于今天。")
    if kind not in SupervisionKind.values:
        raise ValidationFailed("请选择督办形式。")

    def change(p: Proposal, _assignment) -> str:
        activity = SupervisionActivity.objects.create(
            proposal=p, kind=kind, on=on, notes=notes, attendees=attendees.strip(), recorded_by=actor
        )
        present = f"\n参加人员：{activity.attendees}" if activity.attendees else ""
        return f"{activity.get_kind_display()}（{on:%Y-%m-%d}）：{notes}{present}"

    return apply_transition(proposal=proposal, action="supervise", actor=actor, version=version, change=change)
