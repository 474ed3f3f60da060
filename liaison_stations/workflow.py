"""民生实事 moves as data: which status may follow which, and what each move needs."""

from __future__ import annotations

from dataclasses import dataclass

from .enums import MatterStatus


@dataclass(frozen=True)
class MatterMove:
    target: MatterStatus
    label: str
    needs_resolution: bool = False  # resolution text + date (已解决)
    needs_reason: bool = False  # why it cannot be solved (无法解决)
    button: str = "btn-outline-primary"


MATTER_TRANSITIONS: dict[MatterStatus, tuple[MatterMove, ...]] = {
    MatterStatus.ACCEPTED: (
        MatterMove(MatterStatus.IN_PROGRESS, "开始办理"),
        MatterMove(MatterStatus.SOLVED, "办结：已解决", needs_resolution=True, button="btn-success"),
        MatterMove(MatterStatus.UNSOLVABLE, "无法解决", needs_reason=True, button="btn-outline-danger"),
    ),
    MatterStatus.IN_PROGRESS: (
        MatterMove(MatterStatus.SOLVED, "办结：已解决", needs_resolution=True, button="btn-success"),
        MatterMove(MatterStatus.UNSOLVABLE, "无法解决", needs_reason=True, button="btn-outline-danger"),
    ),
    MatterStatus.SOLVED: (),
    MatterStatus.UNSOLVABLE: (
        # A matter judged unsolvable may be taken up again when circumstances change.
        MatterMove(MatterStatus.IN_PROGRESS, "重新办理"),
    ),
}


def matter_moves(status: str) -> tuple[MatterMove, ...]:
    return MATTER_TRANSITIONS.get(MatterStatus(status), ())


def matter_move(status: str, target: str) -> MatterMove | None:
    return next((move for move in matter_moves(status) if move.target == target), None)
