"""The proposals section of /stats/ and the proposal work report (提案工作情况报告) PDF.

Scope: the proposals of the plenary session held in the chosen year (大会提案 and
平时提案 of that session). Every figure is one aggregate query.
"""

from __future__ import annotations

from django.db.models import BigIntegerField, Case, Count, F, FilteredRelation, IntegerField, Max, Min, Q, When
from django.utils import timezone

from cppcc_portal.deadlines import rule_text
from cppcc_portal.stats import Section, StatTable, bar_chart, pie_chart, rate, stats_section
from members.enums import OrganizationKind
from members.models import Committee, Organization, Party, PlenarySession, Sector
from members.terms.selectors import sector_at, span_then

from .enums import (
    COLLECTIVE_KINDS,
    FILED_STATES,
    MEMBER_KINDS,
    REGISTERED_STATES,
    REPLYING_KINDS,
    AssignmentState,
    ContactMethod,
    EvaluatorRole,
    ProposalState,
    ProposerKind,
    ReplyClass,
    Satisfaction,
)
from .models import Assignment, ContactRecord, Proposal, ProposalCategory
from .report import report_parts, work_report_docx

UNEVALUATED = "未评价"


def session_ids(year: int) -> list[int]:
    """The year's sessions, looked up once so the big tables filter on an indexed column, not a join."""
    return list(PlenarySession.objects.filter(year=year).values_list("pk", flat=True))


def proposal_figures(sessions: list[int]) -> dict:
    proposals = Proposal.objects.filter(session_id__in=sessions)
    return proposals.aggregate(
        submitted=Count("id", filter=Q(state__in=FILED_STATES)),
        pending=Count("id", filter=Q(state=ProposalState.SUBMITTED)),
        registered=Count("id", filter=Q(state__in=REGISTERED_STATES)),
        merged=Count("id", filter=Q(state=ProposalState.MERGED)),
        not_registered=Count("id", filter=Q(state=ProposalState.NOT_REGISTERED)),
        converted=Count("id", filter=Q(state=ProposalState.NOT_REGISTERED) & ~Q(conversion_kind="")),
        key=Count("id", filter=Q(is_key=True, state__in=REGISTERED_STATES)),
        excellent=Count("id", filter=Q(is_excellent=True)),
        replied=Count("id", filter=Q(state__in=(ProposalState.REPLIED, ProposalState.CLOSED))),
        closed=Count("id", filter=Q(state=ProposalState.CLOSED)),
    )


def _counts() -> dict:
    """The counts every breakdown row carries (conditional counts over the proposal table)."""
    return {
        "submitted": Count("id"),
        "registered": Count("id", filter=Q(state__in=REGISTERED_STATES)),
        "merged": Count("id", filter=Q(state=ProposalState.MERGED)),
        "not_registered": Count("id", filter=Q(state=ProposalState.NOT_REGISTERED)),
    }


def _breakdown(
    sessions: list[int],
    field: str,
    names: dict | None = None,
    expression=None,
    where: Q | None = None,
    joins: dict | None = None,
) -> list[dict]:
    """Counts per value of ``field`` in one grouped query (a column of the proposal table, or
    ``expression`` annotated under that name, after the ``FilteredRelation`` ``joins`` it reads),
    of the proposals ``where`` holds; ``names`` labels ids."""
    queryset = Proposal.objects.filter(session_id__in=sessions, state__in=FILED_STATES).filter(where or Q())
    if joins:
        queryset = queryset.annotate(**joins)
    if expression is not None:
        queryset = queryset.annotate(**{field: expression})
    rows = list(queryset.values(field).annotate(**_counts()).order_by("-submitted", field))
    for row in rows:
        row["label"] = (names or {}).get(row[field], row[field])
    return rows


# Who the proposer is, as stored on the proposal: its kind and, for a collective proposal, the
# organisation it is filed in the name of. One grouped query; a new column that names the
# proposer (an organisation foreign key, say) is added here and nowhere else.
PROPOSER_COLUMNS = ("kind", "collective_name")


def proposer_rows(sessions: list[int]) -> list[dict]:
    """Counts per proposer kind, and per collective proposer within its kind (one query)."""
    grouped = list(
        Proposal.objects.filter(session_id__in=sessions, state__in=FILED_STATES)
        .values(*PROPOSER_COLUMNS)
        .annotate(**_counts())
        .order_by("kind", "-submitted", "collective_name")
    )
    labels = dict(ProposerKind.choices)
    rows = []
    for kind in ProposerKind:
        parts = [row for row in grouped if row["kind"] == kind]
        total = {key: sum(row[key] for row in parts) for key in _counts()}
        rows.append({"label": labels[kind], "level": 0, **total})
        if kind in COLLECTIVE_KINDS:
            rows += [{**row, "label": f"　其中：{row['collective_name'] or '（未注明）'}", "level": 1} for row in parts]
    return rows


def member_breakdown(sessions: list[int], field: str, names: dict) -> list[dict]:
    """Members' own proposals (个人, 联名) by the first proposer's ``field`` (party, sector,
    committees). Collective proposals belong to their organisation, never to their contact
    member's party or sector: they are counted under the proposer kinds."""
    return _breakdown(sessions, field, names, where=Q(kind__in=MEMBER_KINDS))


# The proposer's real sector: a member's proposal counts under the 界别 the first proposer had on the
# day it was submitted (their term membership then), a 界别's collective proposal under that 界别;
# other collective proposals (a party's, a 专委会's, a people's organisation's) have none and are
# counted by their organisation instead. The span valid then is joined (``span_then``), not looked
# up row by row: a session has thousands of proposals.
PROPOSER_SECTOR = Case(
    When(proposer_org__isnull=True, then=sector_at("author_span", "author")),
    default=F("proposer_org__sector_id"),
    output_field=BigIntegerField(),
)


def sector_rows(sessions: list[int]) -> list[dict]:
    return _breakdown(
        sessions,
        "proposer_sector",
        dict(Sector.objects.values_list("pk", "name")),
        expression=PROPOSER_SECTOR,
        where=Q(proposer_org__isnull=True) | Q(proposer_org__sector__isnull=False),
        joins={"author_span": span_then("author", "submitted_at__date")},
    )


def organization_rows(sessions: list[int]) -> list[dict]:
    """集体提案 per proposer organisation (民进区委, 经济界, 区妇联 ...), with its kind."""
    rows = _breakdown(sessions, "proposer_org_id", where=Q(proposer_org__isnull=False))
    organizations = Organization.objects.in_bulk([row["proposer_org_id"] for row in rows])
    kinds = dict(OrganizationKind.choices)
    for row in rows:
        organization = organizations[row["proposer_org_id"]]
        row["label"] = f"{organization.name}（{kinds.get(organization.kind, '')}）"
    return rows


def unit_rows(sessions: list[int]) -> list[dict]:
    """Per handling unit: assignments, replies, on-time replies (by the due date in force), 见面
    (a 见面 contact recorded before replying), A/B/C."""
    today = timezone.localdate()
    replying = Q(kind__in=REPLYING_KINDS)
    replied = replying & Q(replied_at__isnull=False)
    met = Q(
        pk__in=ContactRecord.objects.filter(
            method=ContactMethod.MEET, assignment__proposal__session_id__in=sessions
        ).values("assignment_id")
    )
    rows = list(
        Assignment.objects.filter(proposal__session_id__in=sessions)
        .exclude(state=AssignmentState.REASSIGNED)
        .values("unit_id")
        .annotate(
            assigned=Count("id"),
            replying=Count("id", filter=replying),
            replied=Count("id", filter=replied),
            due=Count("id", filter=replied | (replying & Q(handling_due__lt=today))),
            on_time=Count("id", filter=replied & Q(replied_at__date__lte=F("handling_due"))),
            met=Count("id", filter=replied & met),
            a=Count("id", filter=replied & Q(reply_class=ReplyClass.A)),
            b=Count("id", filter=replied & Q(reply_class=ReplyClass.B)),
            c=Count("id", filter=replied & Q(reply_class=ReplyClass.C)),
            unevaluated=Count("id", filter=replying & Q(unevaluated=True)),
        )
        .order_by("-assigned", "unit_id")
    )
    names = dict(Organization.objects.filter(pk__in=[row["unit_id"] for row in rows]).values_list("pk", "name"))
    for row in rows:
        row["unit__name"] = names.get(row["unit_id"], "")
    return rows


def class_figures(units: list[dict]) -> dict:
    """Replies by class (lead and split units), summed from ``unit_rows``: no query of its own."""
    return {
        "replied": sum(row["replied"] for row in units),
        **{cls.value: sum(row[cls.value.lower()] for row in units) for cls in ReplyClass},
    }


# A proposal (件) takes the least favourable answer among its replying units' current rounds:
# 不满意, then 未评价 (a reply closed unrated is never counted as satisfied), then 基本满意, then 满意.
RATING_ORDER = (Satisfaction.DISSATISFIED, UNEVALUATED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.SATISFIED)
RATED_PARTS = {"satisfaction": "办理结果", "attitude": "办理态度"}


def per_proposal_figures(sessions: list[int]) -> dict:
    """The 征询意见表 per 件, in one query over the year's registered proposals.

    Only the first proposer's rating of each replying unit's current round counts (co-signers'
    rows carry no rating). ``figures[part][level]`` counts proposals by their least favourable
    answer (``RATING_ORDER``); ``replied`` counts proposals with at least one reply; ``met``
    those where a unit recorded a 见面 contact (电话, 座谈 and 书面 do not count); ``said_met``
    those whose first proposer answered 是否见面 with 是, of ``rated`` that were rated at all.
    """

    # One pass: each replying unit's part, with its current-round first-proposer rating and its
    # 见面 contacts joined, grouped per proposal (the least favourable rank of each part, and
    # whether any unit replied, met, was rated); the outer query counts proposals by those.
    ranks = {level: rank for rank, level in enumerate(RATING_ORDER)}

    def rank(part: str) -> Case:
        return Case(
            *(
                When(
                    Q(unevaluated=True) if level == UNEVALUATED else Q(**{f"rating__{part}": level}), then=ranks[level]
                )
                for level in RATING_ORDER
            ),
            output_field=IntegerField(),
        )

    def any_of(condition: Q) -> Max:
        return Max(Case(When(condition, then=1), default=0, output_field=IntegerField()))

    replied = Q(replied_at__isnull=False)
    per_proposal = (
        Assignment.objects.filter(
            proposal__session_id__in=sessions,
            proposal__state__in=REGISTERED_STATES,
            kind__in=REPLYING_KINDS,
        )
        .exclude(state=AssignmentState.REASSIGNED)
        .annotate(
            rating=FilteredRelation(
                "evaluations",
                condition=Q(evaluations__role=EvaluatorRole.FIRST_PROPOSER, evaluations__round=F("round")),
            ),
            meeting=FilteredRelation("contacts", condition=Q(contacts__method=ContactMethod.MEET)),
        )
        .values("proposal_id")
        .annotate(
            **{f"worst_{part}": Min(rank(part)) for part in RATED_PARTS},
            was_replied=any_of(replied),
            was_met=any_of(replied & Q(meeting__id__isnull=False)),
            was_rated=any_of(Q(rating__id__isnull=False)),
            said_met=any_of(Q(rating__met_in_person=True)),
        )
    )
    row = per_proposal.aggregate(
        **{
            f"{part}:{level}": Count("proposal_id", filter=Q(**{f"worst_{part}": ranks[level]}))
            for part in RATED_PARTS
            for level in RATING_ORDER
        },
        replied=Count("proposal_id", filter=Q(was_replied=1)),
        met=Count("proposal_id", filter=Q(was_met=1)),
        rated=Count("proposal_id", filter=Q(was_rated=1)),
        said_met_count=Count("proposal_id", filter=Q(said_met=1)),
    )
    row["said_met"] = row.pop("said_met_count")
    figures = {part: {level: row[f"{part}:{level}"] for level in RATING_ORDER} for part in RATED_PARTS}
    for part in RATED_PARTS:
        figures[part]["total"] = sum(figures[part].values())
    figures.update({key: row[key] for key in ("replied", "met", "rated", "said_met")})
    return figures


def official_rates(ratings: dict) -> dict:
    """满意率, 基本满意率 (and their sum) per 件, from ``per_proposal_figures``; 见面率."""
    result = ratings["satisfaction"]
    attitude = ratings["attitude"]
    return {
        "satisfied": rate(result[Satisfaction.SATISFIED], result["total"]),
        "basically": rate(result[Satisfaction.BASICALLY_SATISFIED], result["total"]),
        "both": rate(result[Satisfaction.SATISFIED] + result[Satisfaction.BASICALLY_SATISFIED], result["total"]),
        "attitude_satisfied": rate(attitude[Satisfaction.SATISFIED], attitude["total"]),
        "attitude_both": rate(
            attitude[Satisfaction.SATISFIED] + attitude[Satisfaction.BASICALLY_SATISFIED], attitude["total"]
        ),
        "met": rate(ratings["met"], ratings["replied"]),
        "said_met": rate(ratings["said_met"], ratings["rated"]),
    }


def key_rows(sessions: list[int]) -> list[list]:
    states = dict(ProposalState.choices)
    rows = (
        Proposal.objects.filter(session_id__in=sessions, is_key=True)
        .values("number", "title", "author__name", "collective_name", "state", "key_leader__name")
        .annotate(supervisions=Count("supervisions"))
        .order_by("number")
    )
    return [
        [
            row["number"],
            row["title"],
            row["collective_name"] or row["author__name"],
            row["key_leader__name"] or "—",
            row["supervisions"],
            states.get(row["state"], row["state"]),
        ]
        for row in rows
    ]


def _table_rows(rows: list[dict]) -> list[list]:
    return [
        [
            row["label"] or "（未注明）",
            row["submitted"],
            row["registered"],
            row["merged"],
            row["not_registered"],
            rate(row["registered"], row["submitted"]),
        ]
        for row in rows
    ]


BREAKDOWN_HEADERS = ["提交", "立案", "并案", "不予立案", "立案率"]
BREAKDOWN_WIDTHS = [22, 8, 8, 8, 10, 10]
MEMBER_NOTE = "委员个人和联名提案，按第一提案人统计；集体提案按提案单位统计，见“按提案人类型”。"


@stats_section("proposals", "提案工作", order=10, cached=())
def proposals_section(request, year: int) -> Section:
    sessions = session_ids(year)
    figures = proposal_figures(sessions)
    categories = _breakdown(sessions, "category_id", dict(ProposalCategory.objects.values_list("pk", "name")))
    proposers = proposer_rows(sessions)
    parties = member_breakdown(sessions, "author__party_id", dict(Party.objects.values_list("pk", "name")))
    sectors = sector_rows(sessions)
    organizations = organization_rows(sessions)
    committees = member_breakdown(sessions, "author__committees", dict(Committee.objects.values_list("pk", "name")))
    units = unit_rows(sessions)
    classes = class_figures(units)
    ratings = per_proposal_figures(sessions)
    rates = official_rates(ratings)
    total_due = sum(row["due"] for row in units)
    total_on_time = sum(row["on_time"] for row in units)
    on_time_rate = rate(total_on_time, total_due)

    level_labels = {**dict(Satisfaction.choices), UNEVALUATED: UNEVALUATED}
    result, attitude = ratings["satisfaction"], ratings["attitude"]
    satisfaction_rows = [
        [
            level_labels[level],
            result[level],
            rate(result[level], result["total"]),
            attitude[level],
            rate(attitude[level], attitude["total"]),
        ]
        for level in reversed(RATING_ORDER)
    ] + [["合计", result["total"], rate(result["total"], result["total"]), attitude["total"], ""]]
    class_rows = [[ReplyClass(cls).label, classes[cls], rate(classes[cls], classes["replied"])] for cls in ReplyClass]
    unit_table = [
        [
            row["unit__name"],
            row["assigned"],
            row["replied"],
            row["on_time"],
            rate(row["on_time"], row["due"]),
            row["met"],
            rate(row["met"], row["replied"]),
            row["a"],
            row["b"],
            row["c"],
        ]
        for row in units
    ]
    count_rows = [
        ["提交提案", figures["submitted"]],
        ["待审查", figures["pending"]],
        ["立案", figures["registered"]],
        ["并案", figures["merged"]],
        ["不予立案", figures["not_registered"]],
        ["其中转为社情民意或委员来信", figures["converted"]],
        ["重点提案", figures["key"]],
        ["优秀提案", figures["excellent"]],
        ["已答复（含办结）", figures["replied"]],
        ["已办结", figures["closed"]],
    ]
    official_rows = [
        ["满意率（办理结果）", result[Satisfaction.SATISFIED], result["total"], rates["satisfied"]],
        ["基本满意率（办理结果）", result[Satisfaction.BASICALLY_SATISFIED], result["total"], rates["basically"]],
        [
            "满意和基本满意率（办理结果）",
            result[Satisfaction.SATISFIED] + result[Satisfaction.BASICALLY_SATISFIED],
            result["total"],
            rates["both"],
        ],
        ["办理态度满意率", attitude[Satisfaction.SATISFIED], attitude["total"], rates["attitude_satisfied"]],
        ["见面率（承办单位记录见面沟通）", ratings["met"], ratings["replied"], rates["met"]],
        ["提案人确认见面的比例", ratings["said_met"], ratings["rated"], rates["said_met"]],
        ["按时答复率（按承办单位件次）", total_on_time, total_due, on_time_rate],
    ]
    section = Section(
        figures=[
            ("提交", figures["submitted"]),
            ("立案", figures["registered"]),
            ("不予立案", figures["not_registered"]),
            ("按时答复率", on_time_rate),
            ("满意率", rates["satisfied"]),
            ("基本满意率", rates["basically"]),
            ("见面率", rates["met"]),
            ("重点提案", figures["key"]),
        ],
        charts=[
            (
                "按类别",
                bar_chart(
                    "提案类别分布",
                    [row[0] for row in _table_rows(categories)],
                    {"提交": [r["submitted"] for r in categories], "立案": [r["registered"] for r in categories]},
                ),
            ),
            ("答复类别", pie_chart("答复类别（A/B/C）", [(row[0][:2], row[1]) for row in class_rows])),
            ("满意度", pie_chart("办理结果评价（按件）", [(row[0], row[1]) for row in satisfaction_rows[:-1]])),
        ],
        tables=[
            StatTable("counts", "提案总体情况", ["项目", "件数"], count_rows, [30, 10]),
            StatTable(
                "official",
                "办理评价主要指标（按件）",
                ["指标", "件数", "基数", "比率"],
                official_rows,
                [32, 8, 8, 10],
                note=(
                    "按件统计，只计第一提案人填写的征询意见表（附议人意见不计入）；一件提案由多个单位答复的，"
                    "取各单位本轮答复中最低的评价；见面率只计“见面”方式的沟通（电话、座谈、书面不计），"
                    "基数为已答复的提案件数。"
                ),
            ),
            StatTable("categories", "按类别", ["类别", *BREAKDOWN_HEADERS], _table_rows(categories), BREAKDOWN_WIDTHS),
            StatTable(
                "kinds", "按提案人类型", ["提案人类型", *BREAKDOWN_HEADERS], _table_rows(proposers), BREAKDOWN_WIDTHS
            ),
            StatTable(
                "parties",
                "按党派（委员提案）",
                ["党派", *BREAKDOWN_HEADERS],
                _table_rows(parties),
                BREAKDOWN_WIDTHS,
                note=MEMBER_NOTE,
            ),
            StatTable(
                "sectors",
                "按界别（委员提案按第一提案人所在界别，界别集体提案按该界别）",
                ["界别", *BREAKDOWN_HEADERS],
                _table_rows(sectors),
                BREAKDOWN_WIDTHS,
            ),
            StatTable(
                "organizations",
                "集体提案（按提案单位）",
                ["提案单位", *BREAKDOWN_HEADERS],
                _table_rows(organizations),
                [26, 8, 8, 8, 10, 10],
                note="集体提案以党派区委、界别、专委会或人民团体名义提出，单独统计，不计入联系委员所在界别。",
            ),
            StatTable(
                "committees",
                "按专委会（委员提案）",
                ["专门委员会", *BREAKDOWN_HEADERS],
                _table_rows(committees),
                BREAKDOWN_WIDTHS,
                note=MEMBER_NOTE + "委员参加多个专委会的，在每个专委会各计一次。",
            ),
            StatTable(
                "units",
                "按承办单位（含按时答复率、见面率）",
                ["承办单位", "交办", "已答复", "按时答复", "按时答复率", "见面", "见面率", "A类", "B类", "C类"],
                unit_table,
                [26, 8, 8, 10, 12, 8, 10, 8, 8, 8],
                note="按时答复率＝按期限内答复件数÷（已答复＋已到期未答复）件数；会办单位不单独答复，不计入。",
            ),
            StatTable("classes", "答复类别", ["类别", "件数", "占比"], class_rows, [30, 10, 10]),
            StatTable(
                "satisfaction",
                "征询意见表评价（按件）",
                ["评价", "办理结果（件）", "占比", "办理态度（件）", "占比"],
                satisfaction_rows,
                [16, 14, 10, 14, 10],
                note=f"未评价：{rule_text('proposal.evaluation')}内未评价、按规定以未评价办结的，不计为满意。",
            ),
            StatTable(
                "key",
                "重点提案及办理情况",
                ["编号", "案由", "提案人", "督办领导", "督办活动", "状态"],
                key_rows(sessions),
                [22, 40, 14, 12, 10, 10],
            ),
        ],
        pdf_template="cppcc_portal/stats_proposals_report.html",
        pdf_label="提案工作情况报告（PDF）",
        docx=work_report_docx,
        docx_label="提案工作情况报告（Word）",
        extra={
            "figures": figures,
            "ratings": ratings,
            "rates": rates,
            "on_time_rate": on_time_rate,
            "on_time": total_on_time,
            "due": total_due,
            "classes": classes,
            "proposers": proposers,
            "units": units,
        },
    )

    section.extra["report"] = report_parts(year, section)
    return section
