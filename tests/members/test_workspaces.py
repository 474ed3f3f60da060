"""专委会 and 界别活动组 pages: members and leaders, the year plan, and the committee's work,
including what it organises jointly with other committees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import Inspection, ResearchProject, Session
from members.models import ActivityGroup, Committee, GroupYearPlan, Member

pytestmark = pytest.mark.django_db


def test_a_joint_research_project_shows_on_each_committees_page(login):
    client = login("staff")
    economy = Committee.objects.get(name="经济委员会")
    society = Committee.objects.get(name="社会和法制委员会")
    lead = Member.objects.get(user__username="member1")
    today = timezone.localdate()
    response = client.post(
        "/consultations/research/new/",
        {
            "title": "民营企业用工保障联合调研",
            "committees": [economy.pk, society.pk],
            "lead": lead.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    project = ResearchProject.objects.get(title="民营企业用工保障联合调研")
    assert set(project.committees.all()) == {economy, society}
    for committee in (economy, society):
        page = client.get(committee.get_absolute_url()).content.decode()
        assert "民营企业用工保障联合调研" in page
    other = Committee.objects.get(name="农业和农村委员会")
    assert "民营企业用工保障联合调研" not in client.get(other.get_absolute_url()).content.decode()


def test_joint_sessions_and_inspections_show_for_every_organiser(login):
    client = login("staff")
    session = Session.objects.filter(committees__isnull=False).first()
    inspection = Inspection.objects.filter(committees__isnull=False).first()
    for committee in [session.organiser, *session.committees.all()]:
        assert session.title in client.get(committee.get_absolute_url()).content.decode()
    for committee in inspection.committees.all():
        assert inspection.title in client.get(committee.get_absolute_url()).content.decode()


def test_a_committee_page_lists_leaders_members_and_the_year_plan(login):
    committee = Committee.objects.get(name="经济委员会")
    page = login("member2").get(committee.get_absolute_url()).content.decode()
    plan = GroupYearPlan.objects.get(committee=committee, year=timezone.localdate().year)
    assert plan.items[0] in page
    director = committee.memberships.filter(role="director").select_related("member").first()
    if director:
        assert director.member.name in page
    for membership in committee.memberships.filter(member__status="active").select_related("member"):
        assert membership.member.name in page


def test_an_activity_group_page_shows_its_leader_sectors_and_the_partner_committees_work(login):
    group = ActivityGroup.objects.get(name="经济界活动组")
    page = login("leader").get(group.get_absolute_url()).content.decode()
    leader = group.memberships.get(role="leader").member
    assert f"{leader.name}</a> · 组长" in page
    assert "工商联" in page and "经济委员会" in page
    assert "开展经济界专题学习交流" in page


def test_units_cannot_open_the_workspaces(login):
    committee = Committee.objects.get(name="经济委员会")
    assert login("unit_edu").get(committee.get_absolute_url()).status_code == 403
