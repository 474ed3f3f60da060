"""联系委员制度: assignments, visits and the not-visited list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed
from members.enums import PartyKind
from members.models import Member, Sector
from members.performance import visits
from members.performance.models import CpcContactDuty, Visit

pytestmark = pytest.mark.django_db

YEAR = 2030


def test_not_visited_lists_members_without_a_visit_that_year(demo):
    member = demo["member2"].member
    total = Member.objects.active().count()
    assert visits.not_visited(YEAR).count() == total
    Visit.objects.create(member=member, visitor=demo["staff"], visited_on=date(YEAR, 3, 1), content="走访")
    Visit.objects.create(member=member, visitor=demo["staff"], visited_on=date(YEAR, 5, 1), content="再走访")
    Visit.objects.create(
        member=demo["member1"].member, visitor=demo["staff"], visited_on=date(YEAR - 1, 3, 1), content="去年"
    )
    remaining = visits.not_visited(YEAR)
    assert remaining.count() == total - 1
    assert not remaining.filter(pk=member.pk).exists()


def test_leaders_and_staff_record_visits_others_cannot(demo):
    member = demo["member2"].member
    visit = visits.visit_record(
        actor=demo["leader"], member=member, visited_on=date.today(), content="谈心", issues="停车难"
    )
    assert visit.visitor == demo["leader"]
    with pytest.raises(PermissionDeniedError):
        visits.visit_record(actor=demo["member1"], member=member, visited_on=date.today(), content="x")
    with pytest.raises(ValidationFailed):
        visits.visit_record(
            actor=demo["staff"], member=member, visited_on=date.today() + timedelta(days=2), content="x"
        )


def test_visit_page_records_and_lists(demo, client):
    member = demo["member3"].member
    client.force_login(demo["staff"])
    response = client.post(
        "/members/visits/",
        {
            "member": member.pk,
            "visited_on": date.today().isoformat(),
            "content": "了解履职困难",
            "issues": "希望多参加调研",
        },
        follow=True,
    )
    assert "走访记录已保存" in response.content.decode()
    assert "了解履职困难" in response.content.decode()
    listing = client.get(f"/members/visits/not-visited/?year={date.today().year}").content.decode()
    assert f'href="/members/{member.pk}/"' not in listing


def test_cpc_contact_assignments_are_checked(demo):
    cpc = Member.objects.active().filter(party__kind=PartyKind.CPC).first()
    non_cpc = Member.objects.active().exclude(party__kind=PartyKind.CPC).exclude(contact_duty__isnull=False).first()
    with pytest.raises(ValidationFailed):
        visits.cpc_contact_assign(actor=demo["staff"], cpc_member=non_cpc, non_cpc_member=cpc)
    duty = visits.cpc_contact_assign(actor=demo["staff"], cpc_member=cpc, non_cpc_member=non_cpc)
    again = visits.cpc_contact_assign(actor=demo["staff"], cpc_member=cpc, non_cpc_member=non_cpc)
    assert duty.pk == again.pk and CpcContactDuty.objects.filter(non_cpc_member=non_cpc).count() == 1
    with pytest.raises(PermissionDeniedError):
        visits.cpc_contact_assign(actor=demo["leader"], cpc_member=cpc, non_cpc_member=non_cpc)


def test_only_leaders_can_be_assigned_to_sectors(demo):
    sector = Sector.objects.first()
    with pytest.raises(ValidationFailed):
        visits.leader_sector_assign(actor=demo["staff"], leader=demo["member2"].member, sector=sector)
    duty = visits.leader_sector_assign(actor=demo["staff"], leader=demo["leader"].member, sector=sector)
    assert duty.sector == sector
