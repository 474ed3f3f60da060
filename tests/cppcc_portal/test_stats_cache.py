"""The statistics sections are cached under the write version of the tables they read
(``cppcc_portal.stats.cache``): a repeated request computes nothing, and any write to one of those
tables, a bulk update that sends no signal included, shows on the very next request. The cache
is PostgreSQL's and used outside transactions only: the tests of it commit and need PostgreSQL
(the ``postgres`` fixture)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cppcc_portal import writeversion
from cppcc_portal.stats import cache as stats_cache
from cppcc_portal.stats import section_panel, section_tabs
from tests.builders import uncommitted

pytestmark = pytest.mark.django_db


def read_tables(queries) -> set[str]:
    return {name for query in queries for name in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"])}


def watched_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s",
            [writeversion.trigger(stats_cache.VERSION)],
        )
        return {name.strip('"') for (name,) in cursor.fetchall()}


def test_every_table_of_the_statistics_moves_their_version(postgres):
    assert set(stats_cache.STATS_TABLES) <= watched_tables()


def test_every_table_a_section_reads_moves_the_version(demo):
    """A section reading a table no trigger watches would be cached past a write to it."""
    assert connection.in_atomic_block  # nothing is cached inside a transaction: every section is computed
    request = RequestFactory().get("/stats/")
    request.user = demo["staff"]
    year = timezone.localdate().year
    for tab in section_tabs():
        for shown_year in (year, year - 1):
            with CaptureQueriesContext(connection) as ctx:
                section_panel(request, tab.key, shown_year)
            unwatched = read_tables(ctx.captured_queries) - set(stats_cache.STATS_TABLES)
            assert not unwatched, f"{tab.key} reads {unwatched}: add them to STATS_TABLES"


def _renamed(rows, text: str):
    """A bulk rename (no signal is sent; the table's trigger moves the version all the same)."""
    return lambda: type(rows.first()).objects.filter(pk=rows.first().pk).update(name=text), text


def _category(year, demo):
    from proposals import services
    from proposals.models import ProposalCategory

    author = demo["member1"]
    proposal = services.proposal_create(
        actor=author,
        title="关于缓存检验的建议",
        category=ProposalCategory.objects.first(),
        background="背景。",
        suggestions="建议。",
        period="plenary",
        co_signers=[],
    )
    services.proposal_submit(proposal=proposal, actor=author, version=None)
    category = ProposalCategory.objects.filter(pk=proposal.category_id)
    return proposal.session.year, *_renamed(category, "缓存检验类别"), "proposals_assignment"


def _sector(year, demo):
    from members.models import Member, Sector

    sector = Sector.objects.filter(pk=Member.objects.active().exclude(sector=None).first().sector_id)
    return year, *_renamed(sector, "缓存检验界别"), "members_memberyearscore"


def _inspection(year, demo):
    from consultations.models import Inspection

    held = Inspection.objects.filter(inspected_on__year=year).count()

    def write():
        Inspection.objects.bulk_create(
            [Inspection(title="缓存检验视察", inspected_on=date(year, 1, 2), place="区政府")]
        )

    return year, write, f'视察</div><div class="fs-5 fw-semibold">{held + 1}</div>', "consultations_inspection"


def _station(year, demo):
    from liaison_stations.models import Station

    return year, *_renamed(Station.objects.filter(is_active=True), "缓存检验联络站"), "liaison_stations_stationactivity"


SECTIONS = {"proposals": _category, "members": _sector, "consultations": _inspection, "stations": _station}


def test_every_section_is_cached(demo):
    assert {tab.key for tab in section_tabs()} == set(SECTIONS), "a new section: add it to SECTIONS above"


@pytest.mark.django_db(transaction=True)  # committed, as in production: nothing is cached inside a transaction
@pytest.mark.parametrize("key", sorted(SECTIONS))
def test_a_write_shows_on_the_next_request(postgres, login, demo, key):
    client = login("staff")
    year, write, shown, heavy_table = SECTIONS[key](client.get(f"/stats/{key}/").context["year"], demo)
    url = f"/stats/{key}/?year={year}"
    assert shown not in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    computed = [query["sql"] for query in ctx.captured_queries if heavy_table in query["sql"]]
    assert not computed, "the second request reads the section from the cache"
    write()
    assert shown in client.get(url).content.decode()


def test_the_export_and_the_page_agree_after_a_write(login):
    from members.models import Sector

    client = login("staff")
    client.get("/stats/members/")
    sector = Sector.objects.order_by("order").first()
    Sector.objects.filter(pk=sector.pk).update(name="导出检验界别")
    assert "导出检验界别" in client.get("/stats/members/").content.decode()
    assert client.get("/stats/members/sectors.xlsx").status_code == 200


def test_the_parameters_a_section_reads_are_part_of_the_key(login):
    client = login("staff")
    three = client.get("/stats/members/?min_acts=3").content.decode()
    assert "履职≥3次" in three
    assert "履职≥7次" in client.get("/stats/members/?min_acts=7").content.decode()


@pytest.mark.django_db(transaction=True)
def test_figures_read_while_a_writer_is_uncommitted_are_not_kept(postgres, demo):
    """PostgreSQL's version moves before the writer commits: a reader between the two computes
    the old figures but must not keep them under the new version."""
    from members.models import Sector

    request = RequestFactory().get("/stats/")
    request.user = demo["staff"]
    year = timezone.localdate().year
    sector = Sector.objects.order_by("order").first()
    with uncommitted(lambda: Sector.objects.filter(pk=sector.pk).update(name="未提交的界别")):
        during = section_panel(request, "members", year).context["section"]
        assert "未提交的界别" not in str(during.table("sectors").rows)
    after = section_panel(request, "members", year).context["section"]
    assert "未提交的界别" in str(after.table("sectors").rows)
