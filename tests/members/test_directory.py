"""The member registry: filters, Chinese name search, who sees which contact details."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Committee, CommitteeMembership, Member, Position, Sector


def test_staff_filter_by_sector_and_search_chinese_name(login):
    client = login("staff")
    sector = Sector.objects.get(name="民建")
    response = client.get("/members/", {"sector": sector.pk})
    names = {m.name for m in response.context["page"]}
    assert names == set(Member.objects.filter(sector=sector).values_list("name", flat=True))
    response = client.get("/members/", {"q": "明远"})
    assert [m.name for m in response.context["page"]] == ["李明远"]


def test_filter_by_station_and_committee(login):
    client = login("staff")
    member2 = Member.objects.get(user__username="member2")
    station_id = member2.station_membership.station_id
    response = client.get("/members/", {"station": station_id})
    assert member2 in list(response.context["page"])
    committee = member2.committees.first()
    response = client.get("/members/", {"committee": committee.pk})
    page = list(response.context["page"])
    assert member2 in page and len(page) == len(set(page))


def test_bad_filter_values_show_an_empty_list_not_an_error(login):
    response = login("staff").get("/members/", {"sector": "abc", "committee": "1;drop"})
    assert response.status_code == 200
    assert len(response.context["page"]) == 0


def test_members_do_not_see_each_others_mobile_numbers(login):
    member2 = Member.objects.get(user__username="member2")
    as_member = login("member1")
    listing = as_member.get("/members/").content.decode()
    assert member2.name in listing and member2.mobile not in listing
    detail = as_member.get(f"/members/{member2.pk}/").content.decode()
    assert member2.mobile not in detail and member2.address not in detail
    own = as_member.get(f"/members/{Member.objects.get(user__username='member1').pk}/").content.decode()
    assert Member.objects.get(user__username="member1").mobile in own


def test_staff_see_contact_details(login):
    member2 = Member.objects.get(user__username="member2")
    detail = login("staff").get(f"/members/{member2.pk}/").content.decode()
    assert member2.mobile in detail and member2.address in detail


def test_member_edits_only_contact_fields(login):
    client = login("member2")
    member = Member.objects.get(user__username="member2")
    response = client.post(
        "/members/me/",
        {
            "mobile": "13700000009",
            "office_phone": "022-1234",
            "email": "new@example.org",
            "address": "新地址",
            "name": "改名",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.mobile, member.email, member.address, member.name) == (
        "13700000009",
        "new@example.org",
        "新地址",
        "王淑芬",
    )
    assert member.user.email == "new@example.org"


def test_member_cannot_take_another_members_mobile(login):
    taken = Member.objects.get(user__username="member3").mobile
    client = login("member2")
    response = client.post("/members/me/", {"mobile": taken, "email": "", "address": "", "office_phone": ""})
    assert response.status_code == 200
    assert Member.objects.get(user__username="member2").mobile != taken


def _bulk_members(count: int, start: int = 0) -> None:
    sectors = list(Sector.objects.all())
    position = Position.objects.get(name="委员")
    committee = Committee.objects.first()
    members = Member.objects.bulk_create(
        Member(
            name=f"测试委员{i}", gender="男", sector=sectors[i % len(sectors)], position=position, mobile=f"150{i:08d}"
        )
        for i in range(start, start + count)
    )
    CommitteeMembership.objects.bulk_create(CommitteeMembership(member=m, committee=committee) for m in members)


def _queries_for_list(client, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/members/", params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"q": "委员"}, {"committee": "1", "page": "2"}])
def test_member_list_queries_do_not_grow_with_rows(login, params):
    client = login("staff")
    _bulk_members(50)
    _queries_for_list(client, params)  # warm caches (content types, sessions)
    small = _queries_for_list(client, params)
    _bulk_members(4950, start=50)
    large = _queries_for_list(client, params)
    assert Member.objects.count() > 5000
    assert large == small
