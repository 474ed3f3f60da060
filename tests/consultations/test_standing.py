"""The standing committee (常委会会议) and plenary sittings: attendance credited once, as what it is."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from consultations import services
from consultations.enums import SessionKind
from consultations.models import Invitation
from members.enums import PerformanceAct as A
from members.models import Member, PlenarySession
from members.performance import services as performance_services
from members.performance.enums import AttendanceStatus
from members.performance.models import PerformanceRecord

from .factories import make_session, member

pytestmark = pytest.mark.django_db


def acts_of(invitation: Invitation) -> list[str]:
    return sorted(
        PerformanceRecord.objects.filter(
            source_type=ContentType.objects.get_for_model(Invitation), source_id=invitation.pk
        ).values_list("act", flat=True)
    )


def test_a_standing_committee_meeting_invites_every_standing_member_in_office(demo):
    session = make_session(kind=SessionKind.STANDING, required=(), form="专题议政性常委会会议")
    invited = set(session.invitations.values_list("member_id", flat=True))
    standing = set(Member.objects.active().filter(position__is_standing_committee=True).values_list("pk", flat=True))
    assert standing and invited == standing
    assert member("member1").pk in invited and member("member2").pk not in invited  # 常委 / 委员


def test_standing_committee_attendance_is_credited_once_and_as_standing_duty(demo, login):
    session = make_session(kind=SessionKind.STANDING, required=("member2",), form="专题议政性常委会会议")
    invitation = Invitation.objects.get(session=session, member=member("member1"))
    client = login("staff")
    for _ in range(2):  # staff tick twice
        client.post(
            f"/consultations/sessions/{session.pk}/attendance/", {"action": "checkin", "invitation": invitation.pk}
        )
    services.checkin_by_token(actor=demo["member1"], session_pk=session.pk, token=session.checkin_code())  # and a scan
    assert acts_of(invitation) == [A.STANDING_ATTENDED]

    guest = Invitation.objects.get(session=session, member=member("member2"))  # 列席, not a 常委
    client.post(f"/consultations/sessions/{session.pk}/attendance/", {"action": "checkin", "invitation": guest.pk})
    assert acts_of(guest) == [A.CONSULTATION_ATTENDED]
    client.post(f"/consultations/sessions/{session.pk}/attendance/", {"action": "undo", "invitation": invitation.pk})
    assert acts_of(invitation) == []


def test_approved_leave_of_a_standing_member_is_credited_as_standing_leave(demo):
    session = make_session(kind=SessionKind.STANDING, required=(), form="专题议政性常委会会议")
    services.invitation_answer(actor=demo["member1"], session=session, answer="leave_requested", reason="出差")
    invitation = Invitation.objects.get(session=session, member=member("member1"))
    assert acts_of(invitation) == []  # asked, not yet granted
    services.leave_decide(actor=demo["staff"], invitation=invitation, approve=True)
    assert acts_of(invitation) == [A.STANDING_LEAVE]
    services.checkin_by_token(actor=demo["member1"], session_pk=session.pk, token=session.checkin_code())
    assert acts_of(invitation) == [A.STANDING_ATTENDED]  # came after all: attended, never both


def test_a_plenary_sitting_shown_as_a_session_is_not_credited_twice(demo):
    plenary = PlenarySession.objects.get(is_current=True)
    session = make_session(kind=SessionKind.PLENARY, plenary=plenary, required=("member2",), form="全体会议")
    services.checkin_by_token(actor=demo["member2"], session_pk=session.pk, token=session.checkin_code())
    invitation = Invitation.objects.get(session=session, member=member("member2"))
    assert invitation.checked_in_at and acts_of(invitation) == []

    performance_services.plenary_record_attendance(
        actor=demo["staff"], session=plenary, statuses={member("member2").pk: AttendanceStatus.ATTENDED}
    )
    member2 = member("member2")
    credited = PerformanceRecord.objects.filter(
        member=member2,
        on__gte=plenary.opens_on,
        on__lte=plenary.closes_on,
        act__in=[A.PLENARY_ATTENDED, A.CONSULTATION_ATTENDED],
    )
    assert list(credited.values_list("act", flat=True)) == [A.PLENARY_ATTENDED]  # once, from the plenary roll
    assert acts_of(invitation) == []


def test_turning_a_session_into_a_standing_meeting_moves_its_credits(demo):
    session = make_session(required=("member1",))
    services.checkin_by_token(actor=demo["member1"], session_pk=session.pk, token=session.checkin_code())
    invitation = Invitation.objects.get(session=session, member=member("member1"))
    assert acts_of(invitation) == [A.CONSULTATION_ATTENDED]
    services.session_update(actor=demo["staff"], session=session, data={"kind": SessionKind.STANDING})
    assert acts_of(invitation) == [A.STANDING_ATTENDED]


def test_the_session_form_wants_a_plenary_for_a_plenary_sitting_and_only_then(demo, login):
    from consultations.forms import SessionForm

    form = SessionForm(
        {
            "s-title": "全体会议",
            "s-kind": SessionKind.PLENARY,
            "s-form": 1,
            "s-starts_at": "2027-01-05T09:00",
            "s-ends_at": "2027-01-05T11:00",
            "s-venue": "会堂",
        },
        prefix="s",
    )
    assert not form.is_valid() and "plenary" in form.errors
