"""Consultations' share of the performance ledger (履职记录).

One small function per kind of source says which entries that record stands
for; ``sync`` makes the ledger say exactly that (recording what is missing,
withdrawing what no longer holds). The services call ``sync`` / ``clear`` after
each change, and ``backfill`` (registered on ``performance_backfill``) runs the
same functions over every record, so ``manage.py backfill_performance
--rebuild`` re-derives what the services wrote:

* ``Invitation``: 参加协商活动 once checked in; 协商活动请假 while the leave is
  approved (a refused or pending leave, or one followed by a check-in, counts
  nothing); both dated on the session's day, noted with its title.
* ``Speech``: 会议发言 for every speech on record (written or delivered; a
  removed speech is gone), dated on the session's day.
* ``Inspection``: 参加视察 for each listed participant once the day has come.
* ``ResearchProject``: 参加调研 for the lead and each team member once the
  report is in, dated on its completion.

Only ``members.services.performance_record`` / ``performance_withdraw`` write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from cppcc_portal.hooks import register
from members.enums import PerformanceAct
from members.models import Member, PerformanceRecord
from members.services import performance_record, performance_withdraw

from .enums import RsvpStatus
from .models import Inspection, Invitation, ResearchProject, Session, Speech

ACTS = (
    PerformanceAct.CONSULTATION_ATTENDED,
    PerformanceAct.CONSULTATION_LEAVE,
    PerformanceAct.SPEECH,
    PerformanceAct.INSPECTION,
    PerformanceAct.RESEARCH,
)


@dataclass(frozen=True)
class Entry:
    member: Member
    act: str
    on: date
    note: str = ""


def invitation_entries(invitation: Invitation) -> list[Entry]:
    session = invitation.session
    entries = []
    if invitation.checked_in_at:
        entries.append(
            Entry(invitation.member, PerformanceAct.CONSULTATION_ATTENDED, session.session_date, session.title)
        )
    if invitation.status == RsvpStatus.LEAVE_APPROVED:
        entries.append(Entry(invitation.member, PerformanceAct.CONSULTATION_LEAVE, session.session_date, session.title))
    return entries


def speech_entries(speech: Speech) -> list[Entry]:
    return [Entry(speech.member, PerformanceAct.SPEECH, speech.session.session_date, speech.title)]


def inspection_entries(inspection: Inspection) -> list[Entry]:
    if inspection.inspected_on > timezone.localdate():
        return []
    return [
        Entry(member, PerformanceAct.INSPECTION, inspection.inspected_on, inspection.title)
        for member in inspection.participants.all()
    ]


def research_entries(project: ResearchProject) -> list[Entry]:
    if not project.completed_on:
        return []
    team = [member for member in project.team.all() if member.pk != project.lead_id]
    return [
        Entry(member, PerformanceAct.RESEARCH, project.completed_on, project.title) for member in [project.lead, *team]
    ]


ENTRIES: dict[type[models.Model], Callable[[models.Model], list[Entry]]] = {
    Invitation: invitation_entries,
    Speech: speech_entries,
    Inspection: inspection_entries,
    ResearchProject: research_entries,
}

# What backfill walks: each source with what its entries function reads.
SOURCES: dict[type[models.Model], Callable[[], models.QuerySet]] = {
    Invitation: lambda: Invitation.objects.select_related("session", "member").order_by("pk"),
    Speech: lambda: Speech.objects.select_related("session", "member").order_by("pk"),
    Inspection: lambda: Inspection.objects.prefetch_related("participants").order_by("pk"),
    ResearchProject: lambda: ResearchProject.objects.select_related("lead").prefetch_related("team").order_by("pk"),
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


def clear(source: models.Model) -> int:
    """Withdraw every entry of a record about to be deleted."""
    return _withdraw(source, _existing(source))


def sync_session(session: Session) -> None:
    """A session moved to another day: its attendance, leave and speech entries follow."""
    for invitation in session.invitations.select_related("member"):
        invitation.session = session
        sync(invitation)
    for speech in session.speeches.select_related("member"):
        speech.session = session
        sync(speech)


def backfill(stdout) -> None:
    """(Re)derive every consultations entry; withdraw those no record stands for any more."""
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
    stdout.write(
        f"协商监督（协商活动出席与请假、会议发言、视察、调研）：核对 {checked} 条来源，撤回 {withdrawn} 条。\n"
    )


register("performance_backfill", backfill)
