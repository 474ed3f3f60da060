"""社情民意 decisions as data: which status may follow which."""

from .enums import OpinionStatus

DECISIONS: dict[str, frozenset[str]] = {
    OpinionStatus.SUBMITTED: frozenset({OpinionStatus.ADOPTED, OpinionStatus.NOT_ADOPTED}),
    # A report not adopted may be reconsidered (new facts, a leader's interest).
    OpinionStatus.NOT_ADOPTED: frozenset({OpinionStatus.ADOPTED}),
    OpinionStatus.ADOPTED: frozenset(),
}

# Follow-up steps allowed only on adopted reports.
FOLLOW_UP_STATES = frozenset({OpinionStatus.ADOPTED})


def decision_allowed(current: str, target: str) -> bool:
    return target in DECISIONS.get(current, frozenset())


def decisions_from(current: str) -> frozenset[str]:
    return DECISIONS.get(current, frozenset())
