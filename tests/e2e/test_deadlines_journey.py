"""Staff and a handling unit look at what is late, in a real browser."""

import pytest
from playwright.sync_api import expect

from cppcc_portal.deadlines.sweep import run_sweep

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_see_the_late_proposals_filter_them_and_export(live_server, page, demo, browser_login, shot):
    run_sweep(deliver=False)  # what the beat would have done by now
    browser_login("staff")
    page.click("nav >> text=逾期与预警")
    expect(page.locator("h1")).to_contain_text("逾期与预警")
    expect(page.locator("#deadline-board tbody tr").first).to_be_visible()
    shot("board")

    page.select_option("#id_clock", "proposal.review")
    page.click("button:has-text('筛选')")
    expect(page.locator("#deadline-board")).to_contain_text("立案审查")
    expect(page.locator("#deadline-board")).to_contain_text("提交后10个工作日")
    shot("review-clock")

    with page.expect_download() as download:
        page.click("#deadline-export")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_a_unit_users_workbench_opens_with_its_own_board(live_server, page, demo, browser_login, shot):
    browser_login("unit_edu")
    first_panel = page.locator("section.card").first
    expect(first_panel).to_contain_text("逾期与预警（本单位）")
    shot("workbench")
    page.click("text=查看逾期与预警")
    expect(page.locator("h1")).to_contain_text("区教育局")
    expect(page.locator("#deadline-board")).not_to_contain_text("区卫生健康委员会")
    shot("unit-board")
