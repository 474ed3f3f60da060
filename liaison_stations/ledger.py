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

Only ``members.services.performance_record`` / ``performance_withdraw`` write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models

from cppcc_portal.hooks import register
from members.enums import PerformanceAct
from members.models import Member, PerformanceRecord
from members.services import performance_record, performance_withdraw

from .enums import MatterStatus
from .models import LivelihoodMatter, StationActivity

ACTS = (PerformanceAct.STATION_ACTIVITY, PerformanceAct.LIVELIHOOD_MATTER)


@dataclass(frozen=True)
class Entry:
    member: Member
    act: str
    on: date
    note: str = ""


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


ENTRIES: dict[type[models.Model], Callable[[models.Model], list[Entry]]] = {
    StationActivity: activity_entries,
    LivelihoodMatter: matter_entries,
}

# What backfill walks: each source with what its entries function reads.
SOURCES: dict[type[models.Model], Callable[[], models.QuerySet]] = {
    StationActivity: lambda: StationActivity.objects.select_related("station")
    .prefetch_related("participants")
    .order_by("pk"),
    LivelihoodMatter: lambda: LivelihoodMatter.objects.select_related("station")
    .prefetch_related("members")
    .order_by("pk"),
}


def _existing(source: models.Model) -> set[tuple[int, str]]:
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    return set(
        PerformanceRecord.objects.filter(source_type=source_type, source_id=source.pk, act__in=ACTS).values_list(
            "member_id", "act"
        )
    )


def _withdraw(source: models.Model, keys: set[tuple[int, str]]) -> int:
    if not keys:
        return 0
    members = Member.objects.in_bulk({member_id for member_id, _ in keys})
    for member_id, act in sorted(keys):
        performance_withdraw(member=members[member_id], act=act, source=source)
    return len(keys)


def sync(source: models.Model, *, existing: set[tuple[int, str]] | None = None) -> int:
    """Make the ledger hold exactly ``source``'s entries; returns how many were withdrawn.

    ``existing``: the (member id, act) pairs already on the ledger for ``source``
    (read from the ledger when not given).
    """
    wanted = ENTRIES[type(source)](source)
    if existing is None:
        existing = _existing(source)
    for entry in wanted:
        performance_record(member=entry.member, act=entry.act, source=source, on=entry.on, note=entry.note)
    return _withdraw(source, existing - {(entry.member.pk, entry.act) for entry in wanted})


def backfill(stdout) -> None:
    """(Re)derive every station entry; withdraw those no record stands for any more."""
    types = {model: ContentType.objects.get_for_model(model, for_concrete_model=True) for model in SOURCES}
    on_ledger: dict[tuple[int, int], set[tuple[int, str]]] = defaultdict(set)
    rows = PerformanceRecord.objects.filter(act__in=ACTS, source_type__in=types.values()).values_list(
        "source_type_id", "source_id", "member_id", "act"
    )
    for type_id, source_id, member_id, act in rows:
        on_ledger[type_id, source_id].add((member_id, act))
    checked = withdrawn = 0
    for model, queryset in SOURCES.items():
        type_id = types[model].pk
        for source in queryset().iterator(chunk_size=500):
            withdrawn += sync(source, existing=on_ledger.pop((type_id, source.pk), set()))
            checked += 1
    models_by_type = {content_type.pk: model for model, content_type in types.items()}
    for (type_id, source_id), keys in on_ledger.items():  # the record itself is gone
        withdrawn += _withdraw(models_by_type[type_id](pk=source_id), keys)
    stdout.write(f"委员联络站（联络站活动、为群众办实事）：核对 {checked} 条来源，撤回 {withdrawn} 条。\n")


register("performance_backfill", backfill)
