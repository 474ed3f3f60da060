"""The proposals section of /stats/ and the proposal work report (提案工作情况报告) PDF.

Scope: the proposals of the plenary session held in the chosen year (大会提案 and
平时提案 of that session). Every figure is one aggregate query.
"""

from __future__ import annotations

from django.db.models import Case, Count, F, Q, When
from django.utils import timezone

from cppcc_portal.deadlines import rule_text
from cppcc_portal.stats import Section, StatTable, bar_chart, pie_chart, rate, stats_section

from .enums import (
    FILED_STATES,
    REGISTERED_STATES,
    REPLYING_KINDS,
    AssignmentState,
    ProposalState,
    ProposerKind,
    ReplyClass,
    Satisfaction,
)

UNEVALUATED = "未评价"


def session_ids(year: int) -> list[int]:
    """The year's sessions, looked up once so the big tables filter on an indexed column, not a join."""
    from members.models import PlenarySession

    return list(PlenarySession.objects.filter(year=year).values_list("pk", flat=True))


def proposal_figures(sessions: list[int]) -> dict:
    from .models import Proposal

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


def _breakdown(
    sessions: list[int], field: str, names: dict | None = None, expression=None, where: Q | None = None
) -> list[dict]:
    """Counts per value of ``field`` (a column of the proposal table: no join, or ``expression``
    annotated under that name), of the proposals ``where`` holds; ``names`` labels ids."""
    from .models import Proposal

    queryset = Proposal.objects.filter(session_id__in=sessions, state__in=FILED_STATES).filter(where or Q())
    if expression is not None:
        queryset = queryset.annotate(**{field: expression})
    rows = list(
        queryset.values(field)
        .annotate(
            submitted=Count("id"),
            registered=Count("id", filter=Q(state__in=REGISTERED_STATES)),
            merged=Count("id", filter=Q(state=ProposalState.MERGED)),
            not_registered=Count("id", filter=Q(state=ProposalState.NOT_REGISTERED)),
        )
        .order_by("-submitted", field)
    )
    for row in rows:
        row["label"] = (names or {}).get(row[field], row[field])
    return rows


# The proposer's real sector: a member's proposal counts under the first proposer's 界别, a 界别's
# collective proposal under that 界别; other collective proposals (a party's, a 专委会's, a people's
# organisation's) have none and are counted by their organisation instead.
PROPOSER_SECTOR = Case(
    When(proposer_org__isnull=True, then=F("author__sector_id")),
    default=F("proposer_org__sector_id"),
)


def sector_rows(sessions: list[int]) -> list[dict]:
    from members.models import Sector

    return _breakdown(
        sessions,
        "proposer_sector",
        dict(Sector.objects.values_list("pk", "name")),
        expression=PROPOSER_SECTOR,
        where=Q(proposer_org__isnull=True) | Q(proposer_org__sector__isnull=False),
    )


def organization_rows(sessions: list[int]) -> list[dict]:
    """集体提案 per proposer organisation (民进区委, 经济界, 区妇联 ...), with its kind."""
    from members.enums import OrganizationKind
    from members.models import Organization

    rows = _breakdown(sessions, "proposer_org_id", where=Q(proposer_org__isnull=False))
    organizations = Organization.objects.in_bulk([row["proposer_org_id"] for row in rows])
    kinds = dict(OrganizationKind.choices)
    for row in rows:
        organization = organizations[row["proposer_org_id"]]
        row["label"] = f"{organization.name}（{kinds.get(organization.kind, '')}）"
    return rows


def unit_rows(sessions: list[int]) -> list[dict]:
    """Per handling unit: assignments, replies, on-time replies (by the due date in force), A/B/C."""
    from .models import Assignment

    today = timezone.localdate()
    replying = Q(kind__in=REPLYING_KINDS)
    replied = replying & Q(replied_at__isnull=False)
    from members.models import Organization

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


def satisfaction_figures(sessions: list[int], units: list[dict]) -> dict:
    """Ratings on each unit's current reply round, plus replies closed 未评价 (never counted as satisfied)."""
    from .models import Evaluation

    ratings = Evaluation.objects.filter(
        assignment__proposal__session_id__in=sessions, round=F("assignment__round")
    ).aggregate(**{choice.value: Count("id", filter=Q(satisfaction=choice)) for choice in Satisfaction})
    ratings[UNEVALUATED] = sum(row["unevaluated"] for row in units)
    return ratings


def key_rows(sessions: list[int]) -> list[list]:
    from .models import Proposal

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


@stats_section("proposals", "提案工作", order=10)
def proposals_section(request, year: int) -> Section:
    sessions = session_ids(year)
    figures = proposal_figures(sessions)

    from .models import ProposalCategory

    categories = _breakdown(sessions, "category_id", dict(ProposalCategory.objects.values_list("pk", "name")))
    sectors = sector_rows(sessions)
    kinds = _breakdown(sessions, "kind", dict(ProposerKind.choices))
    organizations = organization_rows(sessions)
    units = unit_rows(sessions)
    classes = class_figures(units)
    ratings = satisfaction_figures(sessions, units)
    rated_total = sum(ratings.values())
    satisfied = ratings[Satisfaction.SATISFIED] + ratings[Satisfaction.BASICALLY_SATISFIED]
    total_due = sum(row["due"] for row in units)
    total_on_time = sum(row["on_time"] for row in units)

    def breakdown_rows(rows):
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

    breakdown_headers = ["", "提交", "立案", "并案", "不予立案", "立案率"]
    sat_labels = dict(Satisfaction.choices)
    satisfaction_rows = [
        [sat_labels.get(key, key), count, rate(count, rated_total)] for key, count in ratings.items()
    ] + [["满意率（满意＋基本满意）", satisfied, rate(satisfied, rated_total)]]
    class_rows = [[ReplyClass(cls).label, classes[cls], rate(classes[cls], classes["replied"])] for cls in ReplyClass]
    unit_table = [
        [
            row["unit__name"],
            row["assigned"],
            row["replied"],
            row["on_time"],
            rate(row["on_time"], row["due"]),
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
    return Section(
        figures=[
            ("提交", figures["submitted"]),
            ("立案", figures["registered"]),
            ("并案", figures["merged"]),
            ("不予立案", figures["not_registered"]),
            ("转化", figures["converted"]),
            ("按时答复率", rate(total_on_time, total_due)),
            ("满意率", rate(satisfied, rated_total)),
            ("重点提案", figures["key"]),
        ],
        charts=[
            (
                "按类别",
                bar_chart(
                    "提案类别分布",
                    [row[0] for row in breakdown_rows(categories)],
                    {"提交": [r["submitted"] for r in categories], "立案": [r["registered"] for r in categories]},
                ),
            ),
            ("答复类别", pie_chart("答复类别（A/B/C）", [(row[0][:2], row[1]) for row in class_rows])),
            ("满意度", pie_chart("办理满意度", [(row[0], row[1]) for row in satisfaction_rows[:-1]])),
        ],
        tables=[
            StatTable("counts", "提案总体情况", ["项目", "件数"], count_rows, [30, 10]),
            StatTable(
                "categories",
                "按类别",
                ["类别", *breakdown_headers[1:]],
                breakdown_rows(categories),
                [20, 8, 8, 8, 10, 10],
            ),
            StatTable(
                "sectors",
                "按界别（委员提案按第一提案人所在界别，界别集体提案按该界别）",
                ["界别", *breakdown_headers[1:]],
                breakdown_rows(sectors),
                [22, 8, 8, 8, 10, 10],
            ),
            StatTable(
                "kinds",
                "按提案人类型",
                ["提案人类型", *breakdown_headers[1:]],
                breakdown_rows(kinds),
                [16, 8, 8, 8, 10, 10],
            ),
            StatTable(
                "organizations",
                "集体提案（按提案单位）",
                ["提案单位", *breakdown_headers[1:]],
                breakdown_rows(organizations),
                [26, 8, 8, 8, 10, 10],
                note="集体提案以党派区委、界别、专委会或人民团体名义提出，单独统计，不计入联系委员所在界别。",
            ),
            StatTable(
                "units",
                "按承办单位（含按时答复率）",
                ["承办单位", "交办", "已答复", "按时答复", "按时答复率", "A类", "B类", "C类"],
                unit_table,
                [26, 8, 8, 10, 12, 8, 8, 8],
                note="按时答复率＝按期限内答复件数÷（已答复＋已到期未答复）件数；会办单位不单独答复，不计入。",
            ),
            StatTable("classes", "答复类别", ["类别", "件数", "占比"], class_rows, [30, 10, 10]),
            StatTable(
                "satisfaction",
                "办理满意度",
                ["评价", "件次", "占比"],
                satisfaction_rows,
                [28, 10, 10],
                note=f"未评价：{rule_text('proposal.evaluation')}内未评价、按规定以未评价办结的件次，不计为满意。",
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
        extra={
            "figures": figures,
            "on_time_rate": rate(total_on_time, total_due),
            "satisfaction_rate": rate(satisfied, rated_total),
        },
    )
