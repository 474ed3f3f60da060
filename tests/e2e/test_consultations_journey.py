"""请你来商量 in a real browser: staff schedule it with parents and teachers,
member1 accepts, checks in through the QR link, and the attendance is on record."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Invitation, Session
from liaison_stations.models import Station
from members.enums import PerformanceAct
from members.models import Member
from members.performance.models import PerformanceRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "请你来商量：学校食堂与学生营养午餐"


def test_qingni_session_from_invitation_to_attendance_record(live_server, page, demo, browser_login, shot):
    member1 = Member.objects.get(user__username="member1")
    member2 = Member.objects.get(user__username="member2")
    start = timezone.localtime() + timedelta(minutes=30)

    # Staff schedule the session, invite two members and two outside participants.
    browser_login("staff")
    page.goto(f"{live_server.url}/consultations/")
    shot("staff-consultations")
    page.click("text=新建协商活动")
    page.fill("#id_s-title", TITLE)
    page.select_option("#id_s-form", label="请你来商量")
    page.fill("#id_s-starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_s-ends_at", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_s-venue", "区实验小学报告厅")
    page.fill("#id_o-0-name", "赵丽")
    page.select_option("#id_o-0-identity", label="家长")
    page.fill("#id_o-0-contact", "13800000001")
    page.fill("#id_o-1-name", "孙明")
    page.select_option("#id_o-1-identity", label="教师")
    page.fill("#id_o-1-affiliation", "区实验小学")
    shot("new-session-form")
    page.click("#session-form button[type=submit]")
    # Then members are invited by group: their home station, trimmed to the two of them on the preview.
    home = Station.objects.get(name="杨村街道委员联络站")
    page.select_option("#id_groups", value=[f"station:{home.pk}"])
    page.click("#group-picker button[type=submit]")
    expect(page.locator("#group-preview")).to_contain_text(member1.name)
    page.uncheck("#preview-all")
    page.check(f"#pick-{member1.pk}")
    page.check(f"#pick-{member2.pk}")
    expect(page.locator("#preview-count")).to_have_text("2")
    shot("invite-preview")
    page.click("#send-invitations")
    expect(page.locator(".alert-success")).to_contain_text("已邀请 2 名委员")
    expect(page.locator("#session-title")).to_have_text(TITLE)
    expect(page.locator("#outsiders")).to_contain_text("赵丽")
    expect(page.locator("#outsiders")).to_contain_text("教师")
    expect(page.locator("#checkin-qr svg")).to_be_visible()
    shot("session-with-qr")
    checkin_url = page.get_attribute("#checkin-link", "href")
    session = Session.objects.get(title=TITLE)
    assert f"/consultations/sessions/{session.pk}/checkin/" in checkin_url
    assert session.checkin_token not in checkin_url, "the QR shows a code that changes, never the secret"
    assert session.outsiders.count() == 2

    # member1 sees the invitation and accepts.
    browser_login("member1")
    expect(page.locator("#panel-invitations")).to_contain_text(TITLE)
    shot("member-workbench")
    page.goto(f"{live_server.url}/consultations/")
    shot("member-consultations")
    page.click(f"text={TITLE}")
    expect(page.locator("#checkin-qr")).to_have_count(0)  # the token is for the room, not for members' pages
    page.click("#rsvp-link")
    shot("rsvp")
    page.check("input[name=answer][value=attending]")
    page.click("button:has-text('提交')")
    expect(page.locator(".alert-success")).to_contain_text("已回复")
    expect(page.locator("#my-invitation")).to_contain_text("参加")
    shot("accepted")

    # In the room, member1 scans the QR code.
    page.goto(checkin_url)
    expect(page.locator("#checkin-session")).to_have_text(TITLE)
    shot("checkin-confirm")
    page.click("#checkin-form button")
    expect(page.locator("#checkin-message")).to_contain_text("签到成功")
    shot("checked-in")
    page.goto(checkin_url)
    page.click("#checkin-form button")
    expect(page.locator("#checkin-message")).to_contain_text("无需重复签到")
    shot("checked-in-again")

    invitation = Invitation.objects.get(session=session, member=member1)
    assert invitation.checked_in_at is not None and invitation.checkin_method == "qr"
    assert (
        PerformanceRecord.objects.filter(
            member=member1, act=PerformanceAct.CONSULTATION_ATTENDED, source_id=invitation.pk
        ).count()
        == 1
    )

    # The attendance is on member1's record.
    page.goto(f"{live_server.url}/members/me/")
    expect(page.locator("#consultation-record")).to_contain_text(TITLE)
    expect(page.locator("#consultation-record")).to_contain_text("参加协商活动")
    shot("member-record")

    # Staff see the check-in on the attendance list.
    browser_login("staff")
    page.goto(f"{live_server.url}/consultations/sessions/{session.pk}/attendance/")
    expect(page.locator("#attendance-members")).to_contain_text("扫码签到")
    shot("staff-attendance")


def test_plan_outcome_and_supervision_pages_for_each_role(live_server, page, demo, browser_login, shot):
    from consultations import demo as d
    from consultations.models import Outcome

    year = timezone.localdate().year
    browser_login("staff")
    page.goto(f"{live_server.url}/consultations/plan/{year}/")
    expect(page.locator("#plan-topics .late").first).to_be_visible()
    shot("staff-plan")
    page.click(f"#plan-topics a:has-text('{'优化营商环境'}')")
    expect(page.locator("#chain")).to_contain_text("完成")
    shot("staff-topic-done")
    page.goto(f"{live_server.url}/consultations/outcomes/?awaiting=1")
    expect(page.locator("#outcomes")).to_contain_text(d.OUTCOME_PARTIAL)
    shot("staff-outcomes-awaiting")
    page.goto(f"{live_server.url}/consultations/supervision/{year}/")
    expect(page.locator("#inspections")).to_contain_text(d.INSPECTION_WITH_FEEDBACK)
    shot("staff-supervision")

    # The health commission answers its suggestion on the outcome page.
    outcome = Outcome.objects.get(title=d.OUTCOME_PARTIAL)
    browser_login("unit_health")
    expect(page.locator("#panel-unit-feedback")).to_contain_text(d.OUTCOME_PARTIAL)
    shot("unit-workbench")
    page.goto(f"{live_server.url}{outcome.get_absolute_url()}")
    page.click("summary:has-text('录入/修改反馈')")
    page.fill("#suggestions input[name=text]", "已在 3 个社区卫生服务中心增设康复护理床位 40 张")
    page.click("#suggestions button:has-text('提交')")
    expect(page.locator(".alert-success")).to_contain_text("采纳落实情况已反馈")
    expect(page.locator("#feedback-state")).to_contain_text("反馈已办结")
    shot("unit-answered")

    # A leader reads the 请你来商量 with its outside participants.
    browser_login("leader")
    page.goto(f"{live_server.url}/consultations/")
    page.click(f"text={d.UPCOMING_QINGNI}")
    expect(page.locator("#outsiders")).to_contain_text("学生代表")
    shot("leader-qingni")
