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
