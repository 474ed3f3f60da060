"""The chain stage of a topic, derived from its records; RSVP moves as data.

No database writes here: ``derive_stage`` takes plain facts (usually the
annotations ``selectors.topics_with_chain`` puts on each topic).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .enums import CHAIN_ORDER, ChainStage, InvitationKind, Moderation, OnlinePhase, RsvpStatus


@dataclass(frozen=True)
class ChainFacts:
    has_research: bool = False
    has_held_session: bool = False
    has_outcome: bool = False
    has_delivery: bool = False
    has_feedback: bool = False  # a 批示 or any department's adoption
    all_outcomes_answered: bool = False  # every sent outcome has its feedback complete


def derive_stage(facts: ChainFacts) -> ChainStage:
    """选题 → 调研 → 协商 → 成果 → 报送 → 反馈 → 完成, from what exists."""
    if facts.has_outcome and facts.has_delivery and facts.all_outcomes_answered:
        return ChainStage.DONE
    if facts.has_delivery and facts.has_feedback:
        return ChainStage.FEEDBACK
    if facts.has_delivery:
        return ChainStage.SENT
    if facts.has_outcome:
        return ChainStage.OUTCOME
    if facts.has_held_session:
        return ChainStage.CONSULTATION
    if facts.has_research:
        return ChainStage.RESEARCH
    return ChainStage.TOPIC


def stage_index(stage: ChainStage | str) -> int:
    return CHAIN_ORDER.index(ChainStage(stage))


def is_late(*, stage: ChainStage, quarter_ends_on: date, today: date) -> bool:
    """Late against its quarter: the quarter is over and the topic was not yet consulted on."""
    return today > quarter_ends_on and stage_index(stage) < stage_index(ChainStage.CONSULTATION)


# RSVP: which answers a member may give from each state, and which staff decisions exist.
MEMBER_ANSWERS: dict[str, set[str]] = {
    RsvpStatus.PENDING: {RsvpStatus.ATTENDING, RsvpStatus.LEAVE_REQUESTED, RsvpStatus.DECLINED},
    RsvpStatus.ATTENDING: {RsvpStatus.LEAVE_REQUESTED, RsvpStatus.DECLINED},
    RsvpStatus.LEAVE_REQUESTED: {RsvpStatus.ATTENDING},
    RsvpStatus.LEAVE_REFUSED: {RsvpStatus.ATTENDING, RsvpStatus.LEAVE_REQUESTED},
    RsvpStatus.LEAVE_APPROVED: {RsvpStatus.ATTENDING},
    RsvpStatus.DECLINED: {RsvpStatus.ATTENDING},
}
STAFF_DECISIONS: dict[str, set[str]] = {
    RsvpStatus.LEAVE_REQUESTED: {RsvpStatus.LEAVE_APPROVED, RsvpStatus.LEAVE_REFUSED},
}


def answers_for(kind: str, status: str) -> set[str]:
    """Required invitations ask for leave; sign-up ones may simply decline."""
    allowed = set(MEMBER_ANSWERS.get(status, set()))
    if kind == InvitationKind.REQUIRED:
        allowed.discard(RsvpStatus.DECLINED)
    else:
        allowed.discard(RsvpStatus.LEAVE_REQUESTED)
    return allowed


# 网络议政: what may happen in each phase of a topic, and how a post's moderation moves.
ONLINE_ACTIONS: dict[str, set[str]] = {
    OnlinePhase.UPCOMING: {"edit"},
    OnlinePhase.OPEN: {"edit", "post", "comment", "moderate", "close"},
    OnlinePhase.ENDED: {"edit", "moderate", "close"},
    OnlinePhase.CLOSED: {"adopt"},
}
MODERATION: dict[str, set[str]] = {
    Moderation.PENDING: {Moderation.APPROVED, Moderation.REJECTED},
    Moderation.APPROVED: {Moderation.REJECTED},  # taken down after all
    Moderation.REJECTED: {Moderation.APPROVED},
}


def online_allows(phase: OnlinePhase | str, action: str) -> bool:
    return action in ONLINE_ACTIONS.get(phase, set())
