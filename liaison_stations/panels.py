"""Stations' contributions to pages owned by other apps."""

from cppcc_portal.hooks import Panel, register


@register("member_filters")
def station_filter():
    from .models import Station

    yield "station", "联络站", list(Station.objects.values_list("id", "name")), "station_membership__station_id"


@register("member_profile_panels")
def home_station_panel(request, member):
    from .models import StationMembership

    membership = StationMembership.objects.select_related("station").filter(member=member).first()
    return Panel("liaison_stations/panels/home_station.html", {"membership": membership}, order=50, title="所属联络站")
