"""QR check-in: confirm, valid, expired, outdated, another session's code, wrong, twice; staff by hand."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from consultations import services
from consultations.models import CHECKIN_CODE_MINUTES, Invitation
from members.enums import PerformanceAct
from members.performance.models import PerformanceRecord

from .factories import make_session, member

pytestmark = pytest.mark.django_db


def attendance_entries(invitation):
    return PerformanceRecord.objects.filter(act=PerformanceAct.CONSULTATION_ATTENDED, source_id=invitation.pk)


def test_valid_token_checks_the_member_in_once(login):
    session = make_session(required=("member1",))
    client = login("member1")
    response = client.post(session.checkin_path())
    assert "签到成功" in response.content.decode()
    invitation = Invitation.objects.get(session=session, member=member("member1"))
    assert invitation.checked_in_at is not None and invitation.checkin_method == "qr"
    assert attendance_entries(invitation).count() == 1

    again = client.post(session.checkin_path())
    assert "您已签到，无需重复签到" in again.content.decode()
    first_time = invitation.checked_in_at
    invitation.refresh_from_db()
    assert invitation.checked_in_at == first_time
    assert attendance_entries(invitation).count() == 1


def test_expired_token_changes_nothing_and_says_so(login):
    session = make_session(required=("member1",))
    with time_machine.travel(session.ends_at + timedelta(minutes=1)):
        response = login("member1").post(session.checkin_path())
    assert "会议已结束，签到码已失效" in response.content.decode()
    invitation = Invitation.objects.get(session=session)
    assert invitation.checked_in_at is None
    assert not attendance_entries(invitation).exists()


def test_another_sessions_token_changes_nothing_and_says_so(login):
    mine = make_session(required=("member1",), title="本场")
    other = make_session(required=("member1",), title="另一场")
    response = login("member1").post(f"/consultations/sessions/{mine.pk}/checkin/{other.checkin_code()}/")
    assert "签到码不属于本次会议" in response.content.decode()
    assert not Invitation.objects.filter(session__in=[mine, other], checked_in_at__isnull=False).exists()


def test_wrong_token_changes_nothing_and_says_so(login):
    session = make_session(required=("member1",))
    response = login("member1").post(f"/consultations/sessions/{session.pk}/checkin/guessed-token/")
    assert "签到码无效" in response.content.decode()
    assert Invitation.objects.get(session=session).checked_in_at is None


def test_too_early_changes_nothing(login):
    session = make_session(starts_at=timezone.now() + timedelta(days=3), required=("member1",))
    response = login("member1").post(session.checkin_path())
    assert "尚未开始签到" in response.content.decode()
    assert Invitation.objects.get(session=session).checked_in_at is None


def test_uninvited_member_is_told_why(login):
    session = make_session(required=("member1",))
    response = login("member2").post(session.checkin_path())
    assert "不在本次会议的邀请名单中" in response.content.decode()
    assert not Invitation.objects.filter(session=session, member=member("member2")).exists()


def test_any_member_checks_in_to_a_public_session(login):
    session = make_session(required=(), is_public=True)
    login("member2").post(session.checkin_path())
    invitation = Invitation.objects.get(session=session, member=member("member2"))
    assert invitation.checked_in_at and attendance_entries(invitation).count() == 1


def test_anonymous_visitor_is_sent_to_log_in_first(client):
    session = make_session(required=("member1",))
    response = client.get(session.checkin_path())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Invitation.objects.get(session=session).checked_in_at is None


def test_staff_check_in_by_hand_and_undo_withdraws_the_entry(login):
    session = make_session(required=("member1", "member2"))
    invitation = Invitation.objects.get(session=session, member=member("member2"))
    client = login("staff")
    page = client.get(f"/consultations/sessions/{session.pk}/attendance/")
    assert "王淑芬" in page.content.decode()
    client.post(f"/consultations/sessions/{session.pk}/attendance/", {"action": "checkin", "invitation": invitation.pk})
    client.post(f"/consultations/sessions/{session.pk}/attendance/", {"action": "checkin", "invitation": invitation.pk})
    invitation.refresh_from_db()
    assert invitation.checkin_method == "manual"
    assert attendance_entries(invitation).count() == 1
    client.post(f"/consultations/sessions/{session.pk}/attendance/", {"action": "undo", "invitation": invitation.pk})
    invitation.refresh_from_db()
    assert invitation.checked_in_at is None
    assert not attendance_entries(invitation).exists()


def test_check_in_after_approved_leave_replaces_the_leave_entry(demo):
    session = make_session(required=("member1",))
    services.invitation_answer(actor=demo["member1"], session=session, answer="leave_requested", reason="出差")
    invitation = Invitation.objects.get(session=session)
    services.leave_decide(actor=demo["staff"], invitation=invitation, approve=True)
    services.checkin_by_token(actor=demo["member1"], session_pk=session.pk, token=session.checkin_code())
    acts = set(
        PerformanceRecord.objects.filter(source_id=invitation.pk, member=member("member1")).values_list(
            "act", flat=True
        )
    )
    assert PerformanceAct.CONSULTATION_ATTENDED in acts and PerformanceAct.CONSULTATION_LEAVE not in acts


def test_staff_page_shows_the_qr_code_members_do_not_see_the_code(login):
    session = make_session(required=("member1",))
    with time_machine.travel(timezone.now(), tick=False):
        staff_page = login("staff").get(session.get_absolute_url()).content.decode()
        assert "<svg" in staff_page and session.checkin_code() in staff_page
        assert session.checkin_token not in staff_page, "the secret itself never leaves the server"
        member_page = login("member1").get(session.get_absolute_url()).content.decode()
        assert session.checkin_code() not in member_page


def test_outside_participant_checked_in_by_staff(login):
    session = make_session(
        required=(), outsiders=[services.OutsiderData("赵丽", "parent", "13800000001")], form="请你来商量"
    )
    outsider = session.outsiders.get()
    login("staff").post(
        f"/consultations/sessions/{session.pk}/attendance/", {"action": "outsider", "outsider": outsider.pk}
    )
    outsider.refresh_from_db()
    assert outsider.checked_in_at is not None


def test_rotated_token_invalidates_the_old_qr_code(login):
    session = make_session(required=("member1",))
    old_path = session.checkin_path()
    login("staff").post(f"/consultations/sessions/{session.pk}/checkin-token/")
    session.refresh_from_db()
    assert session.checkin_path() != old_path
    response = login("member1").post(old_path)
    assert "签到码无效" in response.content.decode()
    assert "签到成功" in login("member1").post(session.checkin_path()).content.decode()


def test_opening_the_link_only_asks_to_confirm(login):
    """A GET (a link, an ``<img src>``) checks nobody in: the member confirms with a POST."""
    session = make_session(required=("member1",))
    page = login("member1").get(session.checkin_path())
    assert page.status_code == 200 and "确认签到" in page.content.decode() and session.title in page.content.decode()
    invitation = Invitation.objects.get(session=session)
    assert invitation.checked_in_at is None and not attendance_entries(invitation).exists()


def test_a_forwarded_code_stops_working_within_minutes(login):
    session = make_session(required=("member1",))
    scanned = timezone.now()
    path = session.checkin_path(scanned)
    with time_machine.travel(scanned + timedelta(minutes=2 * CHECKIN_CODE_MINUTES + 1)):
        response = login("member1").post(path)
    assert "签到码已过期" in response.content.decode()
    assert Invitation.objects.get(session=session).checked_in_at is None


def test_a_code_from_the_period_before_still_works(login):
    """Scanned just before the screen changed: the member still has the next period to confirm."""
    session = make_session(required=("member1",))
    scanned = timezone.now()
    path = session.checkin_path(scanned)
    with time_machine.travel(scanned + timedelta(minutes=CHECKIN_CODE_MINUTES)):
        assert "签到成功" in login("member1").post(path).content.decode()


def test_the_qr_screen_shows_a_new_code_each_period(login):
    session = make_session(required=("member1",))
    client = login("staff")
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        first = client.get(f"/consultations/sessions/{session.pk}/checkin-qr/").content.decode()
        assert session.checkin_code() in first and "<svg" in first
    with time_machine.travel(now + timedelta(minutes=CHECKIN_CODE_MINUTES), tick=False):
        second = client.get(f"/consultations/sessions/{session.pk}/checkin-qr/").content.decode()
        assert session.checkin_code() in second
    assert session.checkin_code(now) not in second
