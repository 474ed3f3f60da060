"""集体提案 in a real browser: 民进区委's filer writes it, its head confirms, the filer submits."""

import pytest
from playwright.sync_api import expect

from proposals.models import Proposal

from .builders import open_action, pick_members

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "关于加强“双减”背景下课后服务质量评估的建议"


def test_party_minjin_files_and_submits_a_collective_proposal(live_server, page, demo, browser_login, shot):
    # 民进区委's filer writes the draft in the organisation's name, with a contact member
    browser_login("party_minjin")
    page.goto(f"{live_server.url}/")
    expect(page.locator("body")).to_contain_text("本单位集体提案")
    page.goto(f"{live_server.url}/proposals/new/")
    expect(page.locator("#collective-notice")).to_contain_text("民进区委")
    page.fill("#id_title", TITLE)
    page.select_option("#id_category", label="社会建设")
    page.fill("#id_background", "课后服务覆盖面扩大，但质量参差不齐，缺少统一的评估标准。")
    page.fill("#id_suggestions", "一是制定课后服务质量评估指标；二是引入家长满意度评价；三是评估结果与经费挂钩。")
    pick_members(page, "id_author", "王淑芬")
    page.select_option("#id_suggested_units", label="区教育局")
    shot("new-collective-proposal")
    page.click("button:has-text('保存草稿')")
    expect(page.locator(".alert-success")).to_contain_text("草稿已保存")
    expect(page.locator("#head-confirmation")).to_contain_text("待单位负责人确认")
    proposal = Proposal.objects.get(title=TITLE)
    assert proposal.proposer_org.name == "民进区委"
    detail = f"{live_server.url}/proposals/{proposal.pk}/"

    # the filer may not submit yet, nor confirm it
    expect(page.locator("#actions")).not_to_contain_text("负责人确认")
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/submit/")
    expect(page.locator(".alert-danger")).to_contain_text("须经提案单位负责人确认")
    shot("submit-refused-before-head")

    # the office does not see the organisation's draft
    browser_login("staff")
    assert page.goto(detail).status == 403

    # 民进区委's head confirms from the workbench
    browser_login("party_minjin_head")
    page.goto(f"{live_server.url}/")
    page.locator("#awaiting-head a", has_text=TITLE).click()
    page.wait_for_load_state("networkidle")
    shot("head-confirms")
    page.click("#confirm-action")
    expect(page.locator(".alert-success")).to_contain_text("已确认")
    expect(page.locator("#head-confirmation")).to_contain_text("孙主委")

    # the filer submits; staff now find it in the review queue under the organisation's name
    browser_login("party_minjin")
    page.goto(detail)
    open_action(page, "提交")
    page.click("#confirm-action")
    expect(page.locator(".alert-success")).to_contain_text("已提交")
    shot("submitted")
    browser_login("staff")
    page.goto(f"{live_server.url}/proposals/review/")
    expect(page.locator("body")).to_contain_text(TITLE)
    page.goto(detail)
    expect(page.locator("body")).to_contain_text("民进区委")
    shot("staff-sees-it")
