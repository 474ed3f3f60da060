"""``manage.py backfill_performance`` re-derives exactly the consultations entries the services wrote."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from consultations import ledger as app_ledger
from consultations import services
from consultations.demo import UPCOMING_QINGNI
from consultations.enums import RsvpStatus
from consultations.ledger import ACTS
from consultations.models import Invitation, Session, Speech
from members.enums import PerformanceAct as A
from members.performance.models import PerformanceRecord
from tests.members.perf_support import ledger_rows, run_backfill

from .factories import make_session, member, staff

pytestmark = pytest.mark.django_db


def ledger() -> set[tuple]:
    return ledger_rows(ACTS)


def backfill() -> str:
    return run_backfill(app_ledger)


def entries(act, source):
    return PerformanceRecord.objects.filter(
        act=act, source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )


@pytest.fixture
def approved_leave(login):
    """The demo's leader asked leave for the 请你来商量 session; staff approve it through the page."""
    invitation = Invitation.objects.get(session__title=UPCOMING_QINGNI, member__user__username="leader")
    assert invitation.status == RsvpStatus.LEAVE_REQUESTED
    login("staff").post(f"/consultations/invitations/{invitation.pk}/leave/", {"decision": "approve"})
    invitation.refresh_from_db()
    assert invitation.status == RsvpStatus.LEAVE_APPROVED
    return invitation


def test_backfill_re_derives_every_consultations_entry(approved_leave):
    before = ledger()
    for act in ACTS:  # the demo (plus the approved leave) uses every act
        assert any(row[1] == act for row in before), act
    PerformanceRecord.objects.filter(act__in=ACTS).delete()
    assert not ledger()
    out = backfill()
    assert "协商监督" in out
    assert ledger() == before
    backfill()  # again: nothing doubles, nothing moves
    assert ledger() == before
    assert PerformanceRecord.objects.filter(act__in=ACTS).count() == len(before)


def test_backfill_honours_leave_decisions_check_ins_and_corrections(demo):
    actor = staff()
    # A refused leave, an approved leave followed by a check-in, an undone check-in.
    session = make_session(required=("member1", "member2", "member3"), title="回填条件测试")
    services.invitation_answer(actor=demo["member1"], session=session, answer=RsvpStatus.LEAVE_REQUESTED, reason="出差")
    services.invitation_answer(actor=demo["member2"], session=session, answer=RsvpStatus.LEAVE_REQUESTED, reason="开会")
    refused = Invitation.objects.get(session=session, member=member("member1"))
    approved = Invitation.objects.get(session=session, member=member("member2"))
    undone = Invitation.objects.get(session=session, member=member("member3"))
    services.leave_decide(actor=actor, invitation=refused, approve=False)
    services.leave_decide(actor=actor, invitation=approved, approve=True)
    assert entries(A.CONSULTATION_LEAVE, approved).count() == 1
    services.checkin_by_token(actor=demo["member2"], session_pk=session.pk, token=session.checkin_code())
    services.checkin_manual(actor=actor, invitation=undone)
    services.checkin_undo(actor=actor, invitation=undone)
    # A speech handed in, then removed; a future inspection; an unfinished research project.
    speech = services.speech_submit(actor=demo["member3"], session=session, title="撤回的发言", text="……")
    services.speech_remove(actor=actor, speech=speech)
    future = services.inspection_save(
        actor=actor,
        data={
            "title": "下月视察",
            "inspected_on": timezone.localdate() + timedelta(days=30),
            "place": "某处",
            "participants": [member("member1")],
        },
    )
    unfinished = services.research_save(
        actor=actor,
        data={
            "title": "未完成的调研",
            "lead": member("member1"),
            "team": [member("member2")],
            "starts_on": date(2026, 3, 1),
            "ends_on": date(2026, 5, 1),
        },
    )
    before = ledger()
    PerformanceRecord.objects.filter(act__in=ACTS).delete()  # this app's share of --rebuild
    backfill()
    assert ledger() == before
    assert not entries(A.CONSULTATION_LEAVE, refused).exists()
    assert not entries(A.CONSULTATION_ATTENDED, refused).exists()
    assert list(entries(A.CONSULTATION_ATTENDED, approved).values_list("on", flat=True)) == [session.session_date]
    assert not entries(A.CONSULTATION_LEAVE, approved).exists()  # the check-in replaced the leave
    assert not entries(A.CONSULTATION_ATTENDED, undone).exists()
    assert not PerformanceRecord.objects.filter(act=A.SPEECH, source_id=speech.pk).exists()
    assert not entries(A.INSPECTION, future).exists()
    assert not entries(A.RESEARCH, unfinished).exists()


def test_backfill_withdraws_what_no_record_stands_for_any_more(demo):
    """Rows changed behind the services' back (admin, shell): a plain back-fill puts the ledger right."""
    actor = staff()
    session = make_session(required=("member1",), title="后台修改测试")
    invitation = Invitation.objects.get(session=session)
    services.checkin_manual(actor=actor, invitation=invitation)
    speech = services.speech_submit(actor=demo["member1"], session=session, title="发言", text="……")
    inspection = services.inspection_save(
        actor=actor,
        data={
            "title": "视察",
            "inspected_on": timezone.localdate() - timedelta(days=1),
            "place": "某处",
            "participants": [member("member1"), member("member2")],
        },
    )
    assert entries(A.CONSULTATION_ATTENDED, invitation).exists() and entries(A.SPEECH, speech).exists()
    Invitation.objects.filter(pk=invitation.pk).update(checked_in_at=None)
    Speech.objects.filter(pk=speech.pk).delete()
    inspection.participants.remove(member("member2"))
    backfill()
    assert not entries(A.CONSULTATION_ATTENDED, invitation).exists()
    assert not PerformanceRecord.objects.filter(act=A.SPEECH, source_id=speech.pk).exists()
    assert list(entries(A.INSPECTION, inspection).values_list("member__user__username", flat=True)) == ["member1"]


def test_services_keep_the_ledger_in_step_with_corrections(demo):
    """What the back-fill derives is what the services leave: moved sessions, removed invitees and team members."""
    actor = staff()
    session = make_session(required=("member1", "member2"), title="改期测试")
    services.checkin_manual(actor=actor, invitation=Invitation.objects.get(session=session, member=member("member1")))
    services.invitation_answer(actor=demo["member2"], session=session, answer=RsvpStatus.LEAVE_REQUESTED, reason="病假")
    leave = Invitation.objects.get(session=session, member=member("member2"))
    services.leave_decide(actor=actor, invitation=leave, approve=True)
    later = session.starts_at + timedelta(days=3)
    services.session_update(
        actor=actor, session=session, data={"starts_at": later, "ends_at": later + timedelta(hours=2)}
    )
    new_day = Session.objects.get(pk=session.pk).session_date
    assert set(
        PerformanceRecord.objects.filter(source_id__in=session.invitations.values("pk"), note="改期测试").values_list(
            "on", flat=True
        )
    ) == {new_day}
    services.session_remove_invitee(actor=actor, invitation=leave)
    assert not PerformanceRecord.objects.filter(act=A.CONSULTATION_LEAVE, source_id=leave.pk).exists()

    project = services.research_save(
        actor=actor,
        data={
            "title": "课题组调整测试",
            "lead": member("member1"),
            "team": [member("member2"), member("member3")],
            "starts_on": date(2026, 3, 1),
            "ends_on": date(2026, 5, 1),
        },
    )
    services.research_complete(actor=actor, project=project, summary="摘要", completed_on=date(2026, 5, 1))
    assert entries(A.RESEARCH, project).count() == 3
    services.research_save(
        actor=actor,
        project=project,
        data={
            "title": "课题组调整测试",
            "lead": member("member1"),
            "team": [member("member2")],
            "starts_on": date(2026, 3, 1),
            "ends_on": date(2026, 5, 1),
        },
    )
    assert entries(A.RESEARCH, project).count() == 2
    before = ledger()
    backfill()
    assert ledger() == before


def test_an_inspection_entered_in_advance_counts_once_its_day_has_come(demo):
    import time_machine

    from consultations.tasks import credit_held_inspections

    day = timezone.localdate() + timedelta(days=30)
    inspection = services.inspection_save(
        actor=staff(),
        data={"title": "预先录入的视察", "inspected_on": day, "place": "某处", "participants": [member("member1")]},
    )
    assert not entries(A.INSPECTION, inspection).exists()
    credit_held_inspections()  # not yet
    assert not entries(A.INSPECTION, inspection).exists()
    with time_machine.travel(timezone.make_aware(datetime.combine(day + timedelta(days=2), time(1, 10))), tick=False):
        assert credit_held_inspections.delay().get() >= 1  # the beat task, as the worker runs it
        credit_held_inspections()  # again: nothing doubles
    assert list(entries(A.INSPECTION, inspection).values_list("member__user__username", "on")) == [("member1", day)]
