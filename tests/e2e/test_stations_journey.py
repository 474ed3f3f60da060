"""member1, a 站长, records a 接待群众 activity with two members and a photo, files a 社情民意
report from it; staff adopt it and record a 批示; member1 sees the 批示 on the report."""

import io
from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import expect

from liaison_stations.models import StationActivity
from members.enums import PerformanceAct
from members.models import Member
from members.performance.models import PerformanceRecord
from proposals.models import PublicOpinion
from tests.e2e.builders import pick_members

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


TITLE = "委员接待日：小区加装电梯意见收集"
REPORT = "关于加快老旧小区加装电梯审批的建议"


@pytest.fixture
def photo(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "接待现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (190, 40, 40)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_station_head_activity_to_instructed_report(live_server, page, demo, browser_login, shot, photo):
    member2 = Member.objects.get(user__username="member2")
    member3 = Member.objects.get(user__username="member3")

    # member1 records the activity at their own station.
    browser_login("member1")
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.get_by_text("我负责的联络站")).to_be_visible()
    shot("workbench")
    page.get_by_role("link", name="联络站", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("委员联络站")
    shot("stations")
    page.get_by_role("link", name="杨村街道委员联络站").click()
    expect(page.locator("h1")).to_contain_text("杨村街道委员联络站")
    shot("station")
    page.get_by_role("link", name="记录活动").first.click()
    page.fill("#id_held_on", date.today().isoformat())
    page.select_option("#id_kind", "reception")
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "居民集中反映老旧小区加装电梯审批慢、资金分摊难。")
    page.fill("#id_citizens_reached", "23")
    pick_members(page, "id_participants", member2.name, member3.name)
    page.set_input_files("#id_photos", str(photo))
    shot("activity-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("2 名委员计入履职")
    expect(page.locator("#activity-participants")).to_contain_text("王淑芬")
    expect(page.locator("#activity-participants")).to_contain_text("张海涛")
    expect(page.locator("#activity-kind")).to_have_text("接待群众")
    image = page.locator("#activity-photos img")
    expect(image).to_have_count(1)
    # The photo is served through the checked view; wait until the browser has it (complete also
    # turns true on a failed load, when naturalWidth stays 0), then check it is the real picture.
    page.wait_for_function("() => document.querySelector('#activity-photos img').complete")
    assert image.evaluate("img => img.naturalWidth") == 640
    shot("activity")

    activity = StationActivity.objects.get(title=TITLE)
    assert sorted(
        PerformanceRecord.objects.filter(
            act=PerformanceAct.STATION_ACTIVITY, source_id=activity.pk, source_type__model="stationactivity"
        ).values_list("member__user__username", flat=True)
    ) == ["member2", "member3"]

    # ... and files a report from it.
    page.get_by_role("link", name="据此报送社情民意").click()
    expect(page.locator("#id_activity")).to_have_value(str(activity.pk))
    page.fill("#id_title", REPORT)
    page.fill("#id_situation", "接待日中23名居民反映，加装电梯审批环节多、周期长。")
    page.fill("#id_suggestion", "建议推行并联审批，明确办理时限。")
    shot("opinion-form")
    page.get_by_role("button", name="报送").click()
    expect(page.locator(".alert-success")).to_contain_text("社情民意已报送")
    expect(page.locator("#opinion-status")).to_have_text("待审核")
    shot("opinion-filed")

    # Staff adopt it and record a 批示.
    opinion = PublicOpinion.objects.get(title=REPORT)
    browser_login("staff")
    page.goto(f"{live_server.url}/opinions/?queue=1")
    expect(page.locator("#opinion-table")).to_contain_text(REPORT)
    shot("queue")
    page.get_by_role("link", name=REPORT).click()
    page.check("#decision_decision_0")
    page.check("#decision_to_party_committee")
    page.check("#decision_to_government")
    shot("decide")
    page.locator("#decision-form button[type=submit]").click()
    expect(page.locator("#opinion-status")).to_have_text("已采用")
    page.fill("#instruction_leader", "区委书记 王建华")
    page.select_option("#instruction_level", "district")
    page.fill("#instruction_text", "请区住建委牵头，一个月内拿出并联审批方案。")
    page.fill("#instruction_instructed_on", date.today().isoformat())
    page.locator("#instruction-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("领导批示已登记")
    shot("instructed")

    # member1 sees the 批示 on the report.
    browser_login("member1")
    page.goto(f"{live_server.url}/opinions/")
    page.get_by_role("link", name=REPORT).click()
    expect(page.locator("#opinion-status")).to_have_text("已采用")
    expect(page.locator("#opinion-decision")).to_contain_text("区委、区政府")
    expect(page.locator("#opinion-instructions")).to_contain_text("区委书记 王建华")
    expect(page.locator("#opinion-instructions")).to_contain_text("一个月内拿出并联审批方案")
    expect(page.locator("#opinion-timeline")).to_contain_text("领导批示")
    shot("member-sees-instruction")

    assert sorted(
        PerformanceRecord.objects.filter(source_id=opinion.pk, source_type__model="publicopinion").values_list(
            "act", flat=True
        )
    ) == sorted([PerformanceAct.OPINION_FILED, PerformanceAct.OPINION_ADOPTED, PerformanceAct.OPINION_INSTRUCTED])


def test_bad_photo_is_refused_in_the_browser(live_server, page, demo, browser_login, shot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    fake = tmp_path / "not-a-photo.jpg"
    fake.write_bytes(b"MZ\x90\x00 definitely not an image" * 20)
    browser_login("member1")
    page.goto(f"{live_server.url}/stations/")
    page.get_by_role("link", name="杨村街道委员联络站").click()
    page.get_by_role("link", name="记录活动").first.click()
    page.select_option("#id_kind", "reception")
    page.fill("#id_title", "带错误照片的活动")
    page.set_input_files("#id_photos", str(fake))
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-danger")).to_contain_text("活动未保存")
    expect(page.locator("#div_id_photos")).to_contain_text("不是有效的图片文件")
    shot("refused")
    assert not StationActivity.objects.filter(title="带错误照片的活动").exists()


def test_staff_move_a_matter_and_reassign_leader_reads_overview(live_server, page, demo, browser_login, shot):
    from liaison_stations.models import LivelihoodMatter, StationMembership

    matter = LivelihoodMatter.objects.filter(status="accepted").select_related("station").first()
    browser_login("staff")
    page.goto(f"{live_server.url}{matter.get_absolute_url()}")
    expect(page.locator("#matter-status")).to_have_text("已受理")
    shot("matter")
    page.get_by_role("button", name="开始办理").click()
    expect(page.locator("#matter-status")).to_have_text("办理中")
    page.locator("textarea[name=resolution]").first.fill("已协调交管部门增设护学岗。")
    page.locator("input[name=resolved_on]").first.fill(date.today().isoformat())
    page.get_by_role("button", name="办结：已解决").first.click()
    expect(page.locator("#matter-status")).to_have_text("已解决")
    shot("matter-solved")

    member3 = Member.objects.get(user__username="member3")
    page.goto(f"{live_server.url}/stations/reassign/")
    pick_members(page, "id_members", member3.name)
    page.select_option("#id_station", label="下朱庄街道委员联络站")
    shot("reassign")
    page.get_by_role("button", name="调整").click()
    expect(page.locator(".alert-success")).to_contain_text("已将 1 名委员调整")
    assert StationMembership.objects.get(member=member3).station.name == "下朱庄街道委员联络站"
    shot("reassigned")

    browser_login("leader")
    page.goto(f"{live_server.url}/stations/overview/")
    first_row = page.locator("#overview-table tbody tr").first
    expect(first_row).to_contain_text("我包联")
    shot("leader-overview")
