"""通知公告: the 办公室 publishes to groups, each recipient has one receipt, reads are recorded per
recipient, and reminders reach only those who have not read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed
from cppcc_portal.models import Notification
from members.models import Committee, Member
from members.notices import services
from members.notices.demo import NOTICE_TITLE
from members.notices.models import Notice, NoticeReceipt
from members.recipients import users_in_groups
from members.selectors import members_in_groups

pytestmark = pytest.mark.django_db


def publish(demo, groups, **fields):
    return services.notice_publish(
        actor=demo["staff_meetings"],
        title=fields.pop("title", "关于召开常委会会议的通知"),
        body="请准时参加。",
        groups=groups,
        **fields,
    )


def test_each_recipient_gets_one_receipt_and_one_inbox_notice_however_many_groups_hold_them(demo):
    economy = Committee.objects.get(name="经济委员会")
    notice = publish(demo, ["term", "standing", f"committee:{economy.pk}"])
    expected = set(users_in_groups(["term"]).values_list("pk", flat=True))
    receipts = list(notice.receipts.values_list("recipient_id", flat=True))
    assert len(receipts) == len(set(receipts)) == len(expected)
    assert set(receipts) == expected
    inbox = Notification.objects.filter(kind=services.NOTICE_KIND, link=notice.get_absolute_url())
    assert inbox.count() == len(expected)
    assert demo["member1"].pk in expected and demo["unit_edu"].pk not in expected


def test_the_standing_committee_group_holds_only_standing_members(demo):
    standing = members_in_groups(["standing"])
    assert standing.exists()
    assert all(member.is_standing_committee for member in standing.select_related("position"))
    assert not standing.filter(pk=demo["member2"].member.pk).exists()


def test_a_station_group_holds_the_station_members(demo):
    from liaison_stations.models import StationMembership

    membership = StationMembership.objects.select_related("station").first()
    members = members_in_groups([f"station:{membership.station_id}"])
    expected = set(StationMembership.objects.filter(station=membership.station).values_list("member_id", flat=True))
    assert set(members.values_list("pk", flat=True)) == expected


def test_read_receipts_are_kept_per_recipient(demo, client):
    notice = publish(demo, ["term"])
    client.force_login(demo["member1"])
    assert client.get(notice.get_absolute_url()).status_code == 200
    first_read = NoticeReceipt.objects.get(notice=notice, recipient=demo["member1"]).read_at
    assert first_read is not None
    assert NoticeReceipt.objects.get(notice=notice, recipient=demo["member2"]).read_at is None
    client.get(notice.get_absolute_url())  # opening it again keeps the first reading
    assert NoticeReceipt.objects.get(notice=notice, recipient=demo["member1"]).read_at == first_read

    client.force_login(demo["staff_meetings"])
    unread = client.get(f"/notices/{notice.pk}/receipts/?state=unread").content.decode()
    read = client.get(f"/notices/{notice.pk}/receipts/?state=read").content.decode()
    assert demo["member2"].name in unread and demo["member1"].name not in unread
    assert demo["member1"].name in read and demo["member2"].name not in read
    # The publisher opening the notice is no recipient's receipt.
    client.get(notice.get_absolute_url())
    assert not NoticeReceipt.objects.filter(notice=notice, recipient=demo["staff_meetings"]).exists()


def test_the_reminder_reaches_only_those_who_have_not_read(demo, client):
    notice = publish(demo, ["term"])
    services.notice_mark_read(notice=notice, actor=demo["member1"])
    unread = NoticeReceipt.objects.filter(notice=notice, read_at__isnull=True).count()
    client.force_login(demo["staff_meetings"])
    response = client.post(f"/notices/{notice.pk}/remind/", follow=True)
    assert f"共提醒 {unread} 人" in response.content.decode()
    reminders = Notification.objects.filter(kind=services.REMINDER_KIND)
    assert reminders.count() == unread
    assert not reminders.filter(recipient=demo["member1"]).exists()
    assert reminders.filter(recipient=demo["member2"]).exists()
    assert NoticeReceipt.objects.get(notice=notice, recipient=demo["member2"]).reminder_count == 1
    assert NoticeReceipt.objects.get(notice=notice, recipient=demo["member1"]).reminder_count == 0


def test_no_reminder_when_everyone_has_read(demo):
    notice = publish(demo, ["standing"])
    for receipt in notice.receipts.select_related("recipient"):
        services.notice_mark_read(notice=notice, actor=receipt.recipient)
    with pytest.raises(ValidationFailed):
        services.notice_remind(actor=demo["staff_meetings"], notice=notice)


def test_the_preview_counts_the_people_the_notice_then_reaches(demo, client):
    client.force_login(demo["staff_meetings"])
    economy = Committee.objects.get(name="经济委员会")
    data = {
        "kind": "notice",
        "title": "关于开展经济领域专题调研的通知",
        "body": "请参加。",
        "groups": ["standing", f"committee:{economy.pk}"],
    }
    preview = client.post("/notices/new/", {**data, "preview": "1"})
    count = preview.context["preview"]["count"]
    assert f"将发送给 <strong>{count}</strong> 人" in preview.content.decode()
    assert not Notice.objects.filter(title=data["title"]).exists()
    response = client.post("/notices/new/", {**data, "publish": "1"})
    assert response.status_code == 302
    assert Notice.objects.get(title=data["title"]).receipts.count() == count


def test_publishing_with_an_attachment_serves_it_to_recipients_only(demo, client):
    upload = SimpleUploadedFile("会议议程.pdf", b"%PDF-1.4 agenda", content_type="application/pdf")
    notice = publish(demo, ["standing"], attachments=[upload])
    attachment = notice.attachments.get()
    client.force_login(demo["member1"])  # a 常委
    assert client.get(f"/notices/attachments/{attachment.pk}/").status_code == 200
    client.force_login(demo["member2"])
    assert client.get(f"/notices/attachments/{attachment.pk}/").status_code == 403


def test_bad_input_is_refused_in_chinese_and_changes_nothing(demo, client):
    client.force_login(demo["staff_meetings"])
    before = Notice.objects.count()
    response = client.post(
        "/notices/new/", {"kind": "notice", "title": "无对象", "body": "正文", "groups": ["sector:999999"]}
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode() or "不存在" in response.content.decode()
    with pytest.raises(ValidationFailed, match="至少选择"):
        publish(demo, [])
    with pytest.raises(ValidationFailed, match="标题"):
        publish(demo, ["term"], title="  ")
    assert Notice.objects.count() == before


def test_a_committee_office_follows_its_own_notices_only(demo, client):
    own = services.notice_publish(
        actor=demo["staff_committee"], title="经济委通知", body="请参加。", groups=["standing"]
    )
    theirs = Notice.objects.get(title=NOTICE_TITLE)  # the 办公室's
    client.force_login(demo["staff_committee"])
    assert client.get(f"/notices/{own.pk}/receipts/").status_code == 200
    assert client.get(f"/notices/{theirs.pk}/receipts/").status_code == 403
    listed = client.get("/notices/").content.decode()
    assert "经济委通知" in listed and NOTICE_TITLE not in listed
    with pytest.raises(PermissionDeniedError):
        services.notice_remind(actor=demo["staff_committee"], notice=theirs)


def test_only_the_office_that_runs_notices_publishes(demo):
    with pytest.raises(PermissionDeniedError):
        services.notice_publish(actor=demo["staff_proposals"], title="越权", body="x", groups=["term"])
    with pytest.raises(PermissionDeniedError):
        services.notice_publish(actor=demo["member1"], title="越权", body="x", groups=["term"])


def test_the_demo_notice_has_readers_and_member2_has_not_read_it(demo):
    notice = Notice.objects.get(title=NOTICE_TITLE)
    assert notice.receipts.filter(read_at__isnull=False).exists()
    assert notice.receipts.filter(recipient=demo["member2"], read_at__isnull=True).exists()
    assert Member.objects.filter(user=demo["member2"]).exists()
