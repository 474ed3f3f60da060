"""评: proposers rate each unit's reply; staff re-handle or close."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cppcc_portal.deadlines import due_date
from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed, require_text
from cppcc_portal.roles import Role, SystemActor
from members.models import User

from ..enums import REPLYING_KINDS, AssignmentState, EvaluatorRole, ProposalState, Satisfaction
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
    return next((e for e in a.evaluations.all() if e.round == a.round and e.role == EvaluatorRole.FIRST_PROPOSER), None)


def _first_proposer(p: Proposal, actor: User):
    """Whose rating ``actor`` gives: the first proposer's own, or, for a collective proposal, its
    organisation's (filled in by the organisation's users; it counts as the first proposer's, the
    contact member ``author``)."""
    if (
        p.proposer_org_id is not None
        and actor.has_role(Role.PROPOSER_ORG)
        and actor.organization_id == p.proposer_org_id
    ):
        return p.author
    member = getattr(actor, "member", None)
    if member is None:
        raise PermissionDeniedError("只有第一提案人可以评价办理情况。")
    if member.pk != p.author_id:
        raise PermissionDeniedError("只有第一提案人可以评价办理态度和办理结果；附议人可以对答复提出意见。")
    return member


def _as_proposal(proposal: Proposal | int) -> Proposal:
    return proposal if isinstance(proposal, Proposal) else Proposal.objects.get(pk=proposal)


@transaction.atomic
def proposal_evaluate(
    *,
    proposal: Proposal,
    actor: User,
    version: int | None,
    assignment,
    attitude: str,
    satisfaction: str,
    met_in_person: bool | None,
    comment: str = "",
) -> Proposal:
    """征询意见表: the first proposer rates one replied unit's 办理态度 and 办理结果 (``satisfaction``)
    separately and says whether the unit met them (是否见面); one rating per unit and reply round.
    Co-signers cannot rate (they comment with ``proposal_comment_reply``). When the first proposer
    has rated every reply and no 办理结果 is 不满意, the proposal closes (办结); a 不满意 goes to staff."""
    if attitude not in Satisfaction.values:
        raise ValidationFailed("请评价办理态度。")
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed("请评价办理结果。")
    if not isinstance(met_in_person, bool):
        raise ValidationFailed("请选择承办单位是否与您见面沟通。")
    member = _first_proposer(_as_proposal(proposal), actor)

    def change(p: Proposal, a) -> str:
        if _rated_by_author(p, a):
            raise TransitionNotAllowed(f"您已评价过{a.unit}本轮的答复。")
        Evaluation.objects.create(
            assignment=a,
            member=member,
            role=EvaluatorRole.FIRST_PROPOSER,
            round=a.round,
            attitude=attitude,
            satisfaction=satisfaction,
            met_in_person=met_in_person,
            comment=comment,
        )
        a._prefetched_objects_cache.pop("evaluations", None)
        summary = (
            f"办理态度{Satisfaction(attitude).label}，办理结果{Satisfaction(satisfaction).label}，"
            f"{'已' if met_in_person else '未'}见面"
        )
        tell(
            unit_users(a.unit_id), p, f"提案人对答复的评价：{summary}（{p.number}）", comment, kind="proposal.evaluated"
        )
        replying = [x for x in p.assignments.all() if x.kind in REPLYING_KINDS and x.state == AssignmentState.REPLIED]
        ratings = [e for x in replying if (e := _rated_by_author(p, x))]
        if any(e.satisfaction == Satisfaction.DISSATISFIED for e in ratings):
            tell(
                staff_users(),
                p,
                f"提案人对办理结果不满意，请研究重新办理或办结：{p.number}",
                comment,
                kind="proposal.dissatisfied",
            )
        elif len(ratings) == len(replying):
            _close(p, note="提案人评价满意，办结")
        if attitude == Satisfaction.DISSATISFIED:
            tell(
                staff_users(), p, f"提案人对{a.unit}的办理态度不满意：{p.number}", comment, kind="proposal.dissatisfied"
            )
        return f"评价{a.unit}的答复：{summary}" + (f"；{comment}" if comment else "")

    return apply_transition(
        proposal=proposal, action="evaluate", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def proposal_comment_reply(
    *, proposal: Proposal, actor: User, version: int | None, assignment, comment: str
) -> Proposal:
    """A co-signer's view of one unit's reply, on the 征询意见表 beside the first proposer's rating.
    It carries no rating and never counts in the figures; one per co-signer, unit and round."""
    if not comment.strip():
        raise ValidationFailed("请填写意见。")
    member = getattr(actor, "member", None)
    if member is None:
        raise PermissionDeniedError("只有附议人可以提出意见。")

    def change(p: Proposal, a) -> str:
        Evaluation.objects.create(
            assignment=a, member=member, role=EvaluatorRole.CO_SIGNER, round=a.round, comment=comment.strip()
        )
        tell(unit_users(a.unit_id), p, f"附议人对答复的意见（{p.number}）", comment, kind="proposal.evaluated")
        return f"附议人{member.name}对{a.unit}答复的意见：{comment.strip()}"

    return apply_transition(
        proposal=proposal, action="comment-reply", actor=actor, version=version, assignment=assignment, change=change
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
