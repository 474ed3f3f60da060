"""The members section of /stats/: scores by band, participation, 五个一 completion."""

from __future__ import annotations

from django.db.models import Avg, Count, Q, Sum

from cppcc_portal.stats import Section, StatTable, bar_chart, pie_chart, rate, stats_section

from .enums import PerformanceAct
from .models import Sector
from .performance import scoring
from .performance.selectors import acts_by_sector

DEFAULT_MIN_ACTS = 3


def min_acts(request) -> int:
    value = request.GET.get("min_acts", "")
    return int(value) if value.isdigit() and 0 < int(value) < 1000 else DEFAULT_MIN_ACTS


@stats_section("members", "委员履职", order=40, cached=("min_acts",))
def members_section(request, year: int) -> Section:
    threshold = min_acts(request)
    band_list = scoring.bands()
    band_q = scoring.band_filters(band_list, "year_total")
    reqs = scoring.requirements()
    # One grouped query over the members and their score rows: each 界别's row, and the headline
    # figures and the 五个一 counts summed from those rows (each member is in one 界别 row).
    members = scoring.five_ones_from_scores(year, reqs) if reqs else scoring.scored_members(year)
    five_ones = (
        {
            "complete": Count("id", filter=scoring.complete_filter(reqs)),
            **{f"r{req.pk}_done": Count("id", filter=Q(**{f"r{req.pk}__gte": req.minimum})) for req in reqs},
        }
        if reqs
        else {}
    )
    by_sector = list(
        members.values("sector__name", "sector__order")
        .annotate(
            n=Count("id"),
            participating=Count("id", filter=Q(year_acts__gte=threshold)),
            any_act=Count("id", filter=Q(year_acts__gt=0)),
            average=Avg("year_total"),
            points=Sum("year_total"),
            **{f"band{i}": Count("id", filter=condition) for i, (_band, condition) in enumerate(band_q)},
            **five_ones,
        )
        .order_by("sector__order", "sector__name")
    )
    summed = ["participating", "any_act", *(f"band{i}" for i in range(len(band_q))), *five_ones]
    figures = {key: sum(row[key] for row in by_sector) for key in summed}
    figures["total"] = sum(row["n"] for row in by_sector)
    figures["average"] = sum(row["points"] for row in by_sector) / figures["total"] if figures["total"] else None
    band_rows = [
        [band.name, f"≥{band.min_score}", figures[f"band{i}"], rate(figures[f"band{i}"], figures["total"])]
        for i, (band, _q) in enumerate(band_q)
    ]
    sector_rows = [
        [
            row["sector__name"] or "（未分界别）",
            row["n"],
            row["participating"],
            rate(row["participating"], row["n"]),
            f"{row['average'] or 0:.1f}",
            *[row[f"band{i}"] for i in range(len(band_q))],
        ]
        for row in by_sector
    ]

    sectors = {sector.pk: sector for sector in Sector.objects.all()}
    dated_rows = [
        [
            sectors[row["act_sector"]].name if row["act_sector"] in sectors else "（未分界别）",
            row["n"],
            row["people"],
            row["points"] or 0,
        ]
        for row in sorted(
            acts_by_sector(year),
            key=lambda row: (row["act_sector"] not in sectors, getattr(sectors.get(row["act_sector"]), "order", 0)),
        )
    ]

    labels = dict(PerformanceAct.choices)
    acts = scoring.act_totals(year)
    act_rows = [[labels.get(row["act"], row["act"]), row["n"], row["people"], row["points"]] for row in acts]

    five_rows = []
    complete = 0
    if reqs:
        complete = figures["complete"]
        five_rows = [
            [req.name, req.minimum, figures[f"r{req.pk}_done"], rate(figures[f"r{req.pk}_done"], figures["total"])]
            for req in reqs
        ] + [["五项全部完成", "—", complete, rate(complete, figures["total"])]]

    charts = [
        ("得分等次分布", pie_chart(f"{year}年得分等次分布", [(row[0], row[2]) for row in band_rows])),
    ]
    if five_rows:
        charts.append(
            (
                "“五个一”完成情况",
                bar_chart("“五个一”完成人数", [r[0] for r in five_rows], {"完成人数": [r[2] for r in five_rows]}),
            )
        )
    return Section(
        figures=[
            ("在任委员", figures["total"]),
            (f"履职≥{threshold}次", figures["participating"]),
            ("参与率", rate(figures["participating"], figures["total"])),
            ("有履职记录", figures["any_act"]),
            ("平均得分", f"{figures['average'] or 0:.1f}"),
            ("“五个一”全部完成", f"{complete}（{rate(complete, figures['total'])}）"),
        ],
        charts=charts,
        tables=[
            StatTable("bands", "得分等次分布", ["等次", "分数线", "人数", "占比"], band_rows, [12, 12, 10, 10]),
            StatTable(
                "sectors",
                "各界别履职情况",
                ["界别", "委员数", f"履职≥{threshold}次", "参与率", "平均得分", *[b.name for b in band_list]],
                sector_rows,
                [22, 10, 14, 10, 10] + [8] * len(band_list),
            ),
            StatTable(
                "sector-acts",
                "各界别履职次数（按履职当日所在界别）",
                ["界别", "履职次数", "人数", "计分合计（未封顶）"],
                dated_rows,
                [22, 10, 10, 14],
            ),
            StatTable(
                "five-ones", "“五个一”完成情况", ["要求", "最少次数", "完成人数", "完成率"], five_rows, [20, 10, 10, 10]
            ),
            StatTable("acts", "履职事项统计", ["履职事项", "次数", "人数", "计分合计"], act_rows, [26, 10, 10, 12]),
        ],
        controls=[{"name": "min_acts", "label": "参与率：至少履职次数", "value": threshold}],
    )
