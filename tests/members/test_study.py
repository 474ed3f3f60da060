"""Study through the pages: materials, reflections (excellent), trainings and plenary attendance."""

from __future__ import annotations

from datetime import date

import pytest

from members.enums import PerformanceAct
from members.models import PlenarySession
from members.performance.models import PerformanceRecord, PlenaryAttendance, StudyMaterial, StudyReflection, Training

pytestmark = pytest.mark.django_db


def test_staff_publish_a_material_and_a_member_reflects_on_it(demo, client):
    client.force_login(demo["staff"])
    client.post("/members/study/", {"title": "学习新修订的条例", "body": "全文", "link": "", "group": ""})
    material = StudyMaterial.objects.get(title="学习新修订的条例")
    member = demo["member3"].member
    before = PerformanceRecord.objects.filter(member=member, act=PerformanceAct.STUDY_REFLECTION).count()
    client.force_login(demo["member3"])
    response = client.post(
        "/members/study/reflections/new/", {"material": material.pk, "title": "体会", "body": "收获很大"}, follow=True
    )
    assert "已计入履职档案" in response.content.decode()
    reflection = StudyReflection.objects.get(member=member, title="体会")
    assert PerformanceRecord.objects.filter(member=member, act=PerformanceAct.STUDY_REFLECTION).count() == before + 1
    client.force_login(demo["staff"])
    client.post(f"/members/study/reflections/{reflection.pk}/excellent/", {"excellent": "1"})
    reflection.refresh_from_db()
    assert reflection.is_excellent and reflection.marked_by == demo["staff"]


def test_members_list_only_their_own_reflections(demo, client):
    client.force_login(demo["member3"])
    html = client.get("/members/study/reflections/").content.decode()
    others = StudyReflection.objects.exclude(member__user=demo["member3"]).first()
    assert f"/members/study/reflections/{others.pk}/" not in html
    assert client.get(f"/members/study/reflections/{others.pk}/").status_code == 403


def test_members_cannot_publish_or_record_attendance(demo, client):
    client.force_login(demo["member2"])
    client.post("/members/study/", {"title": "x", "body": "y"})
    assert not StudyMaterial.objects.filter(title="x").exists()
    training = Training.objects.first()
    assert client.post(f"/members/trainings/{training.pk}/", {}).status_code == 403


def test_training_attendance_through_the_page_follows_corrections(demo, client):
    client.force_login(demo["staff"])
    response = client.post(
        "/members/trainings/", {"title": "履职培训", "held_on": "2030-05-01", "location": "机关", "description": ""}
    )
    training = Training.objects.get(title="履职培训")
    assert response["Location"] == f"/members/trainings/{training.pk}/"
    member = demo["member2"].member
    client.post(f"/members/trainings/{training.pk}/", {f"m{member.pk}": "attended"})
    entries = PerformanceRecord.objects.filter(member=member, act=PerformanceAct.TRAINING, on=date(2030, 5, 1))
    assert entries.count() == 1
    client.post(f"/members/trainings/{training.pk}/", {f"m{member.pk}": "leave"})
    assert entries.count() == 0


def test_plenary_attendance_page_records_and_corrects(demo, client):
    session = PlenarySession.objects.order_by("-year").first()
    member = demo["member3"].member
    client.force_login(demo["staff"])
    client.post(f"/members/plenary/{session.pk}/attendance/", {f"m{member.pk}": "leave"})
    assert PlenaryAttendance.objects.get(session=session, member=member).status == "leave"
    acts = set(PerformanceRecord.objects.filter(member=member, on=session.opens_on).values_list("act", flat=True))
    assert PerformanceAct.PLENARY_LEAVE in acts and PerformanceAct.PLENARY_ATTENDED not in acts
