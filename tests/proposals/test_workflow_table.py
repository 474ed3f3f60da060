"""Walk the whole transition table: every action, every demo proposal (all states), every role.

An independent oracle (the 提案 rules as the office states them, written out plainly
here) must agree with what the detail page offers (``available_actions``) and
with what the one door lets through (``apply_transition``).
"""

from __future__ import annotations

import pytest
from django.db import transaction

from cppcc_portal.errors import ApplicationError
from proposals import demo_year
from proposals.enums import (
    EDITABLE_STATES,
    REGISTERED_STATES,
    REPLYING_KINDS,
    AssignmentState,
    ProposalState,
    RequestState,
    Satisfaction,
)
from proposals.models import Proposal
from proposals.selectors import proposal_detail_queryset
from proposals.services.door import apply_transition
from proposals.workflow import TRANSITIONS, available_actions

ROLES = ["staff", "leader", "member1", "member2", "unit_edu", "unit_health"]
A = AssignmentState
P = ProposalState


class Rollback(Exception):
    pass


def oracle(action: str, p: Proposal, user) -> bool:
    staff = user.username == "staff"
    member = getattr(user, "member", None)
    mid = member.pk if member else None
    org = user.organization_id
    signers = list(p.signers.all())
    active = [a for a in p.assignments.all() if a.state != A.REASSIGNED]
    mine = [a for a in active if a.unit_id == org]
    # A collective proposal is its organisation's to write (none of these roles belongs to one),
    # or the office's when staff file it on the organisation's behalf; never its contact member's.
    office_files_it = (
        staff
        and p.is_collective
        and p.filed_by.organization_id != p.proposer_org_id
        and not (p.is_private_draft and p.filed_by_id != user.pk)
    )
    author = (mid == p.author_id and not p.is_collective) or office_files_it
    confirmed = not p.is_collective or p.head_confirmed_at is not None
    state = p.state
    if action == "edit":
        return state in EDITABLE_STATES and author
    if action == "confirm":
        return state in EDITABLE_STATES and office_files_it and not confirmed
    if action == "cosign":
        return state in EDITABLE_STATES and any(s.member_id == mid and s.status == "invited" for s in signers)
    if action == "submit":
        return state in EDITABLE_STATES and author and confirmed and all(s.status != "invited" for s in signers)
    if action == "withdraw":
        return state in (P.DRAFT, P.SUBMITTED, P.RETURNED) and author
    if action in ("register", "return", "reject", "merge"):
        return state == P.SUBMITTED and staff
    if action == "assign":
        return state in (P.REGISTERED, P.HANDLING) and staff
    if action in ("accept", "request-reassign"):
        return state == P.HANDLING and any(a.state == A.PENDING_ACCEPT for a in mine)
    if action == "decide-reassign":
        return state == P.HANDLING and staff and any(a.state == A.REASSIGN_REQUESTED for a in active)
    if action == "request-extension":
        return state == P.HANDLING and any(
            a.kind in REPLYING_KINDS
            and a.state in (A.ACCEPTED, A.RE_HANDLING)
            and not any(r.state == RequestState.PENDING for r in a.extension_requests.all())
            for a in mine
        )
    if action == "decide-extension":
        return (
            state == P.HANDLING
            and staff
            and any(
                a.state in (A.ACCEPTED, A.RE_HANDLING)
                and any(r.state == RequestState.PENDING for r in a.extension_requests.all())
                for a in active
            )
        )
    if action == "contact":
        return state in (P.HANDLING, P.REPLIED) and any(a.state in (A.ACCEPTED, A.RE_HANDLING, A.REPLIED) for a in mine)
    if action == "views":
        return state == P.HANDLING and any(a.kind == "co" and a.state == A.ACCEPTED for a in mine)
    if action == "waive-contact":  # the first proposer's own waiver of 先沟通后答复
        return (
            state == P.HANDLING
            and mid is not None
            and mid == p.author_id
            and any(
                a.kind in REPLYING_KINDS
                and a.state in (A.PENDING_ACCEPT, A.ACCEPTED, A.RE_HANDLING)
                and a.contact_waived_at is None
                for a in active
            )
        )
    if action == "override-views":  # staff let the lead unit reply before every co-unit's views
        pending_co = [
            a for a in active if a.kind == "co" and a.state in (A.PENDING_ACCEPT, A.ACCEPTED, A.REASSIGN_REQUESTED)
        ]
        return (
            state == P.HANDLING
            and staff
            and bool(pending_co)
            and any(
                a.kind == "lead" and a.state in (A.ACCEPTED, A.RE_HANDLING) and a.views_override_at is None
                for a in active
            )
        )
    if action in ("draft-reply", "reply"):  # the 经办人 drafts; only the unit's 负责人 signs off
        return (
            state == P.HANDLING
            and (action == "draft-reply" or user.is_unit_head)
            and any(a.kind in REPLYING_KINDS and a.state in (A.ACCEPTED, A.RE_HANDLING) for a in mine)
        )
    if action == "rate-quality":
        return state in (P.HANDLING, P.REPLIED, P.CLOSED) and any(
            a.state not in (A.PENDING_ACCEPT, A.REASSIGNED) for a in mine
        )
    if action == "mark-key":  # the 主席会议's decision, recorded by a leader on the selection page
        return state in REGISTERED_STATES and not p.is_key and user.username == "leader"
    if action == "key-leaders":
        return state in REGISTERED_STATES and p.is_key and user.username in ("staff", "leader")
    if action == "mark-excellent":
        return state in (P.REPLIED, P.CLOSED) and staff
    if action == "supervise":
        return state in REGISTERED_STATES and p.is_key and (staff or p.key_leader_id == user.pk)
    if action == "followup":
        return (
            state in (P.REPLIED, P.CLOSED)
            and staff
            and any(a.reply_class == "B" and a.implemented_at is None for a in active)
        )
    if action == "comment-reply":  # a confirmed co-signer's view, no rating
        co_signer = mid != p.author_id and any(s.member_id == mid and s.status == "confirmed" for s in signers)
        return (
            state in (P.REPLIED, P.CLOSED)
            and co_signer
            and any(
                a.kind in REPLYING_KINDS
                and a.state in (A.REPLIED, A.DONE)
                and not any(e.member_id == mid and e.round == a.round for e in a.evaluations.all())
                for a in active
            )
        )
    if action == "evaluate":  # the 征询意见表: the first proposer only, once per reply round
        return (
            state == P.REPLIED
            and mid == p.author_id
            and any(
                a.kind in REPLYING_KINDS
                and a.state == A.REPLIED
                and not any(e.role == "first_proposer" and e.round == a.round for e in a.evaluations.all())
                for a in active
            )
        )
    if action == "rehandle":
        return (
            state == P.REPLIED
            and staff
            and any(
                a.state == A.REPLIED
                and any(e.round == a.round and e.satisfaction == Satisfaction.DISSATISFIED for e in a.evaluations.all())
                for a in active
            )
        )
    if action == "close":
        return state == P.REPLIED and staff
    raise AssertionError(f"no oracle for {action}")


def door_allows(proposal: Proposal, action: str, user) -> bool:
    try:
        with transaction.atomic():
            apply_transition(proposal=proposal.pk, action=action, actor=user, version=None, change=lambda p, a: "")
            raise Rollback
    except Rollback:
        return True
    except ApplicationError:
        return False


def test_demo_has_every_state(demo):
    assert set(Proposal.objects.values_list("state", flat=True)) == set(ProposalState.values)


def test_every_transition_is_data_with_valid_states():
    for transition in TRANSITIONS.values():
        assert set(transition.sources) <= set(ProposalState.values)
        assert set(transition.targets) <= set(ProposalState.values)
        assert set(transition.assignment_sources) <= set(AssignmentState.values)
        assert set(transition.assignment_targets) <= set(AssignmentState.values)
    terminal = {P.WITHDRAWN, P.NOT_REGISTERED, P.MERGED}
    reachable_from = {s for t in TRANSITIONS.values() for s in t.sources}
    assert terminal.isdisjoint(reachable_from - {P.CLOSED}), "terminal states must not start any state change"


def walked_proposals() -> list[int]:
    """Every proposal of the hand-made demo, and of the demo year's 140 (other members and
    units, the same shapes over and over) one per shape: state, key, and its units' states."""
    year = {title for title, _category, _unit in demo_year.year_titles()}
    walked, shapes = [], set()
    for p in proposal_detail_queryset().order_by("pk"):
        if p.title in year:
            shape = (p.state, p.is_key, tuple(sorted((a.kind, a.state, a.reply_class) for a in p.assignments.all())))
            if shape in shapes:
                continue
            shapes.add(shape)
        walked.append(p.pk)
    return walked


@pytest.mark.parametrize("role", ROLES)
def test_walk_the_table_for_every_role(role, demo):
    """Offered on the page == allowed by the door == allowed by the rules, for every action and state."""
    user = demo[role]
    checked = allowed = 0
    for pk in walked_proposals():
        proposal = proposal_detail_queryset().get(pk=pk)
        offered = {t.action for t in available_actions(proposal, user)}
        for action in TRANSITIONS:
            expected = oracle(action, proposal, user)
            assert (action in offered) == expected, f"{role} {action} on {proposal.state} 《{proposal.title}》"
            assert door_allows(proposal, action, user) == expected, f"door: {role} {action} on {proposal.state}"
            checked += 1
            allowed += expected
    assert checked >= 17 * len(TRANSITIONS)
    assert allowed > 0


def test_superuser_is_not_a_handling_unit(demo):
    proposal = proposal_detail_queryset().get(title="关于推进家庭医生签约服务提质增效的建议")
    offered = {t.action for t in available_actions(proposal, demo["admin"])}
    assert "accept" not in offered and "reply" not in offered
    assert "assign" in offered
