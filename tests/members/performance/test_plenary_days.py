"""The plenary day by day and group by group: the session is still credited once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cppcc_portal.errors import ValidationFailed
from members.enums import PerformanceAct as A
from members.models import Member, PlenarySession, Sector
from members.performance import plenary
from members.performance.enums import AttendanceStatus as S
from members.performance.models import PerformanceRecord, PlenaryAttendance, PlenaryDayAttendance

pytestmark = pytest.mark.django_db


def _fresh_plenary() -> PlenarySession:
    current = PlenarySession.objects.get(is_current=True)
    return PlenarySession.objects.create(
        term=current.term,
        number=current.number + 1,
        name="测试大会",
        short_name="测试会",
        year=current.year,
        opens_on=current.opens_on + timedelta(days=30),
        closes_on=current.opens_on + timedelta(days=32),
    )


def test_attendance_by_day_and_group_credits_the_plenary_once(demo):
    staff, session = demo["staff"], _fresh_plenary()
    m1 = Member.objects.get(user__username="member1")
    m2 = Member.objects.get(user__username="member2")
    group = plenary.plenary_group_add(actor=staff, session=session, name="第一组", sectors=[m1.sector])
    days = [
        plenary.plenary_day_add(actor=staff, session=session, on=session.opens_on, title="开幕大会"),
        plenary.plenary_day_add(
            actor=staff,
            session=session,
            on=session.opens_on + timedelta(days=1),
            title="分组讨论",
            is_group_discussion=True,
        ),
        plenary.plenary_day_add(actor=staff, session=session, on=session.closes_on, title="闭幕大会"),
    ]
    roll = {member.pk: group_id for member, _status, group_id in plenary.roll_for_day(days[1])}
    assert roll[m1.pk] == group.pk  # the group of the member's 界别 is offered

    for day in days:
        plenary.plenary_record_day(actor=staff, day=day, rows={m1.pk: (S.ATTENDED, group.pk), m2.pk: (S.LEAVE, None)})
    assert PlenaryDayAttendance.objects.get(day=days[1], member=m1).group == group
    assert PlenaryDayAttendance.objects.get(day=days[0], member=m1).group is None  # not a group day
    statuses = dict(PlenaryAttendance.objects.filter(session=session).values_list("member_id", "status"))
    assert statuses == {m1.pk: S.ATTENDED, m2.pk: S.LEAVE}
    credited = PerformanceRecord.objects.filter(note=session.name)
    assert sorted(credited.values_list("member_id", "act")) == sorted(
        [(m1.pk, A.PLENARY_ATTENDED), (m2.pk, A.PLENARY_LEAVE)]
    )

    # member2 came on the last day after all: the plenary counts as attended, still once.
    plenary.plenary_record_day(actor=staff, day=days[2], rows={m2.pk: (S.ATTENDED, None)})
    assert list(credited.filter(member=m2).values_list("act", flat=True)) == [A.PLENARY_ATTENDED]


def test_a_group_of_another_plenary_or_a_day_outside_the_session_changes_nothing(demo):
    staff, session = demo["staff"], _fresh_plenary()
    other = PlenarySession.objects.get(is_current=True)
    foreign = plenary.plenary_group_add(actor=staff, session=other, name="外组", sectors=[])
    day = plenary.plenary_day_add(
        actor=staff, session=session, on=session.opens_on, title="分组讨论", is_group_discussion=True
    )
    m1 = Member.objects.get(user__username="member1")
    with pytest.raises(ValidationFailed):
        plenary.plenary_record_day(actor=staff, day=day, rows={m1.pk: (S.ATTENDED, foreign.pk)})
    with pytest.raises(ValidationFailed):
        plenary.plenary_day_add(actor=staff, session=session, on=session.closes_on + timedelta(days=1), title="补会")
    assert not PlenaryDayAttendance.objects.filter(day=day).exists()
    assert not PlenaryAttendance.objects.filter(session=session).exists()


def test_a_sector_sits_in_one_group_per_plenary(demo):
    staff, session = demo["staff"], _fresh_plenary()
    sector = Sector.objects.first()
    plenary.plenary_group_add(actor=staff, session=session, name="甲组", sectors=[sector])
    with pytest.raises(ValidationFailed):
        plenary.plenary_group_add(actor=staff, session=session, name="乙组", sectors=[sector])


def test_the_day_page_records_attendance_for_staff(demo, login):
    session = _fresh_plenary()
    client = login("staff")
    response = client.post(
        f"/members/plenary/{session.pk}/days/new/", {"day-on": session.opens_on.isoformat(), "day-title": "开幕大会"}
    )
    day = session.days.get()
    assert response.status_code == 302 and response.url == day.get_absolute_url()
    m1 = Member.objects.get(user__username="member1")
    assert client.post(day.get_absolute_url(), {f"m{m1.pk}": S.ATTENDED}).status_code == 302
    assert PlenaryAttendance.objects.get(session=session, member=m1).status == S.ATTENDED
    assert "开幕大会" in client.get(f"/members/plenary/{session.pk}/attendance/").content.decode()
