"""Attendance rolls and rosters a page at a time: who is on them, and saving one page."""

from __future__ import annotations

from datetime import date

import pytest

from members import selectors as member_selectors
from members.enums import MemberStatus
from members.models import Committee, Member, PlenarySession, Term
from members.performance import plenary, views_study
from members.performance.enums import AttendanceStatus
from members.performance.models import PlenaryAttendance, Training, TrainingAttendance

pytestmark = pytest.mark.django_db


def test_the_training_roll_pages_filters_and_saves_only_the_posted_rows(demo, login, monkeypatch):
    monkeypatch.setattr(views_study, "ROLL_PAGE", 2)
    training = Training.objects.create(title="履职能力培训", held_on=date(2026, 5, 1))
    client = login("staff")
    page = client.get(f"/members/trainings/{training.pk}/").content.decode()
    assert page.count('type="radio" name="m') == 2 * (len(AttendanceStatus.choices) + 1)  # two rows, and 未登记
    assert "第 1 /" in page

    member = demo["member2"].member
    filtered = client.get(f"/members/trainings/{training.pk}/?sector={member.sector_id}&q={member.name}")
    assert f'name="m{member.pk}"' in filtered.content.decode()

    gone = Member.objects.filter(status=MemberStatus.LEFT).first() or Member.objects.create(
        name="离任者", gender="男", status=MemberStatus.LEFT
    )
    TrainingAttendance.objects.filter(training=training, member__in=[member, gone]).delete()
    response = client.post(
        f"/members/trainings/{training.pk}/?page=2", {f"m{member.pk}": "attended", f"m{gone.pk}": "attended"}
    )
    assert response.status_code == 302 and response.url.endswith("?page=2")
    assert TrainingAttendance.objects.get(training=training, member=member).status == "attended"
    assert not TrainingAttendance.objects.filter(training=training, member=gone).exists()  # not on the roll


def test_the_plenary_roll_is_the_terms_members_not_every_member(demo, login):
    session = PlenarySession.objects.get(is_current=True)
    other_term = Term.objects.create(
        number=99, name="第九十九届", short_name="九十九届", start_date="1990-01-01", end_date="1994-12-31"
    )
    outsider = Member.objects.create(name="外届委员", gender="男")
    outsider.terms.add(other_term)
    roll = set(plenary.in_office_for(session, session.opens_on, session.closes_on).values_list("pk", flat=True))
    assert demo["member1"].member.pk in roll
    assert outsider.pk not in roll

    page = login("staff").get(f"/members/plenary/{session.pk}/attendance/?q=外届委员").content.decode()
    assert f'name="m{outsider.pk}"' not in page
    # A row recorded anyway stays on the roll, so it can be corrected.
    PlenaryAttendance.objects.create(session=session, member=outsider, status="leave")
    assert plenary.in_office_for(session, session.opens_on).filter(pk=outsider.pk).exists()


def test_a_large_roster_shows_its_first_members_and_links_to_the_registry(login, monkeypatch):
    monkeypatch.setattr(member_selectors, "ROSTER_SHOWN", 1)
    committee = Committee.objects.get(name="经济委员会")
    members = committee.memberships.filter(member__status="active", role="member").count()
    page = login("staff").get(committee.get_absolute_url()).content.decode()
    assert f"等 {members} 人" in page
    assert f"/members/?committee={committee.pk}" in page
    group = committee.activity_groups.first()
    if group is not None:
        listing = login("staff").get(f"/members/?group={group.pk}").content.decode()
        for membership in group.memberships.select_related("member")[:3]:
            assert membership.member.name in listing
