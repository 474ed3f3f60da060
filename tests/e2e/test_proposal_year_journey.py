"""The 大会 week in a real browser: staff register five proposals and hand them all to 区教育局
in one action each, then print that unit's 交办单."""

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from members.models import Member
from proposals import services
from proposals.models import Assignment, Proposal, ProposalCategory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLES = [
    "关于增加城区公共停车泊位的建议",
    "关于推进垃圾分类进小区的建议",
    "关于完善校园周边交通安全设施的建议",
    "关于扩大普惠性托育服务供给的建议",
    "关于加强中小学近视防控工作的建议",
]


def submitted(title: str, username: str) -> Proposal:
    member = Member.objects.get(user__username=username)
    p = services.proposal_create(
        actor=member.user,
        title=title,
        category=ProposalCategory.objects.get(name="社会建设"),
        background="群众反映强烈，现有措施不足。",
        suggestions="一是加大投入；二是明确责任；三是加强督查。",
        period="plenary",
    )
    return services.proposal_submit(proposal=p, actor=member.user, version=None)


def test_staff_register_five_and_hand_them_to_one_unit_then_print_its_handover(
    live_server, page, demo, browser_login, shot, tmp_path
):
    proposals = [submitted(title, ("member1", "member2", "member3")[i % 3]) for i, title in enumerate(TITLES)]
    browser_login("staff")
    page.goto(f"{live_server.url}/proposals/review/")
    for p in proposals:
        page.check(f"#bulk-register input[name=picks][value='{p.pk}:{p.version}']")
    shot("bulk-register-ticked")
    page.click("#bulk-register-submit")
    expect(page.locator("#bulk-outcomes")).to_contain_text("批量立案结果：成功 5 件，未办理 0 件")
    shot("bulk-registered")

    for p in Proposal.objects.filter(pk__in=[p.pk for p in proposals]):
        page.check(f"#bulk-assign input[name=picks][value='{p.pk}:{p.version}']")
    page.select_option("#bulk-assign select[name=lead_unit]", label="区教育局")
    shot("bulk-assign-ticked")
    page.click("#bulk-assign-submit")
    expect(page.locator("#bulk-outcomes")).to_contain_text("批量交办结果：成功 5 件，未办理 0 件")
    shot("bulk-assigned")
    assert Assignment.objects.filter(proposal__in=proposals, unit__name="区教育局", kind="lead").count() == 5

    page.goto(f"{live_server.url}/proposals/documents/")
    row = page.locator("tr", has_text="区教育局")
    with page.expect_download() as download:
        row.locator("a", has_text="交办单").click()
    pdf = tmp_path / "handover.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        text = "".join(text.split())
        for p in Proposal.objects.filter(pk__in=[p.pk for p in proposals]):
            assert p.number in text
