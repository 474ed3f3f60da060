"""RSVP and leave: members answer at /rsvp/, staff approve or refuse leave."""

import pytest

from consultations.enums import RsvpStatus
from consultations.models import Invitation
from cppcc_portal.models import Notification
from members.enums import PerformanceAct
from members.performance.models import PerformanceRecord

from .factories import make_session, member

pytestmark = pytest.mark.django_db


def test_member_accepts_through_the_page(login):
    session = make_session(required=("member1",))
    client = login("member1")
    response = client.post(f"/consultations/sessions/{session.pk}/rsvp/", {"answer": "attending"}, follow=True)
    assert "已回复" in response.content.decode()
    assert Invitation.objects.get(session=session, member=member("member1")).status == RsvpStatus.ATTENDING


def test_leave_needs_a_reason(login):
    session = make_session(required=("member1",))
    response = login("member1").post(f"/consultations/sessions/{session.pk}/rsvp/", {"answer": "leave_requested"})
    assert response.status_code == 200
    assert "请假须填写事由" in response.content.decode()
    assert Invitation.objects.get(session=session).status == RsvpStatus.PENDING


def test_leave_approved_by_staff_writes_one_ledger_entry(client, demo):
    session = make_session(required=("member1",))
    client.force_login(demo["member1"])
    client.post(f"/consultations/sessions/{session.pk}/rsvp/", {"answer": "leave_requested", "reason": "出差"})
    invitation = Invitation.objects.get(session=session)
    assert invitation.status == RsvpStatus.LEAVE_REQUESTED
    assert Notification.objects.filter(recipient=demo["staff"], kind="consultations.leave").exists()

    client.force_login(demo["staff"])
    client.post(f"/consultations/invitations/{invitation.pk}/leave/", {"decision": "approve"})
    client.post(f"/consultations/invitations/{invitation.pk}/leave/", {"decision": "approve"})  # a double click
    invitation.refresh_from_db()
    assert invitation.status == RsvpStatus.LEAVE_APPROVED
    entries = PerformanceRecord.objects.filter(member=member("member1"), act=PerformanceAct.CONSULTATION_LEAVE)
    assert entries.filter(source_id=invitation.pk).count() == 1
    assert Notification.objects.filter(recipient=demo["member1"], subject__contains="请假已批准").exists()


def test_refused_leave_means_attend_and_records_nothing(client, demo):
    session = make_session(required=("member2",))
    client.force_login(demo["member2"])
    client.post(f"/consultations/sessions/{session.pk}/rsvp/", {"answer": "leave_requested", "reason": "家中有事"})
    invitation = Invitation.objects.get(session=session)
    client.force_login(demo["staff"])
    response = client.post(
        f"/consultations/invitations/{invitation.pk}/leave/",
        {"decision": "refuse", "note": "本次为必须参加"},
        follow=True,
    )
    assert "已不批准请假" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == RsvpStatus.LEAVE_REFUSED
    assert not PerformanceRecord.objects.filter(act=PerformanceAct.CONSULTATION_LEAVE, source_id=invitation.pk).exists()


def test_member_who_changes_mind_after_approved_leave_loses_the_leave_entry(client, demo):
    session = make_session(required=("member1",))
    client.force_login(demo["member1"])
    client.post(f"/consultations/sessions/{session.pk}/rsvp/", {"answer": "leave_requested", "reason": "出差"})
    invitation = Invitation.objects.get(session=session)
    client.force_login(demo["staff"])
    client.post(f"/consultations/invitations/{invitation.pk}/leave/", {"decision": "approve"})
    client.force_login(demo["member1"])
    client.post(f"/consultations/sessions/{session.pk}/rsvp/", {"answer": "attending"})
    invitation.refresh_from_db()
    assert invitation.status == RsvpStatus.ATTENDING
    assert not PerformanceRecord.objects.filter(act=PerformanceAct.CONSULTATION_LEAVE, source_id=invitation.pk).exists()


def test_required_invitation_cannot_simply_decline(login):
    session = make_session(required=("member1",))
    response = login("member1").post(f"/consultations/sessions/{session.pk}/rsvp/", {"answer": "declined"})
    assert response.status_code == 200  # the choice is not offered
    assert Invitation.objects.get(session=session).status == RsvpStatus.PENDING


def test_signup_invitation_may_decline(login):
    session = make_session(required=(), signup=("member2",))
    login("member2").post(f"/consultations/sessions/{session.pk}/rsvp/", {"answer": "declined"})
    assert Invitation.objects.get(session=session).status == RsvpStatus.DECLINED


def test_member_signs_up_for_a_public_session(login):
    session = make_session(required=(), is_public=True)
    login("member2").post(f"/consultations/sessions/{session.pk}/rsvp/", {"answer": "attending"})
    invitation = Invitation.objects.get(session=session, member=member("member2"))
    assert invitation.kind == "signup" and invitation.status == RsvpStatus.ATTENDING


def test_uninvited_member_cannot_answer_a_closed_session(login):
    session = make_session(required=("member1",))
    assert login("member2").get(f"/consultations/sessions/{session.pk}/rsvp/").status_code == 403
    assert not Invitation.objects.filter(session=session, member=member("member2")).exists()


def test_pending_invitation_shows_on_the_members_workbench(login):
    session = make_session(required=("member2",), title="工作台待回复的会")
    body = login("member2").get("/").content.decode()
    assert "待回复的会议邀请" in body and session.title in body


@pytest.mark.parametrize("kind", ["required", "signup"])
def test_walk_the_whole_answer_table(kind, demo):
    """Every move the table allows succeeds; every other move is refused and changes nothing."""
    from consultations import services
    from consultations.workflow import answers_for
    from cppcc_portal.errors import ApplicationError

    for start in RsvpStatus:
        for answer in (RsvpStatus.ATTENDING, RsvpStatus.LEAVE_REQUESTED, RsvpStatus.DECLINED):
            session = make_session(
                required=("member1",) if kind == "required" else (), signup=("member1",) if kind == "signup" else ()
            )
            Invitation.objects.filter(session=session).update(status=start)
            allowed = answer in answers_for(kind, start)
            try:
                services.invitation_answer(actor=demo["member1"], session=session, answer=answer, reason="理由")
            except ApplicationError:
                assert not allowed, (kind, start, answer)
                assert Invitation.objects.get(session=session).status == start
            else:
                assert allowed, (kind, start, answer)
                assert Invitation.objects.get(session=session).status == answer
