"""member2 opens their 履职档案, writes the year's 述职, and staff accept it, in a real browser."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Member
from members.performance.enums import ReportStatus
from members.performance.models import AnnualReport, PerformanceRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_writes_the_annual_report_and_staff_accept_it(live_server, page, demo, browser_login, shot):
    year = timezone.localdate().year
    member = Member.objects.get(user__username="member2")
    plenary = PerformanceRecord.objects.filter(member=member, act="plenary_attended", on__year=year).first()
    assert plenary is not None, "the demo data gives member2 a plenary attendance this year"

    browser_login("member2")
    expect(page.locator("body")).to_contain_text("五个一")
    shot("workbench-five-ones")

    page.click("text=我的履职档案")
    expect(page.locator("h1")).to_contain_text("履职档案 · 王淑芬")
    this_year = page.locator(f"#year-{year}")
    expect(this_year.locator(".record-entries")).to_contain_text("出席全体会议")
    expect(this_year.locator(".record-entries")).to_contain_text(str(plenary.points))
    expect(this_year.locator(".year-total")).not_to_have_text("0")
    shot("my-record")

    page.click(f"text=填写{year}年度述职")
    expect(page.locator("#id_summary")).to_have_value(re.compile(f"{year}年度共有履职记录"))
    page.fill("#id_body", "一年来，我按时出席全体会议，围绕教育均衡提出提案，参加联络站接待群众活动。")
    shot("report-form")
    page.click("button[name=submit]")
    expect(page.locator(".alert-success")).to_contain_text("述职已提交")
    expect(page.locator(".report-status")).to_have_text("已提交待审")
    shot("report-submitted")

    browser_login("staff")
    page.goto(f"{live_server.url}/members/reports/?year={year}&status=submitted")
    row = page.locator("tr", has_text="王淑芬")
    shot("review-list")
    row.locator("text=查看").click()
    expect(page.locator("body")).to_contain_text("围绕教育均衡提出提案")
    page.fill("#id_note", "内容翔实，同意。")
    shot("review")
    page.click("button[name=accept]")
    expect(page.locator(".alert-success")).to_contain_text("述职已审核通过")
    expect(page.locator(".report-status")).to_have_text("已通过")
    shot("accepted")

    browser_login("member2")
    page.goto(f"{live_server.url}/members/{member.pk}/record/")
    page.locator(f"#year-{year} summary").click()
    expect(page.locator(f"#year-{year}")).to_contain_text("围绕教育均衡提出提案")
    shot("record-with-report")

    assert AnnualReport.objects.get(member=member, year=year).status == ReportStatus.ACCEPTED
