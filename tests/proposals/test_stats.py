"""The proposals section of /stats/ and the 提案工作情况报告, against hand-counted fixtures in a
year the demo district does not use: 满意率 per 件 from the first proposer's 征询意见表 only,
见面率 from 见面 contacts only, 按时答复率 per unit, counts by proposer kind, party, sector and
committee; the report as .docx (checked through LibreOffice) and who may download it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory
from django.utils import timezone

from cppcc_portal.hooks import get_hooks
from members.enums import OrganizationKind
from members.models import Committee, Organization, Party, PlenarySession, Sector, Term
from tests.members.performance.builders import YEAR, new_member
from tests.proposals.test_documents import docx_as_pdf_text

pytestmark = pytest.mark.django_db


def section(year: int = YEAR):
    request = RequestFactory().get("/stats/")
    fn = next(fn for fn in get_hooks("stats_sections") if getattr(fn, "stats_key", None) == "proposals")
    return fn(request, year).context["section"]


def table(sec, key):
    return {row[0]: row[1:] for row in sec.table(key).rows}


@pytest.fixture
def year_of_proposals(demo):
    """Hand-counted: six registered proposals of YEAR, two collective ones, two units.

    件   proposer            unit(s), reply              contacts    征询意见表 (first proposer; current round)
    P1   甲 + 乙 (联名)       X lead, on time            见面        结果满意 态度满意 见面是; 乙 comments
    P2   甲 + 乙 (联名)       X lead, late               电话        结果基本满意 态度满意 见面否; 乙 comments
    P3   甲                  X split on time, Y split     书面, 座谈   X 满意/满意/否, Y 不满意/基本满意/否
    P4   丙                  X lead, on time             见面        never rated: closed 未评价
    P5   丙                  X lead, round 2, on time    见面        round 1 不满意/不满意 (superseded); round 2 满意/满意/是
    P6   丙                  Y lead, overdue, no reply   见面        —
    P7   民进区委 (党派团体)  submitted only
    P8   经济界 (界别)        registered, not assigned
    """
    from proposals.models import Assignment, ContactRecord, Evaluation, Proposal, ProposalCategory

    session = PlenarySession.objects.create(
        term=Term.current(),
        number=92,
        name="统计测试会议",
        short_name="统计测试会",
        year=YEAR,
        opens_on=date(YEAR, 1, 6),
        closes_on=date(YEAR, 1, 9),
    )
    category = ProposalCategory.objects.create(name="统计测试类别", order=998)
    minjin = Party.objects.get_or_create(name="统计测试民进", defaults={"kind": "democratic", "order": 998})[0]
    committee = Committee.objects.create(name="统计测试专委会", order=998)
    jia = new_member("统计甲", party=minjin)
    yi = new_member("统计乙")
    bing = new_member("统计丙")
    jia.committees.add(committee)
    staff = demo["staff"]
    unit_x = Organization.objects.get(name="区教育局")
    unit_y = Organization.objects.get(name="区卫生健康委员会")
    due = date(YEAR, 6, 30)

    def proposal(n, author, state="handling", **fields):
        return Proposal.objects.create(
            session=session,
            title=f"统计测试P{n}",
            category=category,
            background="b",
            suggestions="s",
            author=author,
            filed_by=staff,
            state=state,
            **fields,
        )

    def assignment(p, unit, kind="lead", replied=None, **fields):
        fields.setdefault("handling_due", due)
        return Assignment.objects.create(
            proposal=p,
            unit=unit,
            kind=kind,
            state="replied" if replied else "accepted",
            assigned_on=date(YEAR, 2, 1),
            assigned_by=staff,
            accept_due=date(YEAR, 2, 8),
            replied_at=timezone.make_aware(datetime(YEAR, *replied, 10)) if replied else None,
            reply_class="A" if replied else "",
            **fields,
        )

    def contact(a, method):
        ContactRecord.objects.create(
            assignment=a, on=date(YEAR, 5, 1), method=method, summary="沟通", recorded_by=staff
        )

    def rate(a, member, result, attitude, met, round=1):
        Evaluation.objects.create(
            assignment=a, member=member, round=round, satisfaction=result, attitude=attitude, met_in_person=met
        )

    def comment(a, member):
        Evaluation.objects.create(assignment=a, member=member, role="co_signer", comment="附议人意见")

    p1 = proposal(1, jia, "replied", kind="joint")
    p2 = proposal(2, jia, "replied", kind="joint")
    p3 = proposal(3, jia, "replied")
    p4 = proposal(4, bing, "closed")
    p5 = proposal(5, bing, "closed")
    p6 = proposal(6, bing)
    minjin_committee = Organization.objects.get(name="民进区委")
    economy = Organization.objects.create(
        name="统计测试经济界", kind=OrganizationKind.SECTOR, sector=Sector.objects.get(name="经济界"), order=998
    )
    proposal(7, bing, "submitted", kind="organization", collective_name="民进区委", proposer_org=minjin_committee)
    proposal(8, bing, "registered", kind="sector", collective_name="经济界", proposer_org=economy)

    a1 = assignment(p1, unit_x, replied=(6, 1))
    contact(a1, "meet")
    rate(a1, jia, "satisfied", "satisfied", True)
    comment(a1, yi)
    a2 = assignment(p2, unit_x, replied=(7, 20))
    contact(a2, "phone")
    rate(a2, jia, "basically_satisfied", "satisfied", False)
    comment(a2, yi)
    a3x = assignment(p3, unit_x, "split", replied=(6, 10))
    a3y = assignment(p3, unit_y, "split", replied=(6, 15))
    contact(a3x, "written")
    contact(a3y, "forum")
    rate(a3x, jia, "satisfied", "satisfied", False)
    rate(a3y, jia, "dissatisfied", "basically_satisfied", False)
    a4 = assignment(p4, unit_x, replied=(6, 20), unevaluated=True)
    contact(a4, "meet")
    a5 = assignment(p5, unit_x, replied=(6, 25), round=2)
    contact(a5, "meet")
    rate(a5, bing, "dissatisfied", "dissatisfied", False, round=1)
    rate(a5, bing, "satisfied", "satisfied", True, round=2)
    a6 = assignment(p6, unit_y, handling_due=timezone.localdate() - timedelta(days=1))
    contact(a6, "meet")
    return {"jia": jia, "yi": yi, "a1": a1}


def test_per_proposal_rates_count_the_first_proposer_only(year_of_proposals):
    sec = section()
    satisfaction = table(sec, "satisfaction")
    # 办理结果 per 件: P1, P5 满意; P2 基本满意; P3 不满意 (its worst unit); P4 未评价
    assert satisfaction["满意"] == [2, "40.0%", 3, "60.0%"]
    assert satisfaction["基本满意"] == [1, "20.0%", 1, "20.0%"]
    assert satisfaction["不满意"] == [1, "20.0%", 0, "0.0%"]
    assert satisfaction["未评价"] == [1, "20.0%", 1, "20.0%"]
    assert satisfaction["合计"][0] == 5
    official = table(sec, "official")
    assert official["满意率（办理结果）"] == [2, 5, "40.0%"]
    assert official["基本满意率（办理结果）"] == [1, 5, "20.0%"]
    assert official["满意和基本满意率（办理结果）"] == [3, 5, "60.0%"]
    # 见面率: P1, P4, P5 of the five replied (P2 phone, P3 written and 座谈; P6 met but has no reply)
    assert official["见面率（承办单位记录见面沟通）"] == [3, 5, "60.0%"]
    assert official["提案人确认见面的比例"] == [2, 4, "50.0%"]
    figures = dict(sec.figures)
    assert (figures["满意率"], figures["基本满意率"], figures["见面率"]) == ("40.0%", "20.0%", "60.0%")


def test_co_signers_comments_never_change_the_figures(year_of_proposals):
    from proposals.models import Evaluation

    before = table(section(), "official")
    Evaluation.objects.filter(role="co_signer").delete()
    assert table(section(), "official") == before


def test_a_co_signer_row_cannot_hold_a_rating(year_of_proposals):
    from proposals.models import Evaluation

    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.filter(member=year_of_proposals["yi"]).update(satisfaction="dissatisfied")
    with pytest.raises(IntegrityError), transaction.atomic():  # one first-proposer rating per reply round
        Evaluation.objects.create(
            assignment=year_of_proposals["a1"],
            member=year_of_proposals["yi"],
            round=1,
            satisfaction="satisfied",
            attitude="satisfied",
            met_in_person=True,
        )


def test_on_time_and_meeting_rates_per_unit(year_of_proposals):
    units = table(section(), "units")
    # 交办, 已答复, 按时答复, 按时答复率, 见面, 见面率, A, B, C
    assert units["区教育局"] == [5, 5, 4, "80.0%", 3, "60.0%", 5, 0, 0]
    assert units["区卫生健康委员会"] == [2, 1, 1, "50.0%", 0, "0.0%", 1, 0, 0]
    assert dict(section().figures)["按时答复率"] == "71.4%"


def test_counts_by_proposer_kind_party_sector_and_committee(year_of_proposals):
    sec = section()
    kinds = table(sec, "kinds")
    assert kinds["委员个人"] == [4, 4, 0, 0, "100.0%"]
    assert kinds["委员联名"] == [2, 2, 0, 0, "100.0%"]
    assert kinds["党派团体"] == [1, 0, 0, 0, "0.0%"]
    assert kinds["　其中：民进区委"] == [1, 0, 0, 0, "0.0%"]
    assert kinds["界别"][0] == 1 and kinds["　其中：经济界"][0] == 1
    assert kinds["专门委员会"] == [0, 0, 0, 0, "—"]
    # Members' own proposals only: the 界别 proposal is not counted under its contact member's sector.
    assert table(sec, "parties")["统计测试民进"] == [3, 3, 0, 0, "100.0%"]
    assert table(sec, "sectors")["测试界别"] == [6, 6, 0, 0, "100.0%"]
    assert table(sec, "committees")["统计测试专委会"] == [3, 3, 0, 0, "100.0%"]


def test_the_section_is_a_fixed_number_of_queries(year_of_proposals, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        section()


def test_work_report_docx_opens_in_libreoffice_with_the_figures(year_of_proposals, tmp_path):
    from proposals.report import work_report_docx

    text = docx_as_pdf_text(work_report_docx(year=YEAR, section=section()), tmp_path)
    assert f"关于{YEAR}年提案工作情况的报告" in text
    assert "共收到委员和各参加单位提交的提案8件" in text
    assert "满意率40.0%" in text and "基本满意率20.0%" in text
    assert "见面率" in text and "60.0%" in text
    assert "按时答复率为71.4%" in text
    assert "民进区委" in text and "五、下一步工作" in text


@pytest.mark.parametrize(("user", "status"), [("staff", 200), ("leader", 200), ("member1", 403), ("unit_edu", 403)])
def test_only_staff_and_leaders_download_the_report(year_of_proposals, demo, download, user, status):
    client = Client()
    client.force_login(demo[user])
    response = download(client, f"/stats/proposals/docx/?year={YEAR}")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response.content[:2] == b"PK"


def test_the_stats_page_offers_the_word_report(demo):
    client = Client()
    client.force_login(demo["staff"])
    page = client.get("/stats/proposals/").content.decode()
    assert "/stats/proposals/docx/" in page and "提案工作情况报告（Word）" in page
