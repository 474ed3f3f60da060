"""The stations' share of the performance ledger (履职记录).

One small function per kind of source says which entries that record stands
for; ``sync`` makes the ledger say exactly that (recording what is missing,
withdrawing what no longer holds). The services call ``sync`` after each
change, and ``backfill`` (registered on ``performance_backfill``) runs the same
functions over every record, so ``manage.py backfill_performance --rebuild``
re-derives what the services wrote:

* ``StationActivity``: 联络站活动 for each listed participant, dated on the
  activity's day, noted "联络站：活动名称".
* ``LivelihoodMatter``: 为群众办实事 for each member involved once the matter is
  solved (已解决), dated on its resolution, noted "联络站：问题".

Only ``members.performance.services.performance_record`` / ``performance_withdraw`` write.
"""

from __future__ import annotations

from cppcc_portal.hooks import register
from members.enums import PerformanceAct
from members.performance import ledger_sync
from members.performance.ledger_sync import Entry, Source

from .enums import MatterStatus
from .models import LivelihoodMatter, StationActivity

ACTS = (PerformanceAct.STATION_ACTIVITY, PerformanceAct.LIVELIHOOD_MATTER)


def activity_entries(activity: StationActivity) -> list[Entry]:
    note = f"{activity.station.name}：{activity.title}"
    return [
        Entry(member, PerformanceAct.STATION_ACTIVITY, activity.held_on, note) for member in activity.participants.all()
    ]


def matter_entries(matter: LivelihoodMatter) -> list[Entry]:
    if matter.status != MatterStatus.SOLVED:
        return []
    note = f"{matter.station.name}：{matter.problem[:60]}"
    return [
        Entry(member, PerformanceAct.LIVELIHOOD_MATTER, matter.resolved_on, note) for member in matter.members.all()
    ]


SOURCES = {
    StationActivity: Source(
        lambda: StationActivity.objects.select_related("station").prefetch_related("participants").order_by("pk"),
        activity_entries,
    ),
    LivelihoodMatter: Source(
        lambda: LivelihoodMatter.objects.select_related("station").prefetch_related("members").order_by("pk"),
        matter_entries,
    ),
}


def sync(record: StationActivity | LivelihoodMatter) -> int:
    """Make the ledger hold exactly ``record``'s entries; returns how many were withdrawn."""
    return ledger_sync.sync(record, SOURCES[type(record)].entries(record), acts=ACTS)


def backfill(stdout) -> None:
    """(Re)derive every station entry; withdraw those no record stands for any more."""
    checked, withdrawn = ledger_sync.backfill(SOURCES, acts=ACTS)
    stdout.write(f"委员联络站（联络站活动、为群众办实事）：核对 {checked} 条来源，撤回 {withdrawn} 条。\n")


register("performance_backfill", backfill)
register("performance_sources", lambda: list(SOURCES))
