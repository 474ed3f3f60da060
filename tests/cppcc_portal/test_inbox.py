"""The notification inbox and the one door for sending: ``notify``."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from cppcc_portal.models import Notification
from cppcc_portal.notifications import deliver_pending, in_quiet_hours, notify, send_digests

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAYTIME = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _quiet_inbox(demo):
    """Each test starts with the demo's own notices read and sent: whether those went out at
    seeding depends on the hour the suite runs (quiet hours hold them back)."""
    Notification.objects.update(read_at=timezone.now(), delivery_pending=False)


def test_notify_puts_one_notice_per_person_in_the_inbox(demo):
    member1, member2 = demo["member1"], demo["member2"]
    notify([member1, member2, member1], kind="test", subject="请确认联名", body="正文", link="/members/me/")
    assert Notification.objects.filter(kind="test").count() == 2


def test_unread_count_shows_in_the_navigation_and_reading_clears_it(login, demo):
    notify([demo["member2"]], kind="test", subject="新的提案待联名", link="/members/me/")
    client = login("member2")
    page = client.get("/").content.decode()
    assert 'id="unread-count">1<' in page
    notice = Notification.objects.get(recipient=demo["member2"], kind="test")
    response = client.post(f"/notifications/{notice.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/members/me/"
    assert 'id="unread-count"' not in client.get("/").content.decode()


def test_nobody_reads_another_persons_notice(login, demo):
    notice = notify([demo["member2"]], kind="test", subject="私人通知")[0]
    response = login("member1").post(f"/notifications/{notice.pk}/read/")
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_immediate_email_goes_out_once(demo):
    user = demo["member2"]
    user.email_mode = "immediate"
    user.save()
    mail.outbox.clear()
    notify([user], kind="test", subject="立即发送")
    deliver_pending(now=DAYTIME)
    deliver_pending(now=DAYTIME)
    assert [m.subject for m in mail.outbox if "立即发送" in m.subject] == ["【区政协履职服务平台】立即发送"]


def test_digest_users_get_routine_notices_in_one_email_but_deadlines_at_once(demo):
    user = demo["member3"]
    user.email_mode = "digest"
    user.save()
    mail.outbox.clear()
    notify([user], kind="test", subject="例行通知一")
    notify([user], kind="test", subject="例行通知二")
    notify([user], kind="deadline", subject="期限提醒", urgent=True)
    deliver_pending(now=DAYTIME)
    assert [m.subject for m in mail.outbox] == ["【区政协履职服务平台】期限提醒"]
    assert send_digests() == 1
    assert send_digests() == 0
    digest = mail.outbox[-1]
    assert "每日通知汇总（2条）" in digest.subject and "例行通知一" in digest.body and "例行通知二" in digest.body


def test_no_email_in_quiet_hours_then_sent_in_the_morning(demo):
    mail.outbox.clear()
    notify([demo["member1"]], kind="deadline", subject="夜间到期提醒", urgent=True)
    night = datetime(2026, 3, 2, 22, 30, tzinfo=SHANGHAI)
    assert in_quiet_hours(night) and in_quiet_hours(datetime(2026, 3, 3, 7, 59, tzinfo=SHANGHAI))
    assert deliver_pending(now=night) == 0 and not mail.outbox
    assert Notification.objects.get(subject="夜间到期提醒").read_at is None  # already in the inbox
    morning = datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
    assert not in_quiet_hours(morning)
    deliver_pending(now=morning)
    assert [m.subject for m in mail.outbox] == ["【区政协履职服务平台】夜间到期提醒"]


def test_everyone_chooses_digest_or_immediate_email_through_the_page(login, demo):
    client = login("unit_edu")
    response = client.post("/accounts/preferences/", {"email": "edu@example.org", "email_mode": "digest"})
    assert response.status_code == 302
    user = type(demo["unit_edu"]).objects.get(username="unit_edu")
    assert (user.email, user.email_mode, user.sms_enabled) == ("edu@example.org", "digest", False)
    response = client.post("/accounts/preferences/", {"email": "not-an-email", "email_mode": "weekly"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "edu@example.org" and user.email_mode == "digest"
