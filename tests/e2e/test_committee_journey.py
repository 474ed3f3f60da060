"""A 专委会 office (staff_committee, 经济委员会's) in a real browser: it starts a research project jointly
with another committee, invites the 经济界 and the 常委 into the team by group (preview, count, remove
one), each committee's page shows the project, and it sends the same groups a notice and reads who
has read it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import ResearchProject
from cppcc_portal.models import Notification
from members.models import Committee, Member, Sector
from members.notices import services as notice_services
from members.notices.models import Notice
from members.selectors import members_in_groups
from tests.e2e.builders import pick_members

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "民营企业融资难题联合调研"
LOGIN = "staff_committee"
NOTICE = "关于民营企业融资难题联合调研启动的通知"


def test_a_committee_office_runs_a_joint_research_project(live_server, page, demo, browser_login, shot):
    economy = Committee.objects.get(name="经济委员会")
    society = Committee.objects.get(name="社会和法制委员会")
    lead = Member.objects.get(user__username="member1")
    today = timezone.localdate()

    browser_login(LOGIN)
    page.goto(f"{live_server.url}/consultations/research/new/")
    page.fill("#id_title", TITLE)
    page.check(f"input[name=committees][value='{economy.pk}']")
    page.check(f"input[name=committees][value='{society.pk}']")
    pick_members(page, "id_lead", lead.name)
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + timedelta(days=90)).isoformat())
    shot("new-joint-research")
    page.click("main button:has-text('保存')")
    expect(page.locator("#research-committees")).to_contain_text("联合调研")
    project = ResearchProject.objects.get(title=TITLE)

    # Invite the 经济界 and the 常委 by group: the preview counts them; one is taken off.
    page.click("#research-invite-link")
    sector = Sector.objects.get(name="经济界")
    page.select_option("#id_groups", value=[f"sector:{sector.pk}", "standing"])
    page.click("#group-picker button[type=submit]")
    expected = [m for m in members_in_groups([f"sector:{sector.pk}", "standing"]) if m.pk != lead.pk]
    expect(page.locator("#preview-count")).to_have_text(str(len(expected)))
    dropped = expected[-1]
    page.uncheck(f"#pick-{dropped.pk}")
    expect(page.locator("#preview-count")).to_have_text(str(len(expected) - 1))
    shot("invite-preview")
    page.click("#send-invitations")
    expect(page.locator(".alert-success")).to_contain_text(f"已邀请 {len(expected) - 1} 名委员")
    team = set(project.team.values_list("pk", flat=True))
    assert team == {m.pk for m in expected} - {dropped.pk}
    told = Notification.objects.filter(kind="consultations.research", link=project.get_absolute_url())
    assert told.count() == sum(1 for m in expected if m.user_id and m.pk != dropped.pk)

    # Both committees' pages show the joint project.
    for committee in (economy, society):
        page.goto(f"{live_server.url}{committee.get_absolute_url()}")
        expect(page.locator("#workspace-research")).to_contain_text(TITLE)
    shot("committee-page")

    # A notice to the same groups: the preview counts the logins, then who has read it.
    page.goto(f"{live_server.url}/notices/new/")
    page.fill("#id_title", NOTICE)
    page.fill("#id_body", "请课题组成员按时参加启动会。")
    page.select_option("#id_groups", value=[f"sector:{sector.pk}", "standing"])
    page.click("button[name=preview]")
    expect(page.locator("#notice-preview")).to_contain_text("将发送给")
    page.click("button[name=publish]")
    notice = Notice.objects.get(title=NOTICE)
    reader = notice.receipts.select_related("recipient").first().recipient
    notice_services.notice_mark_read(notice=notice, actor=reader)
    page.goto(f"{live_server.url}/notices/{notice.pk}/receipts/?state=read")
    expect(page.locator("#receipts")).to_contain_text(reader.display_name)
    expect(page.locator("#receipts")).to_contain_text("已读")
    shot("notice-receipts")
