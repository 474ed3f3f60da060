"""A proposal from draft to 办结 in a real browser, with every role doing its part."""

import pytest
from playwright.sync_api import expect

from proposals.models import Proposal

from .builders import open_action, pick_members

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "关于在中小学推广午间托管服务的建议"


def test_member_submits_staff_registers_unit_replies_member_rates(live_server, page, demo, browser_login, shot):
    # member1 writes the draft with member2 as co-signer
    browser_login("member1")
    page.goto(f"{live_server.url}/proposals/new/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_category", label="社会建设")
    page.fill("#id_background", "双职工家庭中午接送孩子困难，部分学生午间无人照看。")
    page.fill("#id_suggestions", "一是由学校统筹开放教室提供午间托管；二是财政给予适当补贴；三是规范收费和安全管理。")
    page.check("#id_publish_consent")  # 办结后公开: the proposer agrees, the unit's reply will too
    pick_members(page, "id_co_signers", "王淑芬")
    page.select_option("#id_suggested_units", label="区教育局")
    shot("new-proposal")
    page.click("button:has-text('保存草稿')")
    expect(page.locator(".alert-success")).to_contain_text("草稿已保存")
    expect(page.locator("#signers")).to_contain_text("待确认")
    shot("draft-waiting-for-cosigner")
    proposal = Proposal.objects.get(title=TITLE)
    detail = f"{live_server.url}/proposals/{proposal.pk}/"

    # member2 confirms
    browser_login("member2")
    page.goto(detail)
    open_action(page, "确认/谢绝附议")
    page.check("input[name=decision][value=confirm]")
    shot("cosign")
    page.click("#confirm-action")
    expect(page.locator(".alert-success")).to_contain_text("已确认附议")

    # member1 submits
    browser_login("member1")
    page.goto(detail)
    open_action(page, "提交")
    page.click("#confirm-action")
    expect(page.locator(".alert-success")).to_contain_text("已提交")
    shot("submitted")

    # staff registers and assigns to 区教育局
    browser_login("staff")
    page.goto(f"{live_server.url}/proposals/review/")
    expect(page.locator("body")).to_contain_text(TITLE)
    shot("review-queue")
    page.goto(detail)
    open_action(page, "立案")
    page.click("#confirm-action")
    expect(page.locator(".alert-success")).to_contain_text(
        "已立案，编号：二届五次会议平时第"
    )  # filed after the 大会 deadline
    shot("registered")
    open_action(page, "交办")
    page.select_option("#id_lead_unit", label="区教育局")
    shot("assign")
    page.click("#confirm-action")
    expect(page.locator(".alert-success")).to_contain_text("已交办")
    expect(page.locator("#assignments")).to_contain_text("交办后3个月")

    # unit_edu accepts and replies A
    browser_login("unit_edu")
    page.goto(f"{live_server.url}/proposals/")
    expect(page.locator("#proposal-table")).to_contain_text(TITLE)
    shot("unit-list")
    page.goto(detail)
    open_action(page, "签收")
    page.click("#confirm-action")
    expect(page.locator(".alert-success")).to_contain_text("已签收")
    open_action(page, "记录沟通情况")  # 先沟通后答复
    page.check("input[name=method][value=meet]")
    page.fill("#id_summary", "到提案人单位当面沟通午间托管的实施方案。")
    page.click("#confirm-action")
    expect(page.locator(".alert-success")).to_contain_text("沟通记录已保存")
    open_action(page, "起草答复")  # the 经办人 drafts
    page.check("input[name=reply_class][value=A]")
    page.fill("#id_reply_text", "已在全区小学推行午间托管服务，由财政按每生每月补贴，所提建议已采纳。")
    page.fill("#id_letter_number", "区教函〔2026〕15号")
    page.fill("#id_letter_contact", "刘老师")
    page.fill("#id_letter_phone", "022-29391234")
    shot("draft-reply")
    page.click("#confirm-action")
    expect(page.locator(".alert-success")).to_contain_text("已提请本单位负责人签发")

    # unit_edu_head, the unit's 负责人, signs it off
    browser_login("unit_edu_head")
    page.goto(detail)
    open_action(page, "签发答复")
    expect(page.locator("#id_reply_text")).to_have_value(
        "已在全区小学推行午间托管服务，由财政按每生每月补贴，所提建议已采纳。"
    )
    shot("sign-reply")
    page.click("#confirm-action")
    expect(page.locator(".alert-success")).to_contain_text("答复已签发")

    # member1 rates it satisfied; the proposal is closed
    browser_login("member1")
    page.goto(detail)
    with page.expect_download() as download:  # the 答复函 generated from the unit's entries
        page.locator("a.letter-pdf").first.click()
    assert download.value.suggested_filename.startswith("答复函-")
    open_action(page, "填写征询意见表")
    page.check("input[name=attitude][value=satisfied]")
    page.check("input[name=satisfaction][value=satisfied]")
    page.check("input[name=met_in_person][value=yes]")
    page.fill("#id_comment", "单位多次上门沟通，落实到位。")
    shot("evaluate")
    page.click("#confirm-action")
    expect(page.locator(".alert-success")).to_contain_text("提案已办结")
    timeline = page.locator("#timeline")
    for step in [
        "起草提案",
        "确认/谢绝附议",
        "提交",
        "立案",
        "交办",
        "签收",
        "记录沟通情况",
        "起草答复",
        "签发答复",
        "填写征询意见表",
        "提案已办结",
    ]:
        expect(timeline).to_contain_text(step)
    shot("closed-with-timeline")

    proposal.refresh_from_db()
    assert proposal.state == "closed"
    assert proposal.events.count() == 12

    # published for everyone
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/proposals/?q=午间托管")
    expect(page.locator(".public-proposal")).to_contain_text(TITLE)
    shot("public")
