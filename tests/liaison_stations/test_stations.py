"""Station list, overview, reassignment and donations."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed
from liaison_stations import services
from liaison_stations.enums import ActivityKind, DonationKind
from liaison_stations.models import Donation, Station, StationMembership, StationType
from members.models import Member
from tests.builders import page_and_queries

pytestmark = pytest.mark.django_db


def member(username: str) -> Member:
    return Member.objects.get(user__username=username)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_stations(n: int, actor) -> None:
    kind = StationType.objects.first()
    leader = member("leader").user
    for i in range(n):
        station = Station.objects.create(
            name=f"新设联络站{i}", station_type=kind, liaison_leader=leader if i % 2 else None
        )
        moved = Member.objects.order_by("id")[i * 2 : i * 2 + 2]
        StationMembership.objects.filter(member__in=moved).update(station=station)
        services.activity_create(
            station=station,
            actor=actor,
            data={"held_on": date.today() - timedelta(days=1), "kind": ActivityKind.STUDY, "title": f"学习{i}"},
            participants=list(moved),
        )


@pytest.mark.parametrize("name", ["stations:list", "stations:overview"])
def test_list_pages_use_constant_queries(login, demo, name):
    client = login("staff")
    url = reverse(name)
    queries(client, url)  # warm: the per-user caches (permissions, unread count) fill on the first request
    before = queries(client, url)
    add_stations(6, demo["staff"])
    assert queries(client, url) == before


def test_station_list_shows_every_station_and_links_only_those_visible(login, home_station, other_station):
    page = login("member1").get(reverse("stations:list")).content.decode()
    assert home_station.name in page and other_station.name in page
    assert reverse("stations:detail", args=[home_station.pk]) in page
    assert reverse("stations:detail", args=[other_station.pk]) not in page
    assert "我任站长" in page


def test_leader_sees_assigned_stations_first(login, demo):
    stations = list(Station.objects.order_by("order"))
    for station in stations:
        station.liaison_leader = demo["leader"] if station.name == "经济界协商工作室" else None
        station.save()
    page = login("leader").get(reverse("stations:overview")).content.decode()
    first_row = page.index("经济界协商工作室")
    assert all(first_row < page.index(s.name) for s in stations if s.name != "经济界协商工作室")
    listing = login("leader").get(reverse("stations:list")).content.decode()
    assert listing.index("经济界协商工作室") < listing.index("杨村街道委员联络站")


def test_overview_counts_a_year(login, home_station, demo):
    this_year = date.today().year
    services.activity_create(
        station=home_station,
        actor=demo["member1"],
        data={"held_on": date(this_year, 1, 2), "kind": ActivityKind.LECTURE, "title": "讲堂", "citizens_reached": 7},
        participants=[member("member2")],
    )
    from liaison_stations.selectors import opinion_counts, station_overview

    rows = {
        row.station.name: row
        for row in station_overview(user=demo["staff"], year=this_year, opinion_counts=opinion_counts(this_year))
    }
    row = rows[home_station.name]
    assert row.by_kind.get(ActivityKind.LECTURE, 0) >= 1
    assert "王淑芬" in row.took_part
    assert set(row.took_part).isdisjoint(row.never)
    assert len(row.took_part) + len(row.never) == row.member_count == home_station.memberships.count()
    assert row.citizens >= 7
    assert row.opinions_filed >= 1  # the demo's reports from this station's activities
    page = login("staff").get(reverse("stations:overview") + f"?year={this_year}").content.decode()
    assert "未参加活动委员" in page and "民生实事已解决" in page


def test_the_overview_table_is_kept_per_user_and_shows_each_write_at_once(
    transactional_db, postgres, login, home_station, demo
):
    """The table is cached under the write version (PostgreSQL, outside a transaction: these tests commit)."""
    Station.objects.filter(pk=home_station.pk).update(liaison_leader=demo["leader"])
    url = reverse("stations:overview")
    leader = login("leader")
    first, cold = page_and_queries(leader, url)
    assert "我包联" in first and any("liaison_stations_stationmembership" in sql for sql in cold)
    again, warm = page_and_queries(leader, url)
    assert again == first and not any("liaison_stations_stationmembership" in sql for sql in warm)
    assert "我包联" not in page_and_queries(login("staff"), url)[0]  # the leader's own row, not staff's

    Station.objects.filter(pk=home_station.pk).update(name="改名后的杨村联络站")  # no signal; the trigger
    assert "改名后的杨村联络站" in page_and_queries(leader, url)[0]


def test_the_station_page_is_kept_per_manager_and_shows_each_write_at_once(
    transactional_db, postgres, login, home_station
):
    url = reverse("stations:detail", args=[home_station.pk])
    head = login("member1")  # its 站长: may record activities
    first, cold = page_and_queries(head, url)
    assert "记录活动" in first and any("liaison_stations_stationactivity" in sql for sql in cold)
    again, warm = page_and_queries(head, url)
    assert again == first and not any("liaison_stations_stationactivity" in sql for sql in warm)
    assert "记录活动" not in page_and_queries(login("member2"), url)[0]  # a member of it, not its head

    Station.objects.filter(pk=home_station.pk).update(address="缓存测试路一号")  # no signal; the trigger
    assert "缓存测试路一号" in page_and_queries(head, url)[0]


def test_staff_reassign_members_in_bulk(login, home_station, other_station):
    movers = [member("member2"), member("member3")]
    response = login("staff").post(
        reverse("stations:reassign"), {"members": [m.pk for m in movers], "station": other_station.pk}
    )
    assert response.status_code == 302
    assert set(StationMembership.objects.filter(member__in=movers).values_list("station_id", flat=True)) == {
        other_station.pk
    }
    # Every member still has exactly one home station.
    assert StationMembership.objects.filter(member__in=movers).count() == 2


def test_only_staff_reassign(demo, other_station):
    with pytest.raises(PermissionDeniedError):
        services.members_reassign(members=[member("member2")], station=other_station, actor=demo["member1"])


def test_member_profile_shows_home_station(login, home_station):
    page = login("member2").get(reverse("members:detail", args=[member("member2").pk])).content.decode()
    assert home_station.name in page


def test_donations_money_in_decimal_yuan_and_goods(login, home_station, demo):
    client = login("member1")
    url = reverse("stations:donation-new", args=[home_station.pk])
    response = client.post(
        url,
        {"donated_on": date.today().isoformat(), "donor": "某企业", "kind": DonationKind.MONEY, "amount": "1234.56"},
    )
    assert response.status_code == 302
    donation = Donation.objects.get(donor="某企业")
    assert donation.amount == Decimal("1234.56") and isinstance(donation.amount, Decimal)
    response = client.post(url, {"donated_on": date.today().isoformat(), "donor": "某超市", "kind": DonationKind.GOODS})
    assert response.status_code == 200 and "物资捐赠请填写物资名称" in response.content.decode()
    with pytest.raises(ValidationFailed):
        services.donation_record(
            station=home_station,
            actor=demo["staff"],
            donated_on=date.today(),
            donor="x",
            kind=DonationKind.MONEY,
            amount=Decimal("0"),
        )
    assert "1234.56" in client.get(home_station.get_absolute_url()).content.decode()


def test_station_head_workbench_panel(login, home_station):
    page = login("member1").get(reverse("home")).content.decode()
    assert "我负责的联络站" in page and home_station.name in page
    assert "我负责的联络站" not in login("member2").get(reverse("home")).content.decode()
    assert "联络站" in login("staff").get(reverse("home")).content.decode()
