"""Reads for the stations: querysets shaped for their pages, filtered to the user."""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe

from cppcc_portal.hooks import get_hooks
from members.models import Member

from .enums import MatterStatus
from .models import (
    DistrictMap,
    Donation,
    LivelihoodMatter,
    LivelihoodMatterLog,
    Station,
    StationActivity,
    StationMembership,
    StudioMembership,
    parse_outline,
)


def _member(user):
    return getattr(user, "member", None)


def _count_of(rows: QuerySet) -> Coalesce:
    """How many of ``rows`` (with a ``station`` foreign key) belong to the outer station."""
    counted = rows.filter(station=OuterRef("pk")).order_by().values("station").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def station_list(*, user) -> QuerySet[Station]:
    """Every active station with its counts; a leader's own stations first."""
    queryset = (
        Station.objects.filter(is_active=True)
        .select_related("station_type", "head", "liaison_leader")
        .annotate(
            # Counted in subqueries: joining both members and matters multiplied the rows
            # (a thousand members times each open matter) before DISTINCT took them out again.
            member_count=_count_of(StationMembership.objects.all()),
            open_matters=_count_of(
                LivelihoodMatter.objects.filter(status__in=[MatterStatus.ACCEPTED, MatterStatus.IN_PROGRESS])
            ),
        )
    )
    if user.is_authenticated:
        queryset = queryset.annotate(
            mine=Case(When(liaison_leader=user, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("mine", "order", "name")
    return queryset


def stations_headed_by(user) -> QuerySet[Station]:
    member = _member(user)
    if member is None:
        return Station.objects.none()
    return Station.objects.filter(head=member, is_active=True)


def stations_of_member(user) -> QuerySet[Station]:
    """The active stations a member works from: their home station and those they head."""
    member = _member(user)
    if member is None:
        return Station.objects.none()
    return Station.objects.filter(Q(head=member) | Q(memberships__member=member), is_active=True).distinct()


def stations_user_can_manage(user) -> QuerySet[Station]:
    if user.has_perm("liaison_stations.reassign_members"):  # staff
        return Station.objects.filter(is_active=True)
    return stations_headed_by(user)


def station_detail(pk: int) -> Station:
    return Station.objects.select_related("station_type", "head", "liaison_leader").get(pk=pk)


def station_members(station: Station) -> QuerySet[Member]:
    return Member.objects.filter(station_membership__station=station).select_related("position", "sector")


def studio_members(station: Station) -> QuerySet[Member]:
    """A 界别协商工作室's own members (each also has a home station)."""
    return Member.objects.filter(studio_memberships__station=station).select_related("position", "sector")


def station_member_names(station: Station) -> list[tuple[int, str]]:
    """(pk, name) of the station's members, in the directory's order: a station of a thousand
    members lists their names, not a thousand model rows with their positions and sectors."""
    return list(Member.objects.filter(station_membership__station=station).values_list("pk", "name"))


def studio_member_names(station: Station) -> list[tuple[int, str, str]]:
    """(pk, name, 界别 name or "") of a 界别协商工作室's own members, as ``studio_members``."""
    return list(
        Member.objects.filter(studio_memberships__station=station)
        .annotate(sector_name=Coalesce("sector__name", Value("")))
        .values_list("pk", "name", "sector_name")
    )


def names_only(relation: str) -> Prefetch:
    """Prefetch ``relation`` (members) with only what a list prints: their names."""
    return Prefetch(relation, queryset=Member.objects.only("pk", "name"))


def station_activities(station: Station, *, year: int | None = None) -> QuerySet[StationActivity]:
    queryset = station.activities.prefetch_related(names_only("participants")).annotate(photo_count=Count("photos"))
    if year:
        queryset = queryset.filter(held_on__year=year)
    return queryset


def activities_of_member(member: Member) -> QuerySet[StationActivity]:
    """Activities of the member's stations (headed or home) and those they took part in, newest first:
    what a 社情民意 report may come from."""
    # Subqueries, not joins: joining each activity to its station's thousand memberships and to
    # its participants, then DISTINCT, took seconds for a few hundred activities.
    stations = Station.objects.filter(Q(head=member) | Q(memberships__member=member)).values("pk")
    took_part = StationActivity.participants.through.objects.filter(member=member).values("stationactivity_id")
    return (
        StationActivity.objects.filter(Q(station__in=stations) | Q(pk__in=took_part))
        .select_related("station")
        .order_by("-held_on", "-id")
    )


def station_matters(station: Station) -> QuerySet[LivelihoodMatter]:
    return station.matters.select_related("department").prefetch_related(names_only("members"))


def station_donations(station: Station) -> QuerySet[Donation]:
    return station.donations.select_related("donor_member")


def station_counts(station: Station) -> dict:
    activities = station.activities.aggregate(total=Count("id"), citizens=Sum("citizens_reached"))
    matters = dict(station.matters.values_list("status").annotate(n=Count("id")).order_by())
    money = station.donations.aggregate(total=Sum("amount"))["total"]
    return {
        "activities": activities["total"],
        "citizens": activities["citizens"] or 0,
        "matters": {status: matters.get(status, 0) for status in MatterStatus},
        "matters_total": sum(matters.values()),
        "donations_money": money,
    }


def activity_detail(pk: int) -> StationActivity:
    return (
        StationActivity.objects.select_related("station", "station__head", "created_by")
        .prefetch_related("participants", "photos", "matters")
        .get(pk=pk)
    )


def matter_detail(pk: int) -> LivelihoodMatter:
    return (
        LivelihoodMatter.objects.select_related("station", "station__head", "department", "activity", "created_by")
        .prefetch_related("members", Prefetch("log", queryset=LivelihoodMatterLog.objects.select_related("actor")))
        .get(pk=pk)
    )


def matter_list(*, user, params) -> QuerySet[LivelihoodMatter]:
    """民生实事 across stations, as far as the user may see: staff and leaders all, a unit its
    own department's, a member those of their home station and the stations they head."""
    queryset = LivelihoodMatter.objects.select_related("station", "department").prefetch_related("members")
    if not user.has_perm("liaison_stations.see_overview"):
        member = _member(user)
        if getattr(user, "organization_id", None) and member is None:
            queryset = queryset.filter(department_id=user.organization_id)
        elif member is not None:
            # A subquery, not a join: joining each matter to its station's thousand memberships, then
            # DISTINCT over every column, took 76 ms for eight matters at scale.
            stations = Station.objects.filter(Q(head=member) | Q(memberships__member=member)).values("pk")
            queryset = queryset.filter(station__in=stations)
        else:
            return queryset.none()
    status = params.get("status", "")
    if status in MatterStatus.values:
        queryset = queryset.filter(status=status)
    station = params.get("station", "")
    if station.isdigit():
        queryset = queryset.filter(station_id=station)
    return queryset.order_by("-raised_on", "-id")


# --- Station overview -----------------------------------------------------------------------------


@dataclass
class StationYear:
    station: Station
    by_kind: dict[str, int] = field(default_factory=dict)
    activities: int = 0
    citizens: int = 0
    took_part: list[str] = field(default_factory=list)
    never: list[str] = field(default_factory=list)
    member_count: int = 0
    opinions_filed: int = 0
    opinions_adopted: int = 0
    matters_solved: int = 0
    is_mine: bool = False

    # The names joined for the page (a district's ten thousand): escaped once here, where the
    # template's ``join`` filter escaped them one by one through Django's lazy wrappers.
    @property
    def took_part_names(self) -> str:
        return _joined(self.took_part)

    @property
    def never_names(self) -> str:
        return _joined(self.never)


def _joined(names: list[str]) -> str:
    return mark_safe("、".join(html.escape(name) for name in names))  # every name is escaped


def station_overview(*, user, year: int, opinion_counts: dict[int, tuple[int, int]]) -> list[StationYear]:
    """Each station's year in a fixed number of queries, however many stations there are.

    ``opinion_counts`` maps station id to (filed, adopted) 社情民意 for the year; the
    proposals app answers that (liaison_stations does not read its tables).
    """
    stations = list(station_list(user=user))
    rows = {
        station.pk: StationYear(station=station, is_mine=station.liaison_leader_id == user.pk) for station in stations
    }
    year_activities = StationActivity.objects.filter(held_on__year=year)
    for station_id, kind, count, citizens in (
        year_activities.values_list("station_id", "kind").annotate(n=Count("id"), c=Sum("citizens_reached")).order_by()
    ):
        if station_id in rows:
            rows[station_id].by_kind[kind] = count
            rows[station_id].activities += count
            rows[station_id].citizens += citizens or 0
    took_part: dict[int, set[int]] = defaultdict(set)
    for station_id, member_id in StationActivity.participants.through.objects.filter(
        stationactivity__held_on__year=year
    ).values_list("stationactivity__station_id", "member_id"):
        took_part[station_id].add(member_id)
    for station_id, member_id, name in StationMembership.objects.values_list(
        "station_id", "member_id", "member__name"
    ).order_by("member__name"):
        if station_id not in rows:
            continue
        row = rows[station_id]
        row.member_count += 1
        (row.took_part if member_id in took_part[station_id] else row.never).append(name)
    solved = Counter(
        dict(
            LivelihoodMatter.objects.filter(status=MatterStatus.SOLVED, resolved_on__year=year)
            .values_list("station_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    for station_id, row in rows.items():
        row.matters_solved = solved.get(station_id, 0)
        row.opinions_filed, row.opinions_adopted = opinion_counts.get(station_id, (0, 0))
    return list(rows.values())


def overview_totals(rows: list[StationYear]) -> dict:
    by_kind = Counter()
    for row in rows:
        by_kind.update(row.by_kind)
    return {
        "by_kind": dict(by_kind),
        "activities": sum(row.activities for row in rows),
        "citizens": sum(row.citizens for row in rows),
        "took_part": sum(len(row.took_part) for row in rows),
        "never": sum(len(row.never) for row in rows),
        "opinions_filed": sum(row.opinions_filed for row in rows),
        "opinions_adopted": sum(row.opinions_adopted for row in rows),
        "matters_solved": sum(row.matters_solved for row in rows),
    }


def opinion_counts(year: int) -> dict[int, tuple[int, int]]:
    """社情民意 (filed, adopted) per station for ``year``, from whichever app registers
    the ``station_opinion_counts`` hook (the proposals app); empty when none does."""
    counts: dict[int, tuple[int, int]] = {}
    for fn in get_hooks("station_opinion_counts"):
        for station_id, (filed, adopted) in fn(year).items():
            old = counts.get(station_id, (0, 0))
            counts[station_id] = (old[0] + filed, old[1] + adopted)
    return counts


# --- 履职地图 -----------------------------------------------------------------------------------

# Town colours on the map, in turn (Bootstrap's palette, readable on white and in print).
TOWN_COLOURS = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#d63384", "#6c757d"]


@dataclass
class MapStation:
    station: Station
    x: float | None
    y: float | None
    radius: float
    colour: str

    @property
    def label_dy(self) -> float:
        return round(self.radius + 2.6, 2)


@dataclass
class TownRow:
    name: str
    colour: str
    stations: list = field(default_factory=list)
    activities: int = 0
    members: int = 0


def station_map(*, year: int) -> dict:
    """The district's outline and its active stations, each with the year's activities and its
    members (home and 工作室), grouped by town; a few queries whatever the number of stations."""
    district = DistrictMap.objects.first()
    try:
        outline = parse_outline(district.outline) if district else []
    except ValueError:
        outline = []
    stations = list(
        Station.objects.filter(is_active=True)
        .select_related("station_type", "town")
        .order_by("town__order", "town__name", "order", "name")
    )
    # One grouped count per figure (joining all three at once would multiply the rows).
    activities = _counts(StationActivity.objects.filter(held_on__year=year))
    homes = _counts(StationMembership.objects.all())
    studios = _counts(StudioMembership.objects.all())
    for station in stations:
        station.year_activities = activities.get(station.pk, 0)
        station.home_members = homes.get(station.pk, 0)
        station.studio_members = studios.get(station.pk, 0)
    towns: dict[str, TownRow] = {}
    most = max([s.year_activities for s in stations] + [1])
    points = []
    for station in stations:
        name = station.town.name if station.town else "未设置镇街"
        town = towns.get(name) or towns.setdefault(name, TownRow(name, TOWN_COLOURS[len(towns) % len(TOWN_COLOURS)]))
        station.member_total = station.home_members + station.studio_members
        town.stations.append(station)
        town.activities += station.year_activities
        town.members += station.member_total
        placed = station.map_x is not None and station.map_y is not None
        points.append(
            MapStation(
                station,
                float(station.map_x) if placed else None,
                float(station.map_y) if placed else None,
                round(1.2 + 2.8 * (station.year_activities / most) ** 0.5, 2),
                town.colour,
            )
        )
    return {
        "district": district,
        "outline": " ".join(f"{x:g},{y:g}" for x, y in outline),
        "placed": [p for p in points if p.x is not None],
        "unplaced": [p.station for p in points if p.x is None],
        "towns": list(towns.values()),
        "total_activities": sum(t.activities for t in towns.values()),
        "total_members": sum(t.members for t in towns.values()),
    }


def _counts(queryset) -> dict[int, int]:
    return dict(queryset.values_list("station_id").annotate(n=Count("id")).order_by())
