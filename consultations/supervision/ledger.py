"""The 特邀监督员's share of the performance ledger.

* ``SupervisorTask``: 特邀监督员履职 for the supervisor, when a member, once the report is in,
  dated on the report. A supervisor from outside the CPPCC has no ledger: the task and its
  report are their record (the roster counts them).
"""

from __future__ import annotations

from cppcc_portal.hooks import register
from members.enums import PerformanceAct
from members.performance import ledger_sync
from members.performance.ledger_sync import Entry, Source

from .models import SupervisorTask

ACTS = (PerformanceAct.SUPERVISOR_REPORT,)


def task_entries(task: SupervisorTask) -> list[Entry]:
    member = task.appointment.member
    if member is None or not task.reported_on:
        return []
    return [
        Entry(member, PerformanceAct.SUPERVISOR_REPORT, task.reported_on, f"{task.get_kind_display()}：{task.title}")
    ]


SOURCES = {
    SupervisorTask: Source(
        lambda: SupervisorTask.objects.select_related("appointment__member").order_by("pk"), task_entries
    ),
}


def sync(task: SupervisorTask) -> int:
    return ledger_sync.sync(task, task_entries(task), acts=ACTS)


def backfill(stdout) -> None:
    checked, withdrawn = ledger_sync.backfill(SOURCES, acts=ACTS)
    stdout.write(f"特邀监督员（监督报告）：核对 {checked} 条来源，撤回 {withdrawn} 条。\n")


register("performance_backfill", backfill)
register("performance_sources", lambda: list(SOURCES))
