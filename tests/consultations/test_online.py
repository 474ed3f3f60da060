"""网络议政: posting within the window, replies, moderation, throttling, closing with the 意见汇总,
adoption credited in the ledger; 远程协商: online check-in during the session."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from consultations import services
from consultations.enums import CheckinMethod, Moderation, OnlinePhase, OutcomeKind
from consultations.models import AdoptionFeedback, Invitation, OnlinePost, OnlineTopic, Suggestion
from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from members.enums import PerformanceAct
from members.models import Organization
from members.performance.models import PerformanceRecord

from .factories import make_online_topic, make_session, member, staff

pytestmark = pytest.mark.django_db

ANON = Client  # the public: no login


def adopted_entries(post):
    return PerformanceRecord.objects.filter(act=PerformanceAct.ONLINE_OPINION_ADOPTED, source_id=post.pk)


def comment(topic, text="群众意见", address="192.0.2.10", now=None):
    from django.contrib.auth.models import AnonymousUser

    return services.online_comment_create(
        actor=AnonymousUser(), topic=topic, text=text, name="张先生", address=address, now=now
    )


# --- posting within the window ---------------------------------------------------------------


def test_invited_member_posts_only_within_the_window(demo):
    topic = make_online_topic(opens_at=timezone.now() + timedelta(days=1), days=3)
    with pytest.raises(TransitionNotAllowed, match="尚未开始"):
        services.online_post_create(actor=demo["member1"], topic=topic, text="早到的意见")
    with time_machine.travel(topic.opens_at + timedelta(hours=1)):
        post = services.online_post_create(actor=demo["member1"], topic=topic, text="我的意见")
        assert topic.phase() == OnlinePhase.OPEN
    with time_machine.travel(topic.closes_at + timedelta(minutes=1)):
        with pytest.raises(TransitionNotAllowed, match="已截止"):
            services.online_post_create(actor=demo["member1"], topic=topic, text="迟到的意见")
    assert list(topic.posts.values_list("text", flat=True)) == ["我的意见"]
    assert post.moderation == Moderation.APPROVED, "members' opinions show at once"


def test_uninvited_member_cannot_post_on_a_private_topic(demo, login):
    topic = make_online_topic(members=("member1",))
    with pytest.raises(PermissionDeniedError, match="受邀委员"):
        services.online_post_create(actor=demo["member2"], topic=topic, text="意见")
    assert login("member2").get(topic.get_absolute_url()).status_code == 403
    assert not topic.posts.exists()


def test_empty_opinion_is_refused_in_chinese(demo, login):
    topic = make_online_topic()
    response = login("member1").post(topic.get_absolute_url(), {"text": "   "})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() or "请填写" in response.content.decode()
    assert not topic.posts.exists()


def test_member_posts_through_the_form_with_a_text_field(login):
    topic = make_online_topic()
    client = login("member1")
    response = client.post(topic.get_absolute_url(), {"text": "建议增设社区议事厅。"})
    assert response.status_code == 302
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "建议增设社区议事厅。" in page and 'name="text"' in page


def test_replies_go_one_level_deep(demo):
    topic = make_online_topic(members=("member1", "member2"))
    first = services.online_post_create(actor=demo["member1"], topic=topic, text="主意见")
    reply = services.online_post_create(actor=demo["member2"], topic=topic, text="回复", parent=first)
    deeper = services.online_post_create(actor=demo["member1"], topic=topic, text="再回复", parent=reply)
    assert reply.parent == first and deeper.parent == first


# --- the public: moderation and throttling ----------------------------------------------------


def test_an_unapproved_public_comment_is_never_shown(demo, login):
    topic = make_online_topic(is_public=True)
    response = Client(REMOTE_ADDR="192.0.2.44").post(topic.get_absolute_url(), {"name": "刘", "text": "待审核的留言"})
    assert response.status_code == 302
    post = OnlinePost.objects.get(text="待审核的留言")
    assert post.moderation == Moderation.PENDING and post.client_address == "192.0.2.44"

    for client in (Client(), login("member1")):
        assert "待审核的留言" not in client.get(topic.get_absolute_url()).content.decode()
    assert "待审核的留言" in login("staff").get(topic.get_absolute_url()).content.decode(), "staff moderate it"

    services.online_post_moderate(actor=staff(), post=post, decision=Moderation.REJECTED)
    assert "待审核的留言" not in Client().get(topic.get_absolute_url()).content.decode()
    services.online_post_moderate(actor=staff(), post=post, decision=Moderation.APPROVED)
    assert "待审核的留言" in Client().get(topic.get_absolute_url()).content.decode()


def test_member_opinions_need_no_moderation_and_only_staff_moderate(demo):
    topic = make_online_topic(is_public=True)
    own = services.online_post_create(actor=demo["member1"], topic=topic, text="委员意见")
    with pytest.raises(ValidationFailed, match="无需审核"):
        services.online_post_moderate(actor=staff(), post=own, decision=Moderation.REJECTED)
    public = comment(topic)
    with pytest.raises(PermissionDeniedError):
        services.online_post_moderate(actor=demo["member1"], post=public, decision=Moderation.APPROVED)
    services.online_post_moderate(actor=staff(), post=public, decision=Moderation.APPROVED)
    with pytest.raises(TransitionNotAllowed, match="不能改为"):
        services.online_post_moderate(actor=staff(), post=public, decision=Moderation.APPROVED)


def test_the_public_cannot_comment_on_a_private_topic(demo):
    topic = make_online_topic(is_public=False)
    with pytest.raises(PermissionDeniedError, match="不向社会公开"):
        comment(topic)
    response = Client().get(topic.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_public_comments_are_throttled_per_address_with_a_chinese_message(settings, demo):
    settings.PORTAL_PUBLIC_COMMENTS_PER_WINDOW = 2
    settings.PORTAL_PUBLIC_COMMENT_WINDOW = 60
    topic = make_online_topic(is_public=True)
    browser = Client(REMOTE_ADDR="192.0.2.77")
    for k in range(2):
        assert browser.post(topic.get_absolute_url(), {"text": f"留言{k}"}).status_code == 302
    refused = browser.post(topic.get_absolute_url(), {"text": "第三条留言"})
    assert refused.status_code == 429
    assert "留言过于频繁" in refused.content.decode()
    assert not OnlinePost.objects.filter(text="第三条留言").exists()
    # Another address is not held back; the same one may write again after the window.
    assert Client(REMOTE_ADDR="192.0.2.78").post(topic.get_absolute_url(), {"text": "别处的留言"}).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        comment(topic, text="一小时后", address="192.0.2.77")
    assert OnlinePost.objects.filter(client_address="192.0.2.77").count() == 3


def test_throttling_reads_the_client_address_behind_the_proxy(settings, demo):
    settings.PORTAL_PROXY_COUNT = 1
    settings.PORTAL_PUBLIC_COMMENTS_PER_WINDOW = 1
    topic = make_online_topic(is_public=True)
    proxy = "10.0.0.1"
    Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1").post(topic.get_absolute_url(), {"text": "甲"})
    other = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2").post(
        topic.get_absolute_url(), {"text": "乙"}
    )
    assert other.status_code == 302, "two browsers behind one proxy are two addresses"
    assert set(OnlinePost.objects.filter(topic=topic).values_list("client_address", flat=True)) == {
        "198.51.100.1",
        "198.51.100.2",
    }


# --- closing, the 意见汇总 and adoption -------------------------------------------------------


def test_close_is_refused_while_comments_wait_then_compiles_the_summary(demo):
    topic = make_online_topic(is_public=True, members=("member1",))
    services.online_post_create(actor=demo["member1"], topic=topic, text="委员意见一")
    pending = comment(topic)
    with pytest.raises(ValidationFailed, match="待审核"):
        services.online_topic_close(actor=staff(), topic=topic)
    services.online_post_moderate(actor=staff(), post=pending, decision=Moderation.REJECTED)
    with pytest.raises(PermissionDeniedError):
        services.online_topic_close(actor=demo["member1"], topic=topic)
    closed = services.online_topic_close(actor=staff(), topic=topic)
    assert closed.phase() == OnlinePhase.CLOSED
    assert closed.closes_at <= timezone.now(), "closing early ends the window"
    outcome = closed.outcome
    assert outcome.kind == OutcomeKind.ONLINE_SUMMARY and "委员意见1条" in outcome.summary
    with pytest.raises(TransitionNotAllowed):
        services.online_topic_close(actor=staff(), topic=topic)
    with pytest.raises(TransitionNotAllowed):
        services.online_post_create(actor=demo["member1"], topic=topic, text="关闭后的意见")


def test_an_upcoming_topic_cannot_be_closed(demo):
    topic = make_online_topic(opens_at=timezone.now() + timedelta(days=2))
    with pytest.raises(TransitionNotAllowed):
        services.online_topic_close(actor=staff(), topic=topic)
    assert OnlineTopic.objects.get(pk=topic.pk).closed_at is None


def test_adoption_credits_the_member_and_can_be_taken_back(demo):
    topic = make_online_topic(members=("member1", "member2"))
    post = services.online_post_create(actor=demo["member1"], topic=topic, text="建议一")
    other = services.online_post_create(actor=demo["member2"], topic=topic, text="建议二")
    with pytest.raises(TransitionNotAllowed, match="请先结束"):
        services.online_post_adopt(actor=staff(), post=post)
    with time_machine.travel(topic.closes_at + timedelta(hours=1)):
        services.online_topic_close(actor=staff(), topic=topic)
        services.online_post_adopt(actor=staff(), post=post)
        services.online_post_adopt(actor=staff(), post=other)
    post.refresh_from_db()
    topic.refresh_from_db()
    assert post.adopted_at and post.suggestion.outcome == topic.outcome and post.suggestion.number == 1
    entry = adopted_entries(post).get()
    assert entry.member == member("member1") and entry.on == timezone.localdate(post.adopted_at)
    with pytest.raises(TransitionNotAllowed, match="已标记为采纳"):
        services.online_post_adopt(actor=staff(), post=post)

    services.online_post_adopt(actor=staff(), post=post, adopted=False)
    assert not adopted_entries(post).exists()
    other.refresh_from_db()
    assert other.suggestion.number == 1, "the outcome's suggestions are numbered without a gap"
    assert not Suggestion.objects.filter(outcome=topic.outcome, text="建议一").exists()


def test_adoption_cannot_be_taken_back_once_a_department_answered(demo):
    topic = make_online_topic()
    post = services.online_post_create(actor=demo["member1"], topic=topic, text="建议")
    services.online_topic_close(actor=staff(), topic=topic)
    services.online_post_adopt(actor=staff(), post=post)
    post.refresh_from_db()
    outcome = OnlineTopic.objects.get(pk=topic.pk).outcome
    services.delivery_add(actor=staff(), outcome=outcome, body="区政府", sent_on=timezone.localdate())
    AdoptionFeedback.objects.create(
        suggestion=post.suggestion,
        organization=Organization.objects.filter(users__isnull=False).first(),
        adoption="adopted",
        text="已落实",
        replied_on=timezone.localdate(),
    )
    with pytest.raises(TransitionNotAllowed, match="不能撤销采纳"):
        services.online_post_adopt(actor=staff(), post=post, adopted=False)
    assert adopted_entries(post).count() == 1


def test_summary_downloads_as_pdf_and_word(demo, login):
    from docx import Document

    topic = make_online_topic(members=("member1",))
    post = services.online_post_create(actor=demo["member1"], topic=topic, text="加强社区议事协商")
    client = login("staff")
    assert client.get(f"/consultations/online/{topic.pk}/summary.docx").status_code == 404, "not yet compiled"
    services.online_topic_close(actor=staff(), topic=topic)
    services.online_post_adopt(actor=staff(), post=post)
    pdf = client.get(f"/consultations/online/{topic.pk}/summary.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    word = client.get(f"/consultations/online/{topic.pk}/summary.docx")
    text = "\n".join(p.text for p in Document(BytesIO(word.content)).paragraphs)
    assert "采纳的意见" in text and "加强社区议事协商" in text and member("member1").name in text


# --- 远程协商: online check-in ----------------------------------------------------------------


def online_session(**kwargs):
    session = make_session(**kwargs)
    session.is_online, session.meeting_url = True, "https://meeting.example.cn/j/1"
    session.save()
    return session


def test_online_checkin_is_credited_like_check_in_during_the_window(demo, login):
    session = online_session(required=("member1",))
    early = session.starts_at - services.ONLINE_CHECKIN_OPENS_BEFORE - timedelta(minutes=1)
    with time_machine.travel(early):
        with pytest.raises(ValidationFailed, match="尚未开始"):
            services.checkin_online(actor=demo["member1"], session=session)
    with time_machine.travel(session.starts_at + timedelta(minutes=5)):
        page = login("member1").get(session.get_absolute_url()).content.decode()
        assert "在线签到" in page and session.meeting_url in page
        response = login("member1").post(f"/consultations/sessions/{session.pk}/online-checkin/")
    assert response.status_code == 302
    invitation = Invitation.objects.get(session=session, member=member("member1"))
    assert invitation.checkin_method == CheckinMethod.ONLINE
    assert (
        PerformanceRecord.objects.filter(act=PerformanceAct.CONSULTATION_ATTENDED, source_id=invitation.pk).count() == 1
    )
    with time_machine.travel(session.starts_at + timedelta(minutes=6)):
        again = services.checkin_online(actor=demo["member1"], session=session)
    assert not again.first_time
    with time_machine.travel(session.ends_at):
        with pytest.raises(ValidationFailed, match="会议已结束"):
            services.checkin_online(actor=demo["member1"], session=session)


def test_online_checkin_is_refused_for_a_room_session_and_for_the_uninvited(demo, login):
    room = make_session(required=("member1",))
    with time_machine.travel(room.starts_at + timedelta(minutes=5)):
        with pytest.raises(ValidationFailed, match="不是远程协商"):
            services.checkin_online(actor=demo["member1"], session=room)
    session = online_session(required=("member1",))
    with time_machine.travel(session.starts_at + timedelta(minutes=5)):
        with pytest.raises(PermissionDeniedError, match="邀请名单"):
            services.checkin_online(actor=demo["member2"], session=session)
        assert login("member2").post(f"/consultations/sessions/{session.pk}/online-checkin/").status_code == 403
    assert not Invitation.objects.filter(session=session, checked_in_at__isnull=False).exists()


def test_an_online_session_needs_its_meeting_link(demo, login):
    session = make_session()
    response = login("staff").post(
        f"/consultations/sessions/{session.pk}/edit/",
        {
            "s-form": session.form_id,
            "s-title": session.title,
            "s-starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "s-ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "s-venue": session.venue,
            "s-is_online": "on",
            "s-meeting_url": "",
        },
    )
    assert response.status_code == 200 and "远程协商须填写视频会议链接" in response.content.decode()
    session.refresh_from_db()
    assert not session.is_online


def test_staff_workbench_points_to_comments_awaiting_moderation(demo, login):
    topic = make_online_topic(is_public=True, title="待审核提示测试")
    comment(topic)
    page = login("staff").get("/").content.decode()
    assert "网络议政“待审核提示测试”有 1 条群众留言待审核" in page
    services.online_post_moderate(actor=staff(), post=topic.posts.get(), decision=Moderation.APPROVED)
    assert "待审核提示测试" not in login("staff").get("/").content.decode()


def test_a_reply_to_an_unknown_opinion_changes_nothing(demo, login):
    topic = make_online_topic(members=("member1", "member2"))
    first = services.online_post_create(actor=demo["member1"], topic=topic, text="主意见")
    client = login("member2")
    client.post(topic.get_absolute_url(), {"text": "回复主意见", "parent": first.pk})
    assert OnlinePost.objects.get(text="回复主意见").parent == first
    response = client.post(topic.get_absolute_url(), {"text": "回复不存在的意见", "parent": first.pk + 999})
    assert "要回复的意见不存在" in response.content.decode()
    response = client.post(topic.get_absolute_url(), {"text": "回复", "parent": "abc"})
    assert "页面信息不完整或已过期" in response.content.decode()
    assert topic.posts.count() == 2


def test_the_calendar_feed_carries_the_meeting_link(demo):
    from consultations.selectors import calendar_token_for

    session = online_session(required=("member1",))
    token = calendar_token_for(demo["member1"]).token
    feed = Client().get(f"/consultations/calendar/{token}.ics").content.decode()
    assert session.meeting_url in feed.replace("\r\n ", "")


def test_staff_open_a_topic_with_an_attachment_and_invited_members_are_told(demo, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cppcc_portal.models import Notification

    start = timezone.localtime() + timedelta(hours=1)
    response = login("staff").post(
        "/consultations/online/new/",
        {
            "title": "网络议政：停车难治理",
            "background": "老旧小区停车位缺口大。",
            "attachment": SimpleUploadedFile("情况通报.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
            "opens_at": start.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (start + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "members": [member("member1").pk],
        },
    )
    topic = OnlineTopic.objects.get(title="网络议政：停车难治理")
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert topic.phase() == OnlinePhase.UPCOMING and topic.created_by == staff()
    assert Notification.objects.filter(recipient=demo["member1"], subject__contains="停车难治理").exists()
    download = login("member1").get(f"/consultations/online/{topic.pk}/attachment/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert login("member2").get(f"/consultations/online/{topic.pk}/attachment/").status_code == 403
