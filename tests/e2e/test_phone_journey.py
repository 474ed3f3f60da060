"""On a phone (390×844): member2 writes a 微建议 with no network; it is kept on the phone and,
when the phone is back online, sent once. The member pages fit the screen."""

import pytest
from playwright.sync_api import expect

from proposals.models import MicroSuggestion

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TITLE = "小区垃圾分类亭夜间无照明"


def test_a_micro_suggestion_written_offline_is_sent_once_back_online(live_server, page, demo, browser_login, shot):
    page.set_viewport_size(PHONE)
    browser_login("member2")
    page.goto(f"{live_server.url}/opinions/micro/new/")
    expect(page.locator("h1")).to_have_text("提出微建议 · 微监督")
    expect(page.locator("link[rel=manifest]")).to_have_attribute("href", "/manifest.webmanifest")
    shot("form-online")

    page.context.set_offline(True)
    page.check("#id_kind_0")
    page.fill("#id_title", TITLE)
    page.fill("#id_place", "文化里小区 3 号楼")
    page.fill("#id_problem", "晚上倒垃圾看不清分类标识，居民摔倒过。")
    page.fill("#id_suggestion", "加装感应灯。")
    page.select_option("#id_unit", label="区卫生健康委员会")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#offline-outbox")).to_contain_text("已保存在本机")
    shot("kept-offline")
    assert not MicroSuggestion.objects.filter(title=TITLE).exists()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # what the phone's network coming back fires
    expect(page.locator("#offline-outbox")).to_contain_text("已发送离线保存的微建议")
    shot("sent")
    assert MicroSuggestion.objects.filter(title=TITLE).count() == 1

    # Another page, another flush: nothing is left to send, nothing is sent twice.
    page.locator("#offline-outbox a", has_text="查看").click()
    expect(page.locator("h1")).to_contain_text(TITLE)
    page.goto(f"{live_server.url}/opinions/micro/")
    expect(page.locator("#micro-table")).to_contain_text(TITLE)
    assert page.locator("#micro-table a", has_text=TITLE).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot("board")
    suggestion = MicroSuggestion.objects.get(title=TITLE)
    assert suggestion.member.user == demo["member2"] and suggestion.form_token is not None


MEMBER_PAGES = [
    "/",
    "/proposals/",
    "/proposals/new/",
    "/opinions/",
    "/opinions/new/",
    "/opinions/micro/",
    "/opinions/micro/new/",
    "/consultations/",
    "/consultations/research/",
    "/consultations/supervision/",
    "/stations/",
    "/members/me/",
    "/members/me/record/",
    "/members/study/",
    "/notifications/",
]


def test_the_member_pages_fit_a_phone(live_server, page, demo, browser_login, shot):
    page.set_viewport_size(PHONE)
    browser_login("member1")
    for path in MEMBER_PAGES:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide"
        shot(path.strip("/").replace("/", "-") or "home")
