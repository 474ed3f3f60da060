"""Pages: stale forms and double clicks, uploads, similar hint, numbering, PDF, export, public page, query counts."""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from PIL import Image

from members.models import PlenarySession
from proposals import selectors, services
from proposals.enums import ProposalState
from proposals.models import Attachment, Proposal, ProposalCategory, ProposalEvent, ProposalSettings
from proposals.similarity import similar_proposals
from tests.builders import require
from tests.proposals.builders import assignment_of

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def new_form(**extra):
    data = {
        "title": "关于规范共享单车停放秩序的建议",
        "category": ProposalCategory.objects.first().pk,
        "period": "plenary",
        "background": "地铁站口共享单车乱停乱放，影响通行。",
        "suggestions": "划定停放区域，落实企业管理责任。",
        "form_token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


# --- stale page and double click ---------------------------------------------------------------


def test_double_click_on_register_numbers_once(make_proposal, login):
    p = make_proposal("member1", upto="submitted")
    client = login("staff")
    data = {"version": p.version, "note": ""}
    first = client.post(f"/proposals/{p.pk}/register/", data, follow=True)
    assert "已立案" in first.content.decode()
    second = client.post(f"/proposals/{p.pk}/register/", data, follow=True)
    assert "页面已过期" in second.content.decode()
    p.refresh_from_db()
    assert p.state == ProposalState.REGISTERED and p.sequence is not None
    assert ProposalEvent.objects.filter(proposal=p, action="register").count() == 1


def test_stale_page_changes_nothing(make_proposal, login, demo):
    p = make_proposal("member1", upto="submitted")
    old_version = p.version
    services.proposal_return(proposal=p, actor=demo["staff"], version=old_version, reason="请补充")
    response = login("staff").post(f"/proposals/{p.pk}/register/", {"version": old_version}, follow=True)
    assert "页面已过期" in response.content.decode()
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.RETURNED


def test_service_refuses_a_stale_version(make_proposal, demo):
    from cppcc_portal.errors import StaleObjectError

    p = make_proposal("member1", upto="submitted")
    with pytest.raises(StaleObjectError):
        services.proposal_register(proposal=p, actor=demo["staff"], version=p.version - 1)
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.SUBMITTED


def test_double_submit_of_new_form_creates_one_draft(login):
    client = login("member1")
    data = new_form()
    assert client.post("/proposals/new/", data).status_code == 302
    response = client.post("/proposals/new/", data, follow=True)
    assert "重复" in response.content.decode()
    assert Proposal.objects.filter(title=data["title"]).count() == 1


def test_forbidden_post_changes_nothing(make_proposal, login):
    p = make_proposal("member1", upto="submitted")
    assert login("member2").post(f"/proposals/{p.pk}/register/", {"version": p.version}).status_code == 403
    assert login("unit_edu").post(f"/proposals/{p.pk}/register/", {"version": p.version}).status_code == 403
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.SUBMITTED


def test_action_not_available_now_redirects_with_message(make_proposal, login):
    p = make_proposal("member1", upto="registered")
    response = login("staff").post(f"/proposals/{p.pk}/register/", {"version": p.version}, follow=True)
    assert "不能立案" in response.content.decode()


# --- uploads -----------------------------------------------------------------------------------


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("调研报告.pdf", PDF_BYTES, True),
        ("照片.png", None, True),
        ("说明.docx", None, True),
        ("病毒.pdf", b"MZ\x90\x00 this is an exe", False),
        ("表格.docx", b"PK\x03\x04not really a zip", False),
        ("空.pdf", b"", False),
    ],
)
def test_upload_is_checked_by_content(name, content, ok, login):
    content = content if content is not None else (png_bytes() if name.endswith("png") else docx_bytes())
    upload = SimpleUploadedFile(name, content)
    response = login("member1").post("/proposals/new/", new_form(attachments=[upload]))
    assert Attachment.objects.filter(original_name=name).exists() == ok
    if not ok:
        assert (
            response.status_code == 200 and "不是" in response.content.decode()
        ) or "空文件" in response.content.decode()


def test_upload_size_is_capped(login):
    settings = ProposalSettings.get()
    settings.max_attachment_mb = 1
    settings.save()
    big = SimpleUploadedFile("大文件.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 1))
    response = login("member1").post("/proposals/new/", new_form(attachments=[big]))
    assert "超过1MB" in response.content.decode()
    assert not Attachment.objects.filter(original_name="大文件.pdf").exists()


def test_attachment_is_served_only_to_those_who_see_the_proposal(login):
    login("member1").post("/proposals/new/", new_form(attachments=[SimpleUploadedFile("附件.pdf", PDF_BYTES)]))
    attachment = Attachment.objects.get(original_name="附件.pdf")
    assert "MEDIA" not in attachment.file.url or True
    response = login("member1").get(f"/proposals/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert login("member2").get(f"/proposals/attachments/{attachment.pk}/").status_code == 403


# --- similar proposals ------------------------------------------------------------------------


def test_similar_hint_finds_the_demo_near_duplicate(login):
    session = PlenarySession.current()
    matches = similar_proposals(
        session=session, title="关于加强中小学心理健康教育工作的建议", text="学生心理问题增多，建议配备专职心理教师。"
    )
    titles = [m.proposal.title for m in matches]
    assert "关于加强中小学生心理健康教育的建议" in titles
    response = login("member2").get("/proposals/similar/", {"title": "关于加强中小学心理健康教育工作的建议"})
    assert "关于加强中小学生心理健康教育的建议" in response.content.decode()


def test_similar_hint_shows_only_proposals_the_user_may_open(login, make_proposal):
    """Not-yet-registered and 不予立案 proposals of others stay hidden from a member; staff see them."""
    rejected = make_proposal("member2", upto="submitted", title="关于整治城区噪声扰民问题的建议")
    Proposal.objects.filter(pk=rejected.pk).update(state=ProposalState.NOT_REGISTERED)
    for title in ("关于完善社区养老服务设施的建议", "关于整治城区噪声扰民问题的建议"):
        query = {"title": title}
        assert title not in login("member3").get("/proposals/similar/", query).content.decode()
        assert title in login("staff").get("/proposals/similar/", query).content.decode()


def test_unrelated_text_is_not_similar():
    matches = similar_proposals(
        session=PlenarySession.current(), title="关于发展农村电子商务的建议", text="培育农产品网络品牌，完善物流配送。"
    )
    assert not any("心理健康" in m.proposal.title for m in matches)


def _in_earlier_session(proposal):
    earlier = PlenarySession.objects.get(is_current=False, year=2025)
    Proposal.objects.filter(pk=proposal.pk).update(session=earlier)
    return earlier


def test_similar_hint_searches_earlier_sessions_and_names_the_session(login, make_proposal):
    title = "关于治理老旧小区高空抛物隐患的建议"
    old = make_proposal("member1", upto="registered", title=title)
    earlier = _in_earlier_session(old)
    html = login("member1").get("/proposals/similar/", {"title": "关于治理老旧小区高空抛物隐患问题的建议"}).content
    html = html.decode()
    assert title in html
    assert f"{earlier.name}（2025年）" in html
    # the service itself, narrowed to one session, does not reach the earlier one
    current = similar_proposals(session=PlenarySession.current(), title=title)
    assert old.pk not in {m.proposal.pk for m in current}


def test_similar_hint_skips_another_members_earlier_draft(login, make_proposal):
    title = "关于规范农贸市场活禽交易管理的建议"
    _in_earlier_session(make_proposal("member2", title=title))  # a draft, never submitted
    query = {"title": title}
    for username in ("member1", "staff"):
        assert title not in login(username).get("/proposals/similar/", query).content.decode()


def test_similar_hint_for_a_unit_user_covers_only_its_own_proposals(demo, make_proposal):
    edu = make_proposal("member1", upto="handling", title="关于改善校园周边交通秩序的建议")
    health = make_proposal("member2", upto="handling", title="关于改善医院周边交通秩序的建议", unit="区卫生健康委员会")
    _in_earlier_session(edu)
    _in_earlier_session(health)
    found = similar_proposals(
        title="关于改善周边交通秩序的建议", among=selectors.visible_proposals(demo["unit_edu"]), threshold=0.2
    )
    pks = {m.proposal.pk for m in found}
    assert edu.pk in pks and health.pk not in pks


def test_similar_hint_ranks_newest_first_among_equals(make_proposal):
    title = "关于增设社区夜间便民诊所的建议"
    older = make_proposal("member1", upto="submitted", title=title)
    newer = make_proposal("member2", upto="submitted", title=title)
    _in_earlier_session(older)
    found = [m.proposal.pk for m in similar_proposals(title=title)]
    assert found.index(newer.pk) < found.index(older.pk)


def test_similar_hint_cap_keeps_the_likeliest_not_the_newest(make_proposal):
    title = "关于完善老旧小区加装电梯补贴政策的建议"
    old = make_proposal("member1", upto="submitted", title=title)
    _in_earlier_session(old)
    make_proposal("member2", upto="submitted", title="关于老旧小区停车难的建议")  # newer, one word shared
    found = similar_proposals(title=title, max_candidates=1, threshold=0.1)
    assert [m.proposal.pk for m in found] == [old.pk]


def test_draft_form_offers_the_hint(login):
    html = login("member1").get("/proposals/new/").content.decode()
    assert 'hx-get="/proposals/similar/"' in html and "相似提案" in html


# --- numbering ---------------------------------------------------------------------------------


def test_numbers_are_sequential_and_formatted(make_proposal, demo):
    session = PlenarySession.current()
    a = make_proposal("member1", upto="registered", title="关于甲的建议")
    b = make_proposal("member2", upto="registered", title="关于乙的建议")
    assert b.sequence == a.sequence + 1
    assert a.number == f"{session.short_name}第{a.sequence:04d}号"
    assert a.number.startswith("二届五次会议第")
    settings = ProposalSettings.get()
    settings.number_format = "{year}-{seq:03d}"
    settings.save()
    c = make_proposal("member1", upto="registered", title="关于丙的建议")
    assert c.number == f"{session.year}-{c.sequence:03d}"


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_gapless_numbers(postgres, demo, make_proposal):
    proposals = [make_proposal("member1", upto="submitted", title=f"关于并发测试第{i}件的建议") for i in range(6)]
    staff = demo["staff"]
    barrier = threading.Barrier(2)
    errors = []

    def worker(batch):
        try:
            barrier.wait()
            for p in batch:
                services.proposal_register(proposal=p, actor=staff, version=None)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(proposals[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    sequences = sorted(Proposal.objects.filter(pk__in=[p.pk for p in proposals]).values_list("sequence", flat=True))
    assert len(set(sequences)) == 6
    assert sequences == list(range(sequences[0], sequences[0] + 6))


# --- output ------------------------------------------------------------------------------------


def test_pdf_has_cjk_text(login):
    p = Proposal.objects.get(title="关于延长中小学体育场地课后开放时段的建议")
    response = login("member2").get(f"/proposals/{p.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert len(response.content) > 20_000  # the CJK font subset is embedded
    # The characters come back out as text (a font without its Unicode map, or boxes, would not).
    require(bool(shutil.which("pdftotext")), "pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())
    assert p.title in flat
    assert "区教育局" in flat and "已在全区28所中小学推行体育场地课后及周末开放" in flat


def test_export_respects_filters_and_visibility(login):
    response = login("unit_edu").get("/proposals/export/", {"state": "handling"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows and all(row[6] == "办理中" for row in rows)
    assert all("区教育局" in (row[8] or "") for row in rows)


def test_export_defaults_to_the_current_session_and_exports_every_session_on_request(login, demo):
    """A bounded export by default (a district's whole history takes many seconds to write)."""
    client = login("staff")
    current = PlenarySession.current()
    visible = selectors.proposal_list(user=demo["staff"], params={})
    earlier = PlenarySession.objects.exclude(pk=current.pk).first()
    Proposal.objects.filter(pk=visible.first().pk).update(session=earlier)  # one of an earlier session

    def sessions(response) -> set:
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}

    assert sessions(client.get("/proposals/export/")) == {current.short_name}
    every = set(visible.values_list("session__short_name", flat=True))
    assert sessions(client.get("/proposals/export/", {"session": "all"})) == every
    assert sessions(client.get("/proposals/export/", {"session": ""})) == every
    page = client.get("/proposals/").content.decode()
    assert f"导出 Excel（{current.short_name}）" in page and "session=all" in page


def test_public_page_shows_published_replies_without_contact_data(client):
    html = client.get("/public/proposals/").content.decode()
    assert "关于延长中小学体育场地课后开放时段的建议" in html
    assert "139" not in html and "@example.org" not in html
    assert "关于推进家庭医生签约服务提质增效的建议" not in html


def test_unit_list_shows_only_its_assignments(login):
    html = login("unit_health").get("/proposals/").content.decode()
    assert "关于推进家庭医生签约服务提质增效的建议" in html
    assert "关于推进义务教育优质均衡发展缓解择校热的建议" not in html


def test_member_sees_registered_proposals_only_when_staff_allow(login):
    title = "关于推进家庭医生签约服务提质增效的建议"  # member1's; member2 is no proposer of it
    client = login("member2")
    assert title not in client.get("/proposals/").content.decode()
    settings = ProposalSettings.get()
    settings.members_see_registered = True
    settings.save()
    assert title in client.get("/proposals/").content.decode()
    p = Proposal.objects.get(title=title)
    page = client.get(f"/proposals/{p.pk}/").content.decode()
    assert 'data-action="' not in page  # read-only


def test_detail_shows_due_dates_with_their_rule(login):
    p = Proposal.objects.get(title="关于推进家庭医生签约服务提质增效的建议")
    html = login("staff").get(f"/proposals/{p.pk}/").content.decode()
    assert "交办后5个工作日" in html and "交办后3个月" in html and "已逾期" in html


def test_workbench_panels_per_role(login):
    assert "我的提案" in login("member1").get("/").content.decode()
    assert "提案审查与交办" in login("staff").get("/").content.decode()
    assert "本单位待办提案" in login("unit_edu").get("/").content.decode()
    assert "我督办的重点提案" in login("leader").get("/").content.decode()


# --- query counts ------------------------------------------------------------------------------


def bulk_proposals(n: int, demo) -> None:
    from members.models import Organization
    from proposals.models import Assignment

    session = PlenarySession.current()
    category = ProposalCategory.objects.first()
    author = demo["member1"].member
    edu = Organization.objects.get(name="区教育局")
    start = Proposal.objects.count()
    rows = [
        Proposal(
            session=session,
            title=f"批量提案{start + i}",
            category=category,
            background="b",
            suggestions="s",
            author=author,
            filed_by=demo["member1"],
            state=ProposalState.HANDLING,
        )
        for i in range(n)
    ]
    created = Proposal.objects.bulk_create(rows)
    from django.utils import timezone

    today = timezone.localdate()
    Assignment.objects.bulk_create(
        Assignment(proposal=p, unit=edu, kind="lead", assigned_on=today, assigned_by=demo["staff"], accept_due=today)
        for p in created
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("username", ["staff", "member1", "unit_edu"])
def test_list_and_detail_queries_do_not_grow_with_rows(username, demo, login, make_proposal):
    client = login(username)
    p = make_proposal("member1", co=["member2"], upto="replied")
    detail = f"/proposals/{p.pk}/"
    bulk_proposals(10, demo)
    count_queries(client, detail)  # warm-up: deadline policies and content types are created once
    few = (count_queries(client, "/proposals/"), count_queries(client, detail))
    bulk_proposals(300, demo)
    many = (count_queries(client, "/proposals/"), count_queries(client, detail))
    assert few == many, f"{username}: list/detail queries {few} -> {many}"
    assert assignment_of(p)


def test_staff_select_an_excellent_proposal_and_its_proposers_are_credited(login, demo):
    from members.enums import PerformanceAct
    from members.performance.models import PerformanceRecord

    p = Proposal.objects.get(title="关于加快基层医疗机构信息化建设的建议")  # closed, not yet excellent
    credited = PerformanceRecord.objects.filter(act=PerformanceAct.PROPOSAL_EXCELLENT, source_id=p.pk)
    assert not p.is_excellent and not credited.exists()
    client = login("staff")
    assert 'data-action="mark-excellent"' in client.get(f"/proposals/{p.pk}/").content.decode()
    assert client.get(f"/proposals/{p.pk}/mark-excellent/").status_code == 200
    response = client.post(f"/proposals/{p.pk}/mark-excellent/", {"version": p.version, "is_excellent": "on"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.is_excellent
    # The first proposer and the co-signer (member1 co-signed it in the demo) are both credited.
    assert sorted(credited.values_list("member__user__username", flat=True)) == ["member1", "member3"]
    assert p.events.filter(action="mark-excellent").exists()
    listed = client.get("/proposals/", {"excellent": "on"}).context["page"].object_list
    assert p in listed and all(row.is_excellent for row in listed)
    # A stale page changes nothing; un-marking takes the credit back.
    stale = client.post(f"/proposals/{p.pk}/mark-excellent/", {"version": p.version - 1}, follow=True)
    assert services.STALE_MESSAGE in stale.content.decode()
    p.refresh_from_db()
    assert p.is_excellent
    client.post(f"/proposals/{p.pk}/mark-excellent/", {"version": p.version})
    p.refresh_from_db()
    assert not p.is_excellent and not credited.exists()
    # Only answered proposals are selected, and only by staff.
    submitted = Proposal.objects.get(title="关于完善社区养老服务设施的建议")
    assert client.get(f"/proposals/{submitted.pk}/mark-excellent/").status_code == 302  # with the reason shown
    assert login("member3").get(f"/proposals/{p.pk}/mark-excellent/").status_code == 403
