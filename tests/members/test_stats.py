"""/stats/ against hand-counted fixtures in a year the demo district does not use."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from cppcc_portal.hooks import get_hooks
from members.models import Member, Organization, PlenarySession, Term
from members.performance.services import performance_record
from tests.members.performance.builders import YEAR, A, new_member, rule, source

pytestmark = pytest.mark.django_db


def section(key: str, year: int = YEAR, query: str = ""):
    request = RequestFactory().get(f"/stats/?{query}")
    fn = next(fn for fn in get_hooks("stats_sections") if getattr(fn, "stats_key", None) == key)
    return fn(request, year).context["section"]


def table(sec, key):
    return {row[0]: row[1:] for row in sec.table(key).rows}


def test_members_section_bands_participation_and_five_ones(demo):
    rule(A.TRAINING, 95)
    rule(A.SPEECH, 85)
    top, good = new_member("统计甲"), new_member("统计乙")
    performance_record(member=top, act=A.TRAINING, source=source("培训"), on=date(YEAR, 3, 1))
    performance_record(member=good, act=A.SPEECH, source=source("发言"), on=date(YEAR, 3, 1))
    performance_record(member=good, act=A.STUDY_REFLECTION, source=source("心得"), on=date(YEAR, 3, 2))
    everyone = Member.objects.active().count()
    sec = section("members", query="min_acts=2")
    bands = table(sec, "bands")
    assert bands["优秀"][1] == 1
    assert bands["良好"][1] == 1
    assert bands["称职"][1] == 0
    assert bands["不称职"][1] == everyone - 2
    figures = dict(sec.figures)
    assert figures["在任委员"] == everyone
    assert figures["履职≥2次"] == 1
    assert figures["有履职记录"] == 2
    five = table(sec, "five-ones")
    assert five["一篇学习心得"][1] == 1
    assert five["五项全部完成"][1] == 0
    acts = table(sec, "acts")
    assert acts["参加培训"] == [1, 1, Decimal(95)]


def _proposals_fixture(demo):
    from proposals.models import Assignment, Evaluation, Proposal, ProposalCategory

    session = PlenarySession.objects.create(
        term=Term.current(),
        number=91,
        name="测试会议",
        short_name="测试会",
        year=YEAR,
        opens_on=date(YEAR, 1, 6),
        closes_on=date(YEAR, 1, 9),
    )
    category = ProposalCategory.objects.create(name="测试类别", order=999)
    author = demo["member2"].member
    staff = demo["staff"]

    def proposal(state, **fields):
        return Proposal.objects.create(
            session=session,
            title=f"测试{state}",
            category=category,
            background="b",
            suggestions="s",
            author=author,
            filed_by=staff,
            state=state,
            **fields,
        )

    registered = [proposal("registered"), proposal("handling", is_key=True), proposal("replied")]
    proposal("merged")
    proposal("not_registered", conversion_kind="public_opinion", conversion_consent=True)
    proposal("not_registered")
    proposal("submitted")
    proposal("draft")
    unit_x = Organization.objects.get(name="区教育局")
    unit_y = Organization.objects.get(name="区卫生健康委员会")
    today = timezone.localdate()
    due = date(YEAR, 6, 30)

    def assignment(p, unit, kind, **fields):
        fields.setdefault("handling_due", due)
        return Assignment.objects.create(
            proposal=p,
            unit=unit,
            kind=kind,
            assigned_on=date(YEAR, 2, 1),
            assigned_by=staff,
            accept_due=date(YEAR, 2, 8),
            **fields,
        )

    on_time = assignment(
        registered[0],
        unit_x,
        "lead",
        state="replied",
        reply_class="A",
        replied_at=timezone.make_aware(datetime(YEAR, 6, 1, 10)),
    )
    late = assignment(
        registered[1],
        unit_x,
        "lead",
        state="replied",
        reply_class="B",
        replied_at=timezone.make_aware(datetime(YEAR, 7, 20, 10)),
        unevaluated=True,
    )
    assignment(registered[2], unit_y, "lead", state="accepted", handling_due=today - timedelta(days=1))
    assignment(registered[2], Organization.objects.get(name="区民政局"), "co", state="accepted")
    Evaluation.objects.create(
        assignment=on_time, member=author, satisfaction="satisfied", attitude="satisfied", met_in_person=True
    )
    # A co-signer's comment on the 征询意见表: no rating, never counted.
    Evaluation.objects.create(assignment=late, member=demo["member1"].member, role="co_signer", comment="意见")


def test_proposals_section_against_hand_counts(demo):
    _proposals_fixture(demo)
    sec = section("proposals")
    counts = table(sec, "counts")
    assert counts["提交提案"] == [7]
    assert counts["立案"] == [3]
    assert counts["并案"] == [1]
    assert counts["不予立案"] == [2]
    assert counts["其中转为社情民意或委员来信"] == [1]
    assert counts["待审查"] == [1]
    assert counts["重点提案"] == [1]
    units = table(sec, "units")
    assert units["区教育局"] == [2, 2, 1, "50.0%", 0, "0.0%", 1, 1, 0]  # no 见面 contact recorded
    assert units["区卫生健康委员会"] == [1, 0, 0, "0.0%", 0, "—", 0, 0, 0]
    assert units["区民政局"] == [1, 0, 0, "—", 0, "—", 0, 0, 0]  # a co-unit does not reply to the proposer
    assert dict(sec.figures)["按时答复率"] == "33.3%"
    classes = {row[0][:2]: row[1:] for row in sec.table("classes").rows}
    assert classes["A类"] == [1, "50.0%"] and classes["B类"] == [1, "50.0%"] and classes["C类"] == [0, "0.0%"]
    satisfaction = table(sec, "satisfaction")  # per 件, first proposer only (tests/proposals/test_stats.py)
    assert satisfaction["满意"][:2] == [1, "50.0%"]
    assert satisfaction["不满意"][:2] == [0, "0.0%"]
    assert satisfaction["未评价"][:2] == [1, "50.0%"]
    assert table(sec, "categories")["测试类别"] == [7, 3, 1, 2, "42.9%"]
    assert len(sec.table("key").rows) == 1


def test_stations_section_against_hand_counts(demo):
    from liaison_stations.models import LivelihoodMatter, Station, StationActivity, StationType

    station = Station.objects.create(name="测试联络站", station_type=StationType.objects.first(), order=0)
    members = list(Member.objects.active()[:3])
    first = StationActivity.objects.create(
        station=station, held_on=date(YEAR, 3, 1), kind="reception", title="接待", citizens_reached=10
    )
    second = StationActivity.objects.create(
        station=station, held_on=date(YEAR, 4, 1), kind="service", title="义诊", citizens_reached=20
    )
    first.participants.set(members[:2])
    second.participants.set(members[1:])
    for status in ("solved", "solved", "in_progress"):
        LivelihoodMatter.objects.create(
            station=station,
            problem="路灯",
            raised_by="群众",
            raised_on=date(YEAR, 3, 2),
            status=status,
            resolved_on=date(YEAR, 4, 2) if status == "solved" else None,
            resolution="已修复" if status == "solved" else "",
        )
    sec = section("stations")
    assert table(sec, "stations")["测试联络站"] == [2, 30, 3, 3, 2, 1]
    figures = dict(sec.figures)
    assert figures["联络站活动"] == 2 and figures["服务群众（人次）"] == 30 and figures["解决率"] == "66.7%"
    assert table(sec, "kinds")["接待群众"] == [1, 10]


def test_consultation_topics_by_stage_match_the_derived_stage(demo):
    from consultations.models import ConsultationPlan
    from consultations.selectors import plan_topics
    from consultations.stats import topics_by_stage

    for plan in ConsultationPlan.objects.all():
        expected = Counter(str(topic.stage) for topic in plan_topics(plan))
        counted = {stage: n for stage, n in topics_by_stage(plan.year).items() if n}
        assert counted == dict(expected)


def test_consultation_section_renders_for_the_demo_year(demo):
    year = timezone.localdate().year
    sec = section("consultations", year)
    assert dict(sec.figures)["协商活动"] >= 1
    assert sec.table("forms").rows


SECTIONS = {"proposals": "提案工作", "consultations": "协商议政", "stations": "委员联络站", "members": "委员履职"}


def test_stats_opens_the_first_section_keeping_the_year(login):
    client = login("leader")
    response = client.get("/stats/?year=2025")
    assert response.status_code == 302
    assert response["Location"] == "/stats/proposals/?year=2025"
    assert client.get("/stats/")["Location"] == "/stats/proposals/"


@pytest.mark.parametrize("key", list(SECTIONS))
def test_each_section_is_a_page_with_tabs_charts_first_then_tables(login, key):
    html = login("leader").get(f"/stats/{key}/").content.decode()
    tabs = html[html.index('id="stats-tabs"') : html.index("</ul>", html.index('id="stats-tabs"'))]
    for other, title in SECTIONS.items():
        assert f'href="/stats/{other}/?year=' in tabs and title in tabs
    assert tabs.count('class="nav-link active"') == 1
    assert f'class="nav-link active" href="/stats/{key}/?year=' in tabs
    # Only this section is computed and shown: its tables, none of the others'.
    assert f'id="stats-{key}"' in html
    assert f'data-table="{key}-' in html
    for other in SECTIONS.keys() - {key}:
        assert f'data-table="{other}-' not in html
    assert "<svg" in html and "Noto Sans CJK SC" in html
    assert html.index("<svg") < html.index('class="table table-sm')  # charts first, tables below
    assert "kozea.github.io" not in html  # no script from a CDN


def test_unknown_section_page_is_404(login):
    assert login("staff").get("/stats/nope/").status_code == 404


def test_every_table_exports_to_xlsx(login):
    import io

    from openpyxl import load_workbook

    client = login("staff")
    for key in ("members", "proposals", "consultations", "stations"):
        for stat_table in section(key, timezone.localdate().year).tables:
            response = client.get(f"/stats/{key}/{stat_table.key}.xlsx")
            assert response.status_code == 200, (key, stat_table.key)
            sheet = load_workbook(io.BytesIO(response.content)).active
            assert [cell.value for cell in sheet[1]] == list(stat_table.headers)


def test_proposal_work_report_is_a_pdf(login, download):
    response = download(login("leader"), "/stats/proposals/pdf/")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert login("member2").get("/stats/proposals/pdf/").status_code == 403


def test_unknown_section_or_table_is_404(login):
    client = login("staff")
    assert client.get("/stats/nope/x.xlsx").status_code == 404
    assert client.get("/stats/members/nope.xlsx").status_code == 404
    assert client.get("/stats/members/pdf/").status_code == 404


def test_stats_query_count_does_not_grow_with_rows(login, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cppcc_portal import auth_cache, notifications
    from cppcc_portal.deadlines import policy_cache

    # Both counts are of the figures computed (nothing is cached inside the test's transaction) on a
    # cold page (this worker's permission, unread and policy caches started afresh), so they compare
    # rows, not the cache.
    assert connection.in_atomic_block

    def cold() -> None:
        auth_cache.bump_version()
        notifications.forget_unread_counts()
        policy_cache.forget()

    client = login("staff")
    before = {}
    for key in SECTIONS:
        cold()
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/stats/{key}/?year={YEAR}")
        before[key] = len(queries)
    _proposals_fixture(demo)
    for index in range(5):
        member = new_member(f"查询{index}")
        performance_record(member=member, act=A.SPEECH, source=source(f"s{index}"), on=date(YEAR, 5, 1))
    for key in SECTIONS:
        cold()
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/stats/{key}/?year={YEAR}")
        assert len(queries) == before[key], key


def test_per_act_figures_from_score_rows_agree_with_the_ledger(demo):
    """The statistics read MemberYearScore.act_counts; every ledger write keeps it equal to the ledger."""
    from members.performance import scoring

    member = new_member("对账")
    performance_record(member=member, act=A.SPEECH, source=source("发言一"), on=date(YEAR, 3, 1))
    performance_record(member=member, act=A.SPEECH, source=source("发言二"), on=date(YEAR, 4, 1))
    performance_record(member=member, act=A.STUDY_REFLECTION, source=source("心得一"), on=date(YEAR, 5, 1))
    reqs = scoring.requirements()
    assert reqs
    from_scores = {m.pk: [getattr(m, f"r{r.pk}") for r in reqs] for m in scoring.five_ones_from_scores(YEAR, reqs)}
    from_ledger = {m.pk: [getattr(m, f"r{r.pk}") for r in reqs] for m in scoring.five_ones_annotated(YEAR, reqs)}
    assert from_scores == from_ledger
    assert any(from_scores[member.pk])
    acts = {row["act"]: (row["n"], row["people"]) for row in scoring.act_totals(YEAR)}
    assert acts[A.SPEECH] == (2, 1)
    assert acts[A.STUDY_REFLECTION] == (1, 1)
    scoring.recompute_scores(YEAR)
    assert {row["act"]: (row["n"], row["people"]) for row in scoring.act_totals(YEAR)} == acts
