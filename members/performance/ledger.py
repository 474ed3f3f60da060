"""The members side of the performance ledger: re-deriving the entries whose sources live in
``members`` (学习心得, 培训, 全体会议出席) for ``backfill_performance``."""

from __future__ import annotations

from cppcc_portal.hooks import register

from ..enums import PerformanceAct
from .models import PlenaryAttendance, StudyReflection, TrainingAttendance
from .services import _sync_attendance_entry, performance_record


def backfill(stdout) -> None:
    """(Re)derive the ledger entries whose sources live in ``members``."""
    count = 0
    for reflection in StudyReflection.objects.select_related("member").iterator():
        performance_record(
            member=reflection.member,
            act=PerformanceAct.STUDY_REFLECTION,
            source=reflection,
            on=reflection.submitted_on,
            note=reflection.title,
        )
        count += 1
    for row in TrainingAttendance.objects.select_related("member", "training").iterator():
        _sync_attendance_entry(
            row, attended_act=PerformanceAct.TRAINING, leave_act=None, on=row.training.held_on, note=row.training.title
        )
        count += 1
    for row in PlenaryAttendance.objects.select_related("member", "session").iterator():
        _sync_attendance_entry(
            row,
            attended_act=PerformanceAct.PLENARY_ATTENDED,
            leave_act=PerformanceAct.PLENARY_LEAVE,
            on=row.session.opens_on,
            note=row.session.name,
        )
        count += 1
    stdout.write(f"委员履职（学习心得、培训、全体会议出席）：核对 {count} 条来源。\n")


register("performance_backfill", backfill)
register("performance_sources", lambda: [StudyReflection, TrainingAttendance, PlenaryAttendance])
