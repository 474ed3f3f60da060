"""网络议政 on a phone (390×844): member1 posts an opinion, staff moderate the public's comment,
close the topic, download the 意见汇总 (PDF and Word), mark member1's opinion adopted, and member1's
record shows the credit."""

from io import BytesIO

import pytest
from docx import Document
from playwright.sync_api import expect

from consultations import demo as d
from consultations.models import OnlinePost, OnlineTopic
from members.enums import PerformanceAct
from members.models import Member
from members.performance.models import PerformanceRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OPINION = "建议在每个街道建设一处嵌入式养老服务综合体，统筹助餐、助浴和康复。"


def test_member_opinion_adopted_from_online_deliberation(live_server, page, demo, browser_login, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    topic = OnlineTopic.objects.get(title=d.ONLINE_OPEN)
    member1 = Member.objects.get(user__username="member1")

    # member1 finds the topic from the navigation and posts.
    browser_login("member1")
    page.goto(f"{live_server.url}/consultations/online/")
    shot("member-online-list")
    page.locator("#online-topics a", has_text=d.ONLINE_OPEN).click()
    expect(page.locator("#online-title")).to_have_text(d.ONLINE_OPEN)
    expect(page.locator("#online-posts")).not_to_contain_text(d.ONLINE_PENDING_COMMENT)
    page.fill("#online-post-form textarea[name=text]", OPINION)
    shot("member-writes")
    page.click("#online-post-form button[type=submit]")
    expect(page.locator("#online-posts")).to_contain_text(OPINION)
    shot("member-posted")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    post = OnlinePost.objects.get(topic=topic, text=OPINION)

    # Staff: the public's comment waits for moderation, so closing is refused until it is decided.
    browser_login("staff")
    page.goto(f"{live_server.url}{topic.get_absolute_url()}")
    page.click("#online-close")
    expect(page.locator(".messages")).to_contain_text("待审核")
    shot("staff-close-refused")
    page.locator("#moderation li", has_text=d.ONLINE_PENDING_COMMENT).locator("button[value=rejected]").click()
    expect(page.locator(".messages")).to_contain_text("未通过审核")
    page.click("#online-close")
    expect(page.locator("#online-phase")).to_have_text("已汇总")
    shot("staff-closed")

    with page.expect_download() as download:
        page.click("#summary-pdf")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    with page.expect_download() as download:
        page.click("#summary-docx")
    with open(download.value.path(), "rb") as word:
        text = "\n".join(p.text for p in Document(BytesIO(word.read())).paragraphs)
    assert OPINION in text and member1.name in text
    assert d.ONLINE_PENDING_COMMENT not in text, "a rejected comment never reaches the summary"

    # Staff mark member1's opinion adopted: it is credited on member1's record.
    page.locator(f"#post-{post.pk} button.adopt").click()
    expect(page.locator(f"#post-{post.pk}")).to_contain_text("已采纳")
    shot("staff-adopted")
    assert PerformanceRecord.objects.filter(
        member=member1, act=PerformanceAct.ONLINE_OPINION_ADOPTED, source_id=post.pk
    ).exists()

    browser_login("member1")
    page.goto(f"{live_server.url}/members/me/")
    expect(page.locator("#consultation-record")).to_contain_text("网络议政意见被采纳")
    shot("member-record")
