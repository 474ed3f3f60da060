"""Consultations' share of the performance ledger (履职记录).

One small function per kind of source says which entries that record stands
for; ``sync`` makes the ledger say exactly that (recording what is missing,
withdrawing what no longer holds). The services call ``sync`` / ``clear`` after
each change, and ``backfill`` (registered on ``performance_backfill``) runs the
same functions over every record, so ``manage.py backfill_performance
--rebuild`` re-derives what the services wrote:

* ``Invitation``: 参加协商活动 once checked in; 协商活动请假 while the leave is
  approved (a refused or pending leave, or one followed by a check-in, counts
  nothing); both dated on the session's day, noted with its title. At a
  常委会会议 a member who sat on the standing committee that day (the term
  membership valid then) gets 出席常委会议 / 常委会议请假 instead, never both;
  others there (列席) count as at any session. A session that is a plenary's
  sitting counts nothing here: the plenary attendance (members) credits it once.
* ``Speech``: 会议发言 for every speech on record (written or delivered; a
  removed speech is gone), dated on the session's day.
* ``Inspection``: 参加视察 for each listed participant once the day has come.
* ``ResearchProject``: 参加调研 for the lead and each team member once the
  report is in, dated on its completion.
* ``OnlinePost``: 网络议政意见被采纳 for the member whose opinion staff marked
  adopted, dated on the adoption (the public's comments credit nobody).

Only ``members.performance.services.performance_record`` / ``performance_withdraw`` write.
"""

from __future__ import annotations

from django.utils import timezone

from cppcc_portal.hooks import register
from members.enums import PerformanceAct
from members.performance import ledger_sync
from members.performance.ledger_sync import Entry, Source
from members.terms.selectors import standing_on

from .enums import RsvpStatus, SessionKind
from .models import Inspection, Invitation, OnlinePost, ResearchProject, Session, Speech

ACTS = (
    PerformanceAct.CONSULTATION_ATTENDED,
    PerformanceAct.CONSULTATION_LEAVE,
    PerformanceAct.STANDING_ATTENDED,
    PerformanceAct.STANDING_LEAVE,
    PerformanceAct.SPEECH,
    PerformanceAct.INSPECTION,
    PerformanceAct.RESEARCH,
    PerformanceAct.ONLINE_OPINION_ADOPTED,
)


def invitation_entries(invitation: Invitation) -> list[Entry]:
    session = invitation.session
    if session.kind == SessionKind.PLENARY:
        return []
    attended, leave = PerformanceAct.CONSULTATION_ATTENDED, PerformanceAct.CONSULTATION_LEAVE
    counted = invitation.checked_in_at or invitation.status == RsvpStatus.LEAVE_APPROVED
    if counted and session.kind == SessionKind.STANDING and standing_on(invitation.member, session.session_date):
        attended, leave = PerformanceAct.STANDING_ATTENDED, PerformanceAct.STANDING_LEAVE
    entries = []
    if invitation.checked_in_at:
        entries.append(Entry(invitation.member, attended, session.session_date, session.title))
    elif invitation.status == RsvpStatus.LEAVE_APPROVED:
        entries.append(Entry(invitation.member, leave, session.session_date, session.title))
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


def online_post_entries(post: OnlinePost) -> list[Entry]:
    if not (post.adopted_at and post.member_id):
        return []
    on = timezone.localdate(post.adopted_at)
    return [Entry(post.member, PerformanceAct.ONLINE_OPINION_ADOPTED, on, post.topic.title)]


SOURCES = {
    Invitation: Source(
        lambda: Invitation.objects.select_related("session", "member").order_by("pk"), invitation_entries
    ),
    Speech: Source(lambda: Speech.objects.select_related("session", "member").order_by("pk"), speech_entries),
    Inspection: Source(lambda: Inspection.objects.prefetch_related("participants").order_by("pk"), inspection_entries),
    ResearchProject: Source(
        lambda: ResearchProject.objects.select_related("lead").prefetch_related("team").order_by("pk"),
        research_entries,
    ),
    OnlinePost: Source(
        lambda: OnlinePost.objects.select_related("topic", "member").order_by("pk"), online_post_entries
    ),
}


def sync(record: Invitation | Speech | Inspection | ResearchProject | OnlinePost) -> int:
    """Make the ledger hold exactly ``record``'s entries; returns how many were withdrawn."""
    return ledger_sync.sync(record, SOURCES[type(record)].entries(record), acts=ACTS)


def clear(record: Invitation | Speech) -> int:
    """Withdraw every entry of a record about to be deleted."""
    return ledger_sync.withdraw(record, ledger_sync.existing_keys(record, ACTS))


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
    checked, withdrawn = ledger_sync.backfill(SOURCES, acts=ACTS)
    stdout.write(
        f"协商监督（协商活动出席与请假、会议发言、视察、调研、网络议政意见采纳）：核对 {checked} 条来源，撤回 {withdrawn} 条。\n"
    )


register("performance_backfill", backfill)
# An online post's label names its author, a member (a nullable key that ``select_related()`` skips).
register("performance_sources", lambda: [*SOURCES, OnlinePost._base_manager.select_related("member")])
