"""Attendance, leave, speeches, inspections and research each write exactly one ledger entry."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from consultations import services
from consultations.models import Inspection, ResearchProject, Speech
from members.enums import PerformanceAct
from members.performance.models import PerformanceRecord

from .factories import make_session, member, staff

pytestmark = pytest.mark.django_db


def entries(act, source, who=None):
    queryset = PerformanceRecord.objects.filter(
        act=act, source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )
    return queryset.filter(member=member(who)) if who else queryset


def test_written_speech_then_marked_as_delivered_counts_once(demo):
    session = make_session(required=("member1",))
    speech = services.speech_submit(actor=demo["member1"], session=session, title="建议", text="内容")
    services.speech_submit(actor=demo["member1"], session=session, title="建议（修改）", text="内容")
    services.speech_mark_delivered(actor=staff(), session=session, member=member("member1"))
    assert Speech.objects.filter(session=session).count() == 1
    assert entries(PerformanceAct.SPEECH, speech).count() == 1


def test_oral_speech_marked_by_staff_counts_and_removal_withdraws_it(login):
    session = make_session(required=("member2",))
    client = login("staff")
    client.post(
        f"/consultations/sessions/{session.pk}/speakers/", {"member": member("member2").pk, "title": "口头发言"}
    )
    client.post(f"/consultations/sessions/{session.pk}/speakers/", {"member": member("member2").pk})
    speech = Speech.objects.get(session=session)
    assert speech.kind == "oral" and speech.delivered
    assert entries(PerformanceAct.SPEECH, speech).count() == 1
    client.post(f"/consultations/sessions/{session.pk}/speakers/", {"remove": speech.pk})
    assert not PerformanceRecord.objects.filter(act=PerformanceAct.SPEECH, source_id=speech.pk).exists()


def test_member_submits_a_written_speech_through_the_page(login):
    session = make_session(required=("member1",))
    login("member1").post(f"/consultations/sessions/{session.pk}/speech/", {"title": "书面发言", "text": "内容"})
    speech = Speech.objects.get(session=session)
    assert speech.kind == "written" and entries(PerformanceAct.SPEECH, speech).count() == 1


def test_inspection_credits_each_participant_once_and_follows_corrections():
    actor = staff()
    data = {
        "title": "视察测试",
        "inspected_on": timezone.localdate() - timedelta(days=1),
        "place": "某处",
        "participants": [member("member1"), member("member2")],
    }
    inspection = services.inspection_save(actor=actor, data=data)
    services.inspection_save(actor=actor, inspection=inspection, data=data)
    assert entries(PerformanceAct.INSPECTION, inspection).count() == 2
    services.inspection_save(actor=actor, inspection=inspection, data={**data, "participants": [member("member1")]})
    assert list(entries(PerformanceAct.INSPECTION, inspection).values_list("member__user__username", flat=True)) == [
        "member1"
    ]


def test_future_inspection_credits_nobody_yet():
    inspection = services.inspection_save(
        actor=staff(),
        data={
            "title": "计划视察",
            "inspected_on": timezone.localdate() + timedelta(days=10),
            "place": "某处",
            "participants": [member("member1")],
        },
    )
    assert not entries(PerformanceAct.INSPECTION, inspection).exists()
    assert Inspection.objects.get(pk=inspection.pk).participants.count() == 1


def test_research_report_credits_lead_and_team_once(login):
    project = services.research_save(
        actor=staff(),
        data={
            "title": "调研测试",
            "lead": member("member1"),
            "team": [member("member1"), member("member2")],
            "starts_on": date(2026, 3, 1),
            "ends_on": date(2026, 5, 1),
        },
    )
    client = login("staff")
    for _ in range(2):
        client.post(
            f"/consultations/research/{project.pk}/report/", {"summary": "报告摘要", "completed_on": "2026-05-01"}
        )
    project = ResearchProject.objects.get(pk=project.pk)
    assert project.completed_on == date(2026, 5, 1)
    assert entries(PerformanceAct.RESEARCH, project).count() == 2


def test_attendance_shows_on_the_members_own_page(login, demo):
    session = make_session(required=("member1",), title="履职记录显示测试")
    services.checkin_by_token(actor=demo["member1"], session_pk=session.pk, token=session.checkin_code())
    body = login("member1").get("/members/me/").content.decode()
    assert "协商议政履职记录" in body and "履职记录显示测试" in body
