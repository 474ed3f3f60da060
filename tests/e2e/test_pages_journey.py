"""The frame every page shares, in a real browser: titles and the top bar."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_ROLES = ["admin", "staff", "leader", "member1", "unit_edu"]

# Top edges of the bar's brand and entries: all on one line when they are (nearly) equal.
BAR_TOPS = """() => [
  document.querySelector('#portal-navbar .navbar-brand'),
  ...document.querySelectorAll('#mainnav > .navbar-nav > .nav-item'),
].map(el => Math.round(el.getBoundingClientRect().top))"""


def test_page_titles_name_the_page_then_the_portal(live_server, page, demo, browser_login, shot):
    browser_login("staff")
    expect(page).to_have_title("工作台 · 区政协履职服务平台")
    page.goto(f"{live_server.url}/proposals/")
    expect(page).to_have_title("提案 · 区政协履职服务平台")
    shot("proposals")
    page.goto(f"{live_server.url}/stats/")
    expect(page).to_have_title("统计 · 提案工作 · 区政协履职服务平台")


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_top_bar_is_one_line_at_1280(live_server, page, demo, browser_login, shot, username):
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_login(username)
    expect(page.locator("#mainnav")).to_be_visible()
    expect(page.locator("#portal-navbar .navbar-toggler")).to_be_hidden()
    tops = page.evaluate(BAR_TOPS)
    assert len(tops) >= 3
    assert max(tops) - min(tops) <= 8, tops
    height = page.locator("#portal-navbar").bounding_box()["height"]
    assert height < 70, height  # one line of links (about 56 px); two lines would be over 90
    shot("bar")


def test_grouped_entries_open_as_a_menu(live_server, page, demo, browser_login, shot):
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_login("staff")
    menu = page.locator("#mainnav .dropdown-toggle", has_text="提案")
    menu.click()
    expect(page.locator("#mainnav .dropdown-menu.show")).to_contain_text("立案审查")
    shot("menu")
    page.locator("#mainnav .dropdown-menu.show a", has_text="立案审查").click()
    expect(page).to_have_url(f"{live_server.url}/proposals/review/")


def test_top_bar_collapses_into_a_menu_on_phones(live_server, page, demo, browser_login, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login("staff")
    toggler = page.locator("#portal-navbar .navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.locator("#mainnav")).to_be_hidden()
    toggler.click()
    expect(page.locator("#mainnav")).to_be_visible()
    expect(page.locator("#mainnav")).to_contain_text("逾期与预警")
    shot("phone-menu")


def test_file_inputs_are_a_chinese_picker(live_server, page, demo, browser_login, shot, tmp_path):
    browser_login("member1")
    page.goto(f"{live_server.url}/proposals/new/")
    picker = page.locator(".file-picker").first
    expect(picker.locator(".file-picker-button")).to_have_text("选择文件")
    expect(picker.locator(".file-picker-name")).to_have_text("未选择文件")
    native = page.locator("#id_attachments").bounding_box()  # the browser's English control: 1 px, out of sight
    assert native["width"] <= 1 and native["height"] <= 1, native
    assert "Choose" not in page.inner_text("main")
    shot("picker-empty")

    first, second = tmp_path / "调研报告.pdf", tmp_path / "附表.pdf"
    first.write_bytes(b"%PDF-1.4\n%%EOF\n")
    second.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("#id_attachments", [str(first), str(second)])
    expect(picker.locator(".file-picker-name")).to_have_text("调研报告.pdf，附表.pdf")
    shot("picker-chosen")

    # The label opens the real input's file chooser.
    with page.expect_file_chooser() as chooser:
        picker.locator(".file-picker-button").click()
    assert chooser.value.is_multiple()


def test_staff_upload_pages_use_the_picker_too(live_server, page, demo, browser_login, shot):
    browser_login("staff")
    page.goto(f"{live_server.url}/members/import/")
    expect(page.locator(".file-picker .file-picker-button")).to_have_text("选择文件")
    expect(page.locator(".file-picker .file-picker-name")).to_have_text("未选择文件")
    shot("import")
