"""Stations' contributions to pages owned by other apps: nav, workbench, member profile, registry filter."""

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse

from cppcc_portal.hooks import NavItem, Panel, register
from members.selectors import GroupKind

from .enums import OPEN_MATTER_STATES, MatterStatus
from .models import LivelihoodMatter, Station, StationMembership
from .selectors import station_counts, stations_headed_by


@register("nav_items")
def stations_nav(user):
    if user.has_perm("liaison_stations.browse_stations"):
        yield NavItem("联络站", reverse("stations:list"), order=40)
    elif user.has_perm("liaison_stations.browse_matters"):  # unit users: their department's items
        yield NavItem("民生实事", reverse("stations:matters"), order=40)


@register("member_filters")
def station_filter():
    # The choices stay a lazy queryset: the registry's query needs only the lookup, the form the choices.
    yield "station", "联络站", Station.objects.values_list("id", "name"), "station_membership__station_id"


@register("member_groups")
def station_groups():
    """Invite or notify a station's members: those whose home it is, and a 工作室's own members."""
    stations = list(Station.objects.filter(is_active=True).values_list("id", "name"))
    yield GroupKind(
        "station",
        "联络站、工作室",
        stations,
        lambda pk: Q(station_membership__station_id=pk) | Q(studio_memberships__station_id=pk),
    )


@register("member_profile_panels")
def home_station_panel(request, member):
    membership = (
        StationMembership.objects.select_related("station", "station__station_type").filter(member=member).first()
    )
    year = date.today().year
    activities = list(
        member.station_activities.filter(held_on__year=year).select_related("station").order_by("-held_on")[:5]
    )
    return Panel(
        "liaison_stations/panels/home_station.html",
        {
            "membership": membership,
            "can_see": bool(membership) and request.user.has_perm("liaison_stations.see_station", membership.station),
            "studios": list(Station.objects.filter(studio_memberships__member=member).order_by("order")),
            "activities": activities,
            "year": year,
        },
        order=50,
        title="所属联络站",
    )


@register("workbench_panels")
def station_head_panel(request):
    """For a station head: their station at a glance, and what to record next."""
    stations = list(stations_headed_by(request.user).select_related("station_type"))
    if not stations:
        return None
    rows = []
    for station in stations:
        rows.append(
            {
                "station": station,
                "counts": station_counts(station),
                "open_matters": list(
                    station.matters.filter(status__in=OPEN_MATTER_STATES).select_related("department")[:5]
                ),
                "recent": list(station.activities.all()[:3]),
            }
        )
    return Panel("liaison_stations/panels/station_head.html", {"rows": rows}, order=30, title="我负责的联络站")


@register("workbench_panels")
def staff_stations_panel(request):
    """For staff and leaders: open 民生实事 across the stations, and the overview."""
    if not request.user.has_perm("liaison_stations.see_overview"):
        return None
    by_status = dict(LivelihoodMatter.objects.values_list("status").annotate(n=Count("id")).order_by())
    return Panel(
        "liaison_stations/panels/overview.html",
        {"by_status": [(status.label, by_status.get(status, 0)) for status in MatterStatus]},
        order=60,
        title="联络站工作",
    )
