"""Statistics count a proposal by its proposer's real kind and organisation: a collective proposal
is never counted under its contact member's 界别."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import RequestFactory

from cppcc_portal.hooks import get_hooks
from members.models import Organization, PlenarySession, Sector, Term

pytestmark = pytest.mark.django_db

YEAR = 2031  # a year the demo district does not use


def proposals_section():
    fn = next(fn for fn in get_hooks("stats_sections") if getattr(fn, "stats_key", None) == "proposals")
    return fn(RequestFactory().get("/stats/"), YEAR).context["section"]


def table(sec, key):
    return {row[0]: row[1:] for row in sec.table(key).rows}


def test_collective_proposals_count_by_their_organisation_not_the_contacts_sector(demo):
    from proposals.models import Proposal, ProposalCategory

    session = PlenarySession.objects.create(
        term=Term.current(),
        number=93,
        name="统计测试会议",
        short_name="统计测试会",
        year=YEAR,
        opens_on=date(YEAR, 1, 6),
        closes_on=date(YEAR, 1, 9),
    )
    category = ProposalCategory.objects.first()
    contact = demo["member2"].member
    economy = Sector.objects.get(name="经济界")
    sector_org = Organization.objects.create(name="区政协经济界", kind="sector", sector=economy)
    minjin = Organization.objects.get(name="民进区委")

    def proposal(title, state="registered", **fields):
        return Proposal.objects.create(
            session=session,
            title=title,
            category=category,
            background="b",
            suggestions="s",
            author=contact,
            filed_by=demo["staff"],
            state=state,
            **fields,
        )

    proposal("委员个人一")
    proposal("委员个人二", state="submitted")
    proposal("民进区委集体", kind="organization", proposer_org=minjin, collective_name="民进区委")
    proposal("民进区委集体二", state="not_registered", kind="organization", proposer_org=minjin)
    proposal("经济界集体", kind="sector", proposer_org=sector_org, collective_name=sector_org.name)

    sec = proposals_section()
    sectors = table(sec, "sectors")
    assert sectors[contact.sector.name] == [2, 1, 0, 0, "50.0%"]  # member2's own two, not the collective ones
    assert sectors["经济界"] == [1, 1, 0, 0, "100.0%"]
    assert sum(row[0] for row in sectors.values()) == 3  # 民进区委's have no sector: counted below
    kinds = table(sec, "kinds")
    assert kinds["委员个人"][0] == 2 and kinds["党派团体"][0] == 2 and kinds["界别"][0] == 1
    organizations = table(sec, "organizations")
    assert organizations == {
        "民进区委（民主党派区委）": [2, 1, 0, 1, "50.0%"],
        "区政协经济界（界别）": [1, 1, 0, 0, "100.0%"],
    }
