"""Builders for the proposal tests (plain functions; the fixtures are in conftest.py)."""

from __future__ import annotations

from django.utils import timezone

from proposals import services
from proposals.models import Assignment, Proposal


def assignment_of(proposal: Proposal) -> Assignment:
    """The proposal's one assignment."""
    return Assignment.objects.get(proposal=proposal)


def contact(proposal: Proposal, unit_user, *, assignment=None, method="meet") -> None:
    """先沟通后答复: the unit records a contact with the first proposer before replying."""
    services.assignment_record_contact(
        proposal=proposal,
        actor=unit_user,
        version=None,
        on=timezone.localdate(),
        method=method,
        summary="与第一提案人当面沟通办理思路。",
        assignment=assignment,
    )


def make_key(proposals: list[Proposal], *, staff, leader) -> list[Proposal]:
    """重点提案: staff open a round in the proposals' session and nominate them, a leader records the
    主席会议's decision choosing them all; the proposals come back fresh (key, no 督办 leader yet)."""
    selection = services.key_selection_open(actor=staff, session=proposals[0].session, title="测试遴选")
    services.key_selection_nominate(selection=selection, actor=staff, version=None, proposals=proposals)
    services.key_selection_decide(
        selection=selection, actor=leader, version=None, meeting_on=timezone.localdate(), chosen=proposals
    )
    return [Proposal.objects.get(pk=p.pk) for p in proposals]
