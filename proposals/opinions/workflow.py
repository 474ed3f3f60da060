"""社情民意 decisions as data: which status may follow which."""

from .enums import MicroStatus, OpinionStatus

DECISIONS: dict[str, frozenset[str]] = {
    OpinionStatus.SUBMITTED: frozenset({OpinionStatus.ADOPTED, OpinionStatus.NOT_ADOPTED}),
    # A report not adopted may be reconsidered (new facts, a leader's interest).
    OpinionStatus.NOT_ADOPTED: frozenset({OpinionStatus.ADOPTED}),
    OpinionStatus.ADOPTED: frozenset(),
}


def decision_allowed(current: str, target: str) -> bool:
    return target in DECISIONS.get(current, frozenset())


def decisions_from(current: str) -> frozenset[str]:
    return DECISIONS.get(current, frozenset())


# 微建议: the unit answers; staff may raise a good one (answered or not) to a report or a proposal
# draft, which ends its clock. Raised is final: the matter goes on in the other channel.
MICRO_TRANSITIONS: dict[str, frozenset[str]] = {
    MicroStatus.SUBMITTED: frozenset({MicroStatus.ANSWERED, MicroStatus.RAISED_OPINION, MicroStatus.RAISED_PROPOSAL}),
    MicroStatus.ANSWERED: frozenset({MicroStatus.RAISED_OPINION, MicroStatus.RAISED_PROPOSAL}),
    MicroStatus.RAISED_OPINION: frozenset(),
    MicroStatus.RAISED_PROPOSAL: frozenset(),
}
RAISED_STATES = (MicroStatus.RAISED_OPINION, MicroStatus.RAISED_PROPOSAL)


def micro_move_allowed(current: str, target: str) -> bool:
    return target in MICRO_TRANSITIONS.get(current, frozenset())
