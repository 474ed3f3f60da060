"""The stations section of /stats/: activities, citizens reached and 民生实事 by station."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from cppcc_portal.stats import Section, StatTable, horizontal_bar_chart, rate, stats_section

from .enums import ActivityKind, MatterStatus
from .models import LivelihoodMatter, Station, StationActivity


@stats_section("stations", "委员联络站", order=30, cached=())
def stations_section(request, year: int) -> Section:
    activities = StationActivity.objects.filter(held_on__year=year)
    by_station_activity = {
        row["station_id"]: row
        for row in activities.values("station_id").annotate(n=Count("id"), citizens=Sum("citizens_reached")).order_by()
    }
    # A separate query: joining participants would multiply the activity rows summed above.
    members_by_station = dict(
        activities.values("station_id")
        .annotate(members=Count("participants", distinct=True))
        .values_list("station_id", "members")
        .order_by()
    )
    matters = LivelihoodMatter.objects.filter(raised_on__year=year)
    by_station_matter = {
        row["station_id"]: row
        for row in matters.values("station_id")
        .annotate(
            n=Count("id"),
            solved=Count("id", filter=Q(status=MatterStatus.SOLVED)),
            open=Count("id", filter=Q(status__in=(MatterStatus.ACCEPTED, MatterStatus.IN_PROGRESS))),
        )
        .order_by()
    }
    stations = Station.objects.filter(is_active=True).values_list("id", "name").order_by("order", "name")
    empty_a = {"n": 0, "citizens": 0}
    empty_m = {"n": 0, "solved": 0, "open": 0}
    station_rows = []
    for station_id, name in stations:
        a = by_station_activity.get(station_id, empty_a)
        m = by_station_matter.get(station_id, empty_m)
        station_rows.append(
            [name, a["n"], a["citizens"] or 0, members_by_station.get(station_id, 0), m["n"], m["solved"], m["open"]]
        )
    kind_labels = dict(ActivityKind.choices)
    kinds = activities.values("kind").annotate(n=Count("id"), citizens=Sum("citizens_reached")).order_by("-n")
    kind_rows = [[kind_labels.get(r["kind"], r["kind"]), r["n"], r["citizens"] or 0] for r in kinds]
    totals = activities.aggregate(n=Count("id"), citizens=Sum("citizens_reached"))
    matter_totals = matters.aggregate(n=Count("id"), solved=Count("id", filter=Q(status=MatterStatus.SOLVED)))
    return Section(
        figures=[
            ("联络站活动", totals["n"]),
            ("服务群众（人次）", totals["citizens"] or 0),
            ("民生实事受理", matter_totals["n"]),
            ("已解决", matter_totals["solved"]),
            ("解决率", rate(matter_totals["solved"], matter_totals["n"])),
        ],
        charts=[
            (
                "各站活动",
                horizontal_bar_chart(
                    "各联络站活动次数", [r[0] for r in station_rows], {"活动次数": [r[1] for r in station_rows]}
                ),
            ),
            (
                "民生实事",
                horizontal_bar_chart(
                    "各联络站民生实事",
                    [r[0] for r in station_rows],
                    {"受理": [r[4] for r in station_rows], "已解决": [r[5] for r in station_rows]},
                ),
            ),
        ],
        tables=[
            StatTable(
                "stations",
                "各联络站工作情况",
                ["联络站", "活动次数", "服务群众（人次）", "参与委员", "民生实事", "已解决", "办理中"],
                station_rows,
                [26, 10, 14, 10, 10, 8, 8],
            ),
            StatTable("kinds", "活动类型", ["活动类型", "次数", "服务群众（人次）"], kind_rows, [16, 8, 14]),
        ],
    )
