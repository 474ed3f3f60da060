"""评: proposers rate each unit's reply; staff re-handle or close."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cppcc_portal.deadlines import due_date
from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed, require_text
from cppcc_portal.roles import SystemActor
from members.models import User

from ..enums import REPLYING_KINDS, AssignmentState, ProposalState, Satisfaction
from ..models import Evaluation, Proposal
from ..workflow import ASSIGNMENTS_DONE_ON_CLOSE, TRANSITIONS
from .door import apply_transition, proposer_users, staff_users, tell, unit_users, with_note


def _close(p: Proposal, *, note: str) -> None:
    """办结 as the table's ``close`` transition says: from its source state to its target, the
    parts still open finishing with it. Used by staff's close and by the last satisfied rating
    (whose ``evaluate`` transition lists the same target)."""
    close = TRANSITIONS["close"]
    if p.state not in close.sources:
        raise TransitionNotAllowed(f"提案当前状态为“{p.get_state_display()}”，不能办结。")
    for a in p.assignments.all():
        if a.state in ASSIGNMENTS_DONE_ON_CLOSE:
            a.state = AssignmentState.DONE
            a.save(update_fields=["state"])
    (p.state,) = close.targets
    p.closed_at = timezone.now()
    p.close_note = note
    tell(proposer_users(p), p, f"您的提案《{p.title}》已办结", note, kind="proposal.closed")


def _rated_by_author(p: Proposal, a) -> Evaluation | None:
    return next((e for e in a.evaluations.all() if e.round == a.round and e.member_id == p.author_id), None)


@transaction.atomic
def proposal_evaluate(
    *, proposal: Proposal, actor: User, version: int | None, assignment, satisfaction: str, comment: str = ""
) -> Proposal:
    """One rating per replied unit. When the first proposer has rated every reply and nobody
    is dissatisfied, the proposal closes (办结); a dissatisfied rating goes to staff."""
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed("请选择评价结果。")
    if getattr(actor, "member", None) is None:
        raise PermissionDeniedError("只有提案人可以评价办理情况。")

    def change(p: Proposal, a) -> str:
        Evaluation.objects.create(
            assignment=a, member=actor.member, round=a.round, satisfaction=satisfaction, comment=comment
        )
        a._prefetched_objects_cache.pop("evaluations", None)
        label = Satisfaction(satisfaction).label
        tell(unit_users(a.unit_id), p, f"提案人对答复的评价：{label}（{p.number}）", comment, kind="proposal.evaluated")
        replying = [x for x in p.assignments.all() if x.kind in REPLYING_KINDS and x.state == AssignmentState.REPLIED]
        ratings = [e for x in replying for e in x.evaluations.all() if e.round == x.round]
        if any(e.satisfaction == Satisfaction.DISSATISFIED for e in ratings):
            tell(
                staff_users(),
                p,
                f"提案人对答复不满意，请研究重新办理或办结：{p.number}",
                comment,
                kind="proposal.dissatisfied",
            )
        elif all(_rated_by_author(p, x) for x in replying):
            _close(p, note="提案人评价满意，办结")
        return f"评价{a.unit}的答复：{label}" + (f"；{comment}" if comment else "")

    return apply_transition(
        proposal=proposal, action="evaluate", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def proposal_rehandle(*, proposal: Proposal, actor: User, version: int | None, assignment, note: str = "") -> Proposal:
    """重新办理: a second reply cycle for a unit whose reply was rated dissatisfied."""

    def change(p: Proposal, a) -> str:
        a.state = AssignmentState.RE_HANDLING
        a.round += 1
        a.rehandling_due = due_date("proposal.rehandling", timezone.localdate())
        a.evaluation_due = None
        p.state = ProposalState.HANDLING
        tell(
            unit_users(a.unit_id),
            p,
            f"请重新办理提案：{p.number}《{p.title}》",
            f"请于{a.rehandling_due:%Y年%m月%d日}前再次答复。{note}",
            kind="proposal.rehandle",
        )
        tell(proposer_users(p), p, f"您的提案《{p.title}》已交{a.unit}重新办理", note, kind="proposal.rehandle")
        return with_note(f"{a.unit}重新办理，期限{a.rehandling_due:%Y-%m-%d}", note)

    return apply_transition(
        proposal=proposal, action="rehandle", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def proposal_close(
    *, proposal: Proposal, actor: User | SystemActor, version: int | None, note: str, unevaluated: bool = False
) -> Proposal:
    """Staff close it with a note (e.g. after a dissatisfied rating). ``actor=system_actor()``
    with ``unevaluated=True``: the sweep closes it as 未评价 when the evaluation period ran out."""
    require_text(note, "请填写办结说明。")

    def change(p: Proposal, _a) -> str:
        if unevaluated:
            for a in p.assignments.all():
                if a.state == AssignmentState.REPLIED and not _rated_by_author(p, a):
                    a.unevaluated = True
                    a.save(update_fields=["unevaluated"])
        _close(p, note=note)
        return note

    return apply_transition(proposal=proposal, action="close", actor=actor, version=version, change=change)
