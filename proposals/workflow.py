"""The proposal workflow as data: which action moves what, from where, for whom.

Each ``Transition`` names the rule (``proposals.<verb>_...`` in ``permissions.py``)
that says *who* may act (role and relationship to the proposal), the proposal
states it starts from and, for actions on one handling unit's part, the
assignment states and kinds it applies to. ``guard``s are small named predicates
for the rest ("every co-signer has answered"). Nothing here writes to the
database; ``services.py`` applies the moves through one door.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cppcc_portal.roles import is_system

from .enums import (
    REGISTERED_STATES,
    REPLYING_KINDS,
    AssignmentKind,
    AssignmentState,
    EvaluatorRole,
    Period,
    ProposalState,
    ReplyClass,
    RequestState,
    Satisfaction,
    SignerStatus,
)

P = ProposalState
A = AssignmentState


def member_id(user) -> int | None:
    member = getattr(user, "member", None) if user is not None and user.is_authenticated else None
    return member.pk if member is not None else None


# --- guards (proposal, user) -> bool; they read prefetched relations only --------------------


def all_signers_answered(proposal, user) -> bool:
    return all(signer.status != SignerStatus.INVITED for signer in proposal.signers.all())


def head_has_confirmed(proposal, user) -> bool:
    """A collective proposal goes in only once its organisation's head has confirmed it."""
    return not proposal.awaits_head_confirmation


def awaits_head_confirmation(proposal, user) -> bool:
    return proposal.awaits_head_confirmation


def my_invitation_open(proposal, user) -> bool:
    mine = member_id(user)
    return any(s.member_id == mine and s.status == SignerStatus.INVITED for s in proposal.signers.all())


def is_key_proposal(proposal, user) -> bool:
    return proposal.is_key


def not_key_yet(proposal, user) -> bool:
    return not proposal.is_key


def has_dissatisfied_reply(proposal, user) -> bool:
    return any(
        assignment.state == A.REPLIED
        and any(
            e.round == assignment.round and e.satisfaction == Satisfaction.DISSATISFIED
            for e in assignment.evaluations.all()
        )
        for assignment in proposal.assignments.all()
    )


def extension_possible(assignment, user) -> bool:
    return not any(r.state == RequestState.PENDING for r in assignment.extension_requests.all())


def extension_pending(assignment, user) -> bool:
    return any(r.state == RequestState.PENDING for r in assignment.extension_requests.all())


def not_yet_rated_by_me(assignment, user) -> bool:
    """No rating (first proposer) or comment (co-signer) of mine on this reply round yet."""
    mine = member_id(user)
    return not any(e.member_id == mine and e.round == assignment.round for e in assignment.evaluations.all())


def first_proposer_not_rated(assignment, user) -> bool:
    """No 征询意见表 of this reply round yet from the first proposer (or, for a collective proposal,
    its organisation, whose rating counts as the first proposer's)."""
    return not any(
        e.role == EvaluatorRole.FIRST_PROPOSER and e.round == assignment.round for e in assignment.evaluations.all()
    )


def contact_not_waived(assignment, user) -> bool:
    return assignment.contact_waived_at is None


def co_views_outstanding(assignment, user) -> bool:
    """A lead unit whose co-units have not all sent their views, and no staff override yet."""
    return assignment.views_override_at is None and bool(pending_co_units(assignment))


def pending_co_units(assignment) -> list:
    """The co-units (会办) of a lead assignment whose views have not reached it."""
    if assignment.kind != AssignmentKind.LEAD:
        return []
    return [
        x
        for x in assignment.proposal.assignments.all()
        if x.kind == AssignmentKind.CO and x.state in (A.PENDING_ACCEPT, A.ACCEPTED, A.REASSIGN_REQUESTED)
    ]


def b_class_open(assignment, user) -> bool:
    return assignment.reply_class == ReplyClass.B and assignment.implemented_at is None


def period_for(session, on) -> str:
    """大会提案 until the session's ``proposal_deadline`` (inclusive); 平时提案 after it.
    A session without a deadline takes 大会提案 all year."""
    deadline = getattr(session, "proposal_deadline", None)
    return Period.INTERIM if deadline is not None and on > deadline else Period.PLENARY


@dataclass(frozen=True)
class Transition:
    action: str  # URL segment /proposals/<id>/<action>/
    label: str
    perm: str
    sources: tuple[str, ...]  # proposal states it starts from
    targets: tuple[str, ...] = ()  # proposal states it may lead to (empty: unchanged)
    # For actions on one unit's part: the assignment states and kinds it applies to.
    assignment_sources: tuple[str, ...] = ()
    assignment_kinds: tuple[str, ...] = ()
    assignment_targets: tuple[str, ...] = ()
    # Unit actions apply to the actor's own unit; staff pick the assignment.
    own_unit: bool = False
    guard: Callable | tuple[Callable, ...] | None = None  # (proposal, user) -> bool; all must hold
    assignment_guard: Callable | None = None  # (assignment, user) -> bool
    style: str = "outline-primary"
    # Taken from another page (the 重点提案遴选 round), not from a button on the proposal's page.
    on_detail_page: bool = True

    @property
    def on_assignment(self) -> bool:
        return bool(self.assignment_sources)

    @property
    def guards(self) -> tuple[Callable, ...]:
        if self.guard is None:
            return ()
        return self.guard if isinstance(self.guard, tuple) else (self.guard,)


_ALL_REPLY_STATES = (A.ACCEPTED, A.REASSIGN_REQUESTED, A.VIEWS_SENT, A.REPLIED, A.RE_HANDLING, A.DONE)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        # 提 — the proposer
        Transition("edit", "修改", "proposals.edit_proposal", (P.DRAFT, P.RETURNED)),
        Transition(
            "cosign", "确认/谢绝附议", "proposals.cosign_proposal", (P.DRAFT, P.RETURNED), guard=my_invitation_open
        ),
        Transition(
            "confirm",
            "负责人确认",
            "proposals.confirm_collective",
            (P.DRAFT, P.RETURNED),
            guard=awaits_head_confirmation,
            style="primary",
        ),
        Transition(
            "submit",
            "提交",
            "proposals.submit_proposal",
            (P.DRAFT, P.RETURNED),
            (P.SUBMITTED,),
            guard=(all_signers_answered, head_has_confirmed),
            style="primary",
        ),
        Transition(
            "withdraw",
            "撤回",
            "proposals.withdraw_proposal",
            (P.DRAFT, P.SUBMITTED, P.RETURNED),
            (P.WITHDRAWN,),
            style="outline-danger",
        ),
        # 立 — staff
        Transition("register", "立案", "proposals.review_proposal", (P.SUBMITTED,), (P.REGISTERED,), style="primary"),
        Transition("return", "退回修改", "proposals.review_proposal", (P.SUBMITTED,), (P.RETURNED,)),
        Transition(
            "reject",
            "不予立案",
            "proposals.review_proposal",
            (P.SUBMITTED,),
            (P.NOT_REGISTERED,),
            style="outline-danger",
        ),
        Transition("merge", "并案", "proposals.review_proposal", (P.SUBMITTED,), (P.MERGED,)),
        # 办 — staff assign, units handle
        Transition(
            "assign",
            "交办",
            "proposals.assign_proposal",
            (P.REGISTERED, P.HANDLING),
            (P.HANDLING,),
            style="primary",
        ),
        Transition(
            "accept",
            "签收",
            "proposals.handle_assignment",
            (P.HANDLING,),
            assignment_sources=(A.PENDING_ACCEPT,),
            assignment_targets=(A.ACCEPTED,),
            own_unit=True,
            style="primary",
        ),
        Transition(
            "request-reassign",
            "申请调整承办单位",
            "proposals.handle_assignment",
            (P.HANDLING,),
            assignment_sources=(A.PENDING_ACCEPT,),
            assignment_targets=(A.REASSIGN_REQUESTED,),
            own_unit=True,
        ),
        Transition(
            "decide-reassign",
            "审批调整申请",
            "proposals.assign_proposal",
            (P.HANDLING,),
            assignment_sources=(A.REASSIGN_REQUESTED,),
            assignment_targets=(A.REASSIGNED, A.ACCEPTED),
        ),
        Transition(
            "request-extension",
            "申请延期",
            "proposals.handle_assignment",
            (P.HANDLING,),
            assignment_sources=(A.ACCEPTED, A.RE_HANDLING),
            assignment_kinds=REPLYING_KINDS,
            own_unit=True,
            assignment_guard=extension_possible,
        ),
        Transition(
            "decide-extension",
            "审批延期申请",
            "proposals.assign_proposal",
            (P.HANDLING,),
            assignment_sources=(A.ACCEPTED, A.RE_HANDLING),
            assignment_guard=extension_pending,
        ),
        Transition(
            "contact",
            "记录沟通情况",
            "proposals.handle_assignment",
            (P.HANDLING, P.REPLIED),
            assignment_sources=(A.ACCEPTED, A.RE_HANDLING, A.REPLIED),
            own_unit=True,
        ),
        Transition(
            "waive-contact",
            "声明无需沟通",
            "proposals.waive_contact",
            (P.HANDLING,),
            assignment_sources=(A.PENDING_ACCEPT, A.ACCEPTED, A.RE_HANDLING),
            assignment_kinds=REPLYING_KINDS,
            assignment_guard=contact_not_waived,
        ),
        Transition(
            "override-views",
            "不待会办意见",
            "proposals.assign_proposal",
            (P.HANDLING,),
            assignment_sources=(A.ACCEPTED, A.RE_HANDLING),
            assignment_kinds=(AssignmentKind.LEAD,),
            assignment_guard=co_views_outstanding,
        ),
        Transition(
            "views",
            "提交会办意见",
            "proposals.handle_assignment",
            (P.HANDLING,),
            assignment_sources=(A.ACCEPTED,),
            assignment_kinds=(AssignmentKind.CO,),
            assignment_targets=(A.VIEWS_SENT,),
            own_unit=True,
            style="primary",
        ),
        Transition(
            "draft-reply",
            "起草答复",
            "proposals.handle_assignment",
            (P.HANDLING,),
            assignment_sources=(A.ACCEPTED, A.RE_HANDLING),
            assignment_kinds=REPLYING_KINDS,
            own_unit=True,
        ),
        Transition(
            "reply",
            "签发答复",
            "proposals.sign_reply",
            (P.HANDLING,),
            (P.REPLIED,),
            assignment_sources=(A.ACCEPTED, A.RE_HANDLING),
            assignment_kinds=REPLYING_KINDS,
            assignment_targets=(A.REPLIED,),
            own_unit=True,
            style="primary",
        ),
        Transition(
            "rate-quality",
            "评价提案质量",
            "proposals.handle_assignment",
            (P.HANDLING, P.REPLIED, P.CLOSED),
            assignment_sources=_ALL_REPLY_STATES,
            own_unit=True,
        ),
        # 督 — staff and leaders
        # 重点提案: the 主席会议's decision, recorded on the selection round's page (services/key.py)
        Transition(
            "mark-key",
            "主席会议确定为重点提案",
            "proposals.decide_key",
            REGISTERED_STATES,
            guard=not_key_yet,
            on_detail_page=False,
        ),
        Transition(
            "key-leaders", "督办与领办领导", "proposals.set_key_leaders", REGISTERED_STATES, guard=is_key_proposal
        ),
        # 优秀提案评选: among proposals already answered
        Transition("mark-excellent", "优秀提案评选", "proposals.mark_excellent", (P.REPLIED, P.CLOSED)),
        Transition(
            "supervise", "记录督办活动", "proposals.supervise_proposal", REGISTERED_STATES, guard=is_key_proposal
        ),
        Transition(
            "followup",
            "记录B类落实",
            "proposals.assign_proposal",
            (P.REPLIED, P.CLOSED),
            assignment_sources=(A.REPLIED, A.DONE),
            assignment_guard=b_class_open,
        ),
        # 评 — the first proposer rates (征询意见表), co-signers comment; then staff on dissatisfaction
        Transition(
            "evaluate",
            "填写征询意见表",
            "proposals.evaluate_proposal",
            (P.REPLIED,),
            (P.CLOSED,),
            assignment_sources=(A.REPLIED,),
            assignment_kinds=REPLYING_KINDS,
            assignment_targets=(A.DONE,),
            assignment_guard=first_proposer_not_rated,
            style="primary",
        ),
        Transition(
            "comment-reply",
            "对答复提出意见",
            "proposals.comment_on_reply",
            (P.REPLIED, P.CLOSED),
            assignment_sources=(A.REPLIED, A.DONE),
            assignment_kinds=REPLYING_KINDS,
            assignment_guard=not_yet_rated_by_me,
        ),
        Transition(
            "rehandle",
            "要求重新办理",
            "proposals.assign_proposal",
            (P.REPLIED,),
            (P.HANDLING,),
            assignment_sources=(A.REPLIED,),
            assignment_kinds=REPLYING_KINDS,
            assignment_targets=(A.RE_HANDLING,),
            guard=has_dissatisfied_reply,
        ),
        Transition("close", "办结", "proposals.assign_proposal", (P.REPLIED,), (P.CLOSED,), style="outline-success"),
    ]
}

# When a proposal closes (staff's 办结, or the proposer's last satisfied rating), the parts
# still open finish with it.
ASSIGNMENTS_DONE_ON_CLOSE = (A.REPLIED, A.VIEWS_SENT, A.ACCEPTED)


def candidate_assignments(transition: Transition, proposal, user) -> list:
    """The assignments an assignment action may apply to, for this user, now."""
    organization_id = getattr(user, "organization_id", None)
    return [
        assignment
        for assignment in proposal.assignments.all()
        if assignment.state in transition.assignment_sources
        and (not transition.assignment_kinds or assignment.kind in transition.assignment_kinds)
        and (not transition.own_unit or is_system(user) or assignment.unit_id == organization_id)
        and (transition.assignment_guard is None or transition.assignment_guard(assignment, user))
    ]


def blocked_reason(transition: Transition, proposal, user, *, check_perm: bool = True) -> str | None:
    """Why ``user`` may not take ``transition`` on ``proposal`` now, or None when they may."""
    if check_perm and not user.has_perm(transition.perm, proposal):
        return "您无权进行此操作。"
    if proposal.state not in transition.sources:
        return f"提案当前状态为“{ProposalState(proposal.state).label}”，不能{transition.label}。"
    for guard in transition.guards:
        if not guard(proposal, user):
            return GUARD_MESSAGES.get(guard.__name__, f"当前不能{transition.label}。")
    if transition.on_assignment and not candidate_assignments(transition, proposal, user):
        return f"没有可以{transition.label}的承办事项。"
    return None


GUARD_MESSAGES = {
    "all_signers_answered": "还有附议人未确认或谢绝，暂不能提交。",
    "head_has_confirmed": "集体提案须经提案单位负责人确认后方可提交。",
    "awaits_head_confirmation": "提案单位负责人已经确认过这份提案（修改后须重新确认）。",
    "my_invitation_open": "您没有待答复的附议邀请。",
    "is_key_proposal": "只有重点提案才有督办。",
    "not_key_yet": "该提案已是重点提案。",
    "has_dissatisfied_reply": "没有“不满意”的评价，无需重新办理。",
}


def available_actions(proposal, user) -> list[Transition]:
    """Exactly the actions ``user`` may take on ``proposal`` now (for the detail page)."""
    return [t for t in TRANSITIONS.values() if blocked_reason(t, proposal, user) is None]
