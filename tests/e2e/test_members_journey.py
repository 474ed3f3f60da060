"""A member keeps their own contact details up to date, in a real browser."""

import pytest
from playwright.sync_api import expect

from members.models import Member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_changes_own_phone_number(live_server, page, demo, browser_login, shot):
    browser_login("member1")
    expect(page.locator("h1")).to_have_text("工作台")
    shot("workbench")

    page.goto(f"{live_server.url}/members/me/")
    shot("my-profile")
    page.fill("#id_mobile", "13912345678")
    page.click("button:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("联系方式已保存")
    expect(page.locator("#id_mobile")).to_have_value("13912345678")
    shot("saved")

    assert Member.objects.get(user__username="member1").mobile == "13912345678"


def test_bad_phone_number_is_refused_in_chinese(live_server, page, demo, browser_login, shot):
    browser_login("member2")
    page.goto(f"{live_server.url}/members/me/")
    before = Member.objects.get(user__username="member2").mobile
    page.fill("#id_mobile", "12345")
    page.click("button:has-text('保存')")
    expect(page.locator(".invalid-feedback, .errorlist").first).to_contain_text("11位手机号码")
    shot("refused")
    assert Member.objects.get(user__username="member2").mobile == before
