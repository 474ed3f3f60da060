"""Keeping an app's share of the ledger equal to what its records say.

An app describes, per kind of source record, the entries that record stands for
(an ``Entry`` list). ``sync`` makes the ledger hold exactly those for the acts
the app owns — recording what is missing, withdrawing what no longer holds —
and ``backfill`` runs the same descriptions over every record for
``manage.py backfill_performance``. Writes go only through
``members.services.performance_record`` / ``performance_withdraw``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ..models import Member
from ..services import performance_record, performance_withdraw
from .models import PerformanceRecord

Keys = set[tuple[int, str]]  # (member id, act) already on the ledger for one source


@dataclass(frozen=True)
class Entry:
    member: Member
    act: str
    on: date
    note: str = ""


@dataclass(frozen=True)
class Source:
    """One kind of source record: how backfill reads them all, and which entries each stands for."""

    queryset: Callable[[], models.QuerySet]
    entries: Callable[[models.Model], list[Entry]]


def existing_keys(source: models.Model, acts: Iterable[str]) -> Keys:
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    rows = PerformanceRecord.objects.filter(source_type=source_type, source_id=source.pk, act__in=list(acts))
    return set(rows.values_list("member_id", "act"))


def withdraw(source: models.Model, keys: Keys) -> int:
    if not keys:
        return 0
    members = Member.objects.in_bulk({member_id for member_id, _ in keys})
    for member_id, act in sorted(keys):
        performance_withdraw(member=members[member_id], act=act, source=source)
    return len(keys)


def sync(source: models.Model, wanted: list[Entry], *, acts: Iterable[str], existing: Keys | None = None) -> int:
    """Make the ledger hold exactly ``wanted`` among ``acts`` on ``source``; returns how many
    entries were withdrawn. ``existing`` (read from the ledger when not given) lets backfill
    read every source's keys in one query."""
    acts = set(acts)
    if existing is None:
        existing = existing_keys(source, acts)
    for entry in wanted:
        performance_record(member=entry.member, act=entry.act, source=source, on=entry.on, note=entry.note)
    stale = {(member_id, act) for member_id, act in existing if act in acts}
    return withdraw(source, stale - {(entry.member.pk, entry.act) for entry in wanted})


def keys_on_ledger(model_types: Iterable[ContentType], acts: Iterable[str]) -> dict[tuple[int, int], Keys]:
    """Every (source type id, source id) -> keys, for the given source types and acts, in one query."""
    on_ledger: dict[tuple[int, int], Keys] = defaultdict(set)
    rows = PerformanceRecord.objects.filter(act__in=list(acts), source_type__in=list(model_types))
    for type_id, source_id, member_id, act in rows.values_list("source_type_id", "source_id", "member_id", "act"):
        on_ledger[type_id, source_id].add((member_id, act))
    return on_ledger


def backfill(sources: dict[type[models.Model], Source], *, acts: Iterable[str]) -> tuple[int, int]:
    """Re-derive the entries of every record of ``sources``; withdraw those whose record is gone.
    Returns (records checked, entries withdrawn)."""
    acts = tuple(acts)
    types = {model: ContentType.objects.get_for_model(model, for_concrete_model=True) for model in sources}
    on_ledger = keys_on_ledger(types.values(), acts)
    checked = withdrawn = 0
    for model, source in sources.items():
        type_id = types[model].pk
        for record in source.queryset().iterator(chunk_size=500):
            existing = on_ledger.pop((type_id, record.pk), set())
            withdrawn += sync(record, source.entries(record), acts=acts, existing=existing)
            checked += 1
    models_by_type = {content_type.pk: model for model, content_type in types.items()}
    for (type_id, source_id), keys in on_ledger.items():  # the record itself is gone
        withdrawn += withdraw(models_by_type[type_id](pk=source_id), keys)
    return checked, withdrawn
