"""Builders for the proposal tests (plain functions; the fixtures are in conftest.py)."""

from __future__ import annotations

from proposals.models import Assignment, Proposal


def assignment_of(proposal: Proposal) -> Assignment:
    """The proposal's one assignment."""
    return Assignment.objects.get(proposal=proposal)
