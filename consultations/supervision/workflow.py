"""Supervision moves as data: the stage table, which records belong to which stage, the task table.

No database writes here; ``services.item_move`` and the task services consult these tables.
"""

from __future__ import annotations

from .enums import RecordKind, Stage, TaskStatus

# 知情 → 沟通 → 反馈 → 跟踪 → 完成. Communication may go back to 知情 when the department
# owes more information; feedback may go back to 沟通 when it does not answer what was asked;
# a feedback that settles everything closes the item without follow-up.
STAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.INFORMING: frozenset({Stage.COMMUNICATING}),
    Stage.COMMUNICATING: frozenset({Stage.FEEDBACK, Stage.INFORMING}),
    Stage.FEEDBACK: frozenset({Stage.TRACKING, Stage.DONE, Stage.COMMUNICATING}),
    Stage.TRACKING: frozenset({Stage.DONE}),
    Stage.DONE: frozenset(),
}

# The records each stage takes.
RECORD_STAGES: dict[str, Stage] = {
    RecordKind.BRIEFING: Stage.INFORMING,
    RecordKind.DOCUMENT: Stage.INFORMING,
    RecordKind.MEETING: Stage.COMMUNICATING,
    RecordKind.INSPECTION: Stage.COMMUNICATING,
    RecordKind.QUESTION: Stage.COMMUNICATING,
    RecordKind.FEEDBACK: Stage.FEEDBACK,
    RecordKind.FOLLOWUP: Stage.TRACKING,
}

# Records a department's user may enter themselves (the rest are the office's).
UNIT_RECORD_KINDS = frozenset({RecordKind.BRIEFING, RecordKind.DOCUMENT, RecordKind.FEEDBACK})

# Moving forward out of a stage needs at least one of its records: nothing is 知情 without a
# briefing, 沟通 without a meeting, 反馈 without the department's feedback, done without follow-up.
NEEDS_RECORD_TO_LEAVE: dict[str, str] = {
    Stage.INFORMING: "请先录入部门情况通报或文件资料（知情环节），再进入沟通环节。",
    Stage.COMMUNICATING: "请先录入座谈、视察或询问记录（沟通环节），再进入反馈环节。",
    Stage.FEEDBACK: "请先录入部门的正式反馈（反馈环节），再进入下一环节。",
    Stage.TRACKING: "请先录入跟踪落实情况（跟踪环节），再办结。",
}

BACKWARD = frozenset({(Stage.COMMUNICATING, Stage.INFORMING), (Stage.FEEDBACK, Stage.COMMUNICATING)})


def stage_allowed(current: str, target: str) -> bool:
    return target in STAGE_TRANSITIONS.get(current, frozenset())


def moves_from(current: str) -> list[Stage]:
    """The stages one may move to from ``current``, in the chain's order."""
    allowed = STAGE_TRANSITIONS.get(current, frozenset())
    return [stage for stage in Stage if stage in allowed]


def kinds_for(stage: str) -> list[RecordKind]:
    return [kind for kind, owner in RECORD_STAGES.items() if owner == stage]


# 特邀监督员 tasks: assigned → reported (by the supervisor, or by staff for them) → forwarded
# to the department (staff) → answered (the department).
TASK_TRANSITIONS: dict[str, frozenset[str]] = {
    TaskStatus.ASSIGNED: frozenset({TaskStatus.REPORTED}),
    TaskStatus.REPORTED: frozenset({TaskStatus.FORWARDED}),
    TaskStatus.FORWARDED: frozenset({TaskStatus.ANSWERED}),
    TaskStatus.ANSWERED: frozenset(),
}


def task_allowed(current: str, target: str) -> bool:
    return target in TASK_TRANSITIONS.get(current, frozenset())
