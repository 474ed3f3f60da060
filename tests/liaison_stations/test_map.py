"""The 履职地图: an SVG drawn by the server from the admin's outline and coordinates."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liaison_stations.models import DistrictMap, Station, StationActivity, StudioMembership
from members.models import Member

pytestmark = pytest.mark.django_db


def test_the_map_draws_each_placed_station_with_its_counts(login):
    year = timezone.localdate().year
    page = login("member2").get("/stations/map/").content.decode()
    assert "<svg" in page and "<polygon" in page
    station = Station.objects.get(name="杨村街道委员联络站")
    activities = StationActivity.objects.filter(station=station, held_on__year=year).count()
    members = station.memberships.count() + station.studio_memberships.count()
    assert f"{station.name}（杨村街道）：{year}年活动 {activities} 次，委员 {members} 人" in page
    assert page.count("<circle") == Station.objects.filter(is_active=True, map_x__isnull=False).count()


def test_the_map_needs_nothing_from_outside(login):
    page = login("staff").get("/stations/map/").content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert not re.search(r"(src|href)=\"https?://", svg), "no tiles or images from elsewhere"


def test_an_unplaced_station_is_listed_not_drawn(login):
    station = Station.objects.get(name="大良镇委员联络站")
    Station.objects.filter(pk=station.pk).update(map_x=None, map_y=None)
    page = login("staff").get("/stations/map/").content.decode()
    assert "未设置坐标的站点：大良镇委员联络站" in page


def test_the_outline_is_checked():
    with pytest.raises(ValidationError, match="超出"):
        DistrictMap(name="区", outline="10,10 200,5 50,50").full_clean()
    with pytest.raises(ValidationError, match="三个顶点"):
        DistrictMap(name="区", outline="10,10 20,5").full_clean()
    with pytest.raises(ValidationError, match="无法识别"):
        DistrictMap(name="区", outline="10;10 20,5 5,5").full_clean()


def test_a_member_joins_a_studio_beside_the_home_station_never_a_plain_station(demo):
    studio = Station.objects.get(name="教育界协商工作室")
    # A member not yet in it (the demo puts the 教育界, member2 among them since her change, there).
    member = Member.objects.exclude(studio_memberships__station=studio).order_by("pk").first()
    StudioMembership(member=member, station=studio).full_clean()
    with pytest.raises(ValidationError, match="只能加入界别协商工作室"):
        StudioMembership(member=member, station=Station.objects.get(name="大良镇委员联络站")).full_clean()


def test_a_studio_page_lists_its_own_members(login):
    studio = Station.objects.get(name="经济界协商工作室")
    page = login("staff").get(studio.get_absolute_url()).content.decode()
    assert 'id="studio-members"' in page
    for membership in studio.studio_memberships.select_related("member")[:5]:
        assert membership.member.name in page


def test_a_studio_member_sees_the_studio_and_finds_it_on_the_profile(client, demo):
    studio = Station.objects.get(name="经济界协商工作室")
    membership = (
        studio.studio_memberships.filter(member__user__isnull=False, member__user__is_active=True)
        .exclude(member__station_membership__station=studio)
        .select_related("member__user")
        .first()
    )
    client.force_login(membership.member.user)
    assert client.get(studio.get_absolute_url()).status_code == 200
    profile = client.get(f"/members/{membership.member.pk}/").content.decode()
    assert 'id="member-studios"' in profile and studio.name in profile
    StudioMembership.objects.filter(pk=membership.pk).delete()
    client.force_login(membership.member.user)  # a new request: the studio is no longer theirs
    assert client.get(studio.get_absolute_url()).status_code == 403
