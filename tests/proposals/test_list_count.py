"""The proposal list's total is cached under the list tables' write version (PostgreSQL, hence the
``postgres`` fixture), and counted afresh after any write or while a writer is still open."""

from __future__ import annotations

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from proposals import selectors
from proposals.enums import ProposalState
from proposals.list_count import list_count, list_version
from proposals.models import Proposal


def counted(queryset) -> tuple[int, bool]:
    """The total, and whether the database was asked for it (not the cache)."""
    with CaptureQueriesContext(connection) as captured:
        total = list_count(queryset)
    return total, any("COUNT(" in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db(transaction=True)  # committed rows: a second connection writes beside the page
def test_list_total_is_cached_until_a_write_and_never_while_a_writer_is_open(demo, postgres):
    staff = demo["staff"]
    queryset = selectors.proposal_list(user=staff, params={})
    total = queryset.count()
    assert total > 1
    assert counted(queryset)[0] == total
    assert counted(queryset) == (total, False)  # from the cache
    # Another filter is another total.
    drafts = selectors.proposal_list(user=staff, params={"state": ProposalState.REGISTERED})
    assert counted(drafts) == (drafts.count(), True)

    # Any write to the list's tables changes the version: a never-submitted draft of someone else's
    # is hidden from staff, so the total drops by one at once.
    shown = queryset.first()
    Proposal.objects.filter(pk=shown.pk).update(state=ProposalState.DRAFT, submitted_at=None, filed_by=demo["member1"])
    assert counted(queryset) == (total - 1, True)
    assert counted(queryset) == (total - 1, False)

    # A writer still open (its version is out, its rows not yet visible): counted, never cached.
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("UPDATE proposals_proposal SET title = title WHERE id = %s", [shown.pk])
        assert list_version()[1] is False
        assert counted(queryset) == (total - 1, True)
        assert counted(queryset) == (total - 1, True)
        other.rollback()
    finally:
        other.close()
    assert list_version()[1] is True
    assert counted(queryset) == (total - 1, True)
    assert counted(queryset) == (total - 1, False)


def test_a_connection_that_wrote_does_not_cache_what_it_counts(demo, postgres):
    """Its own rows could still be rolled back: the version is read, but not trusted for the cache."""
    Proposal.objects.filter(pk=Proposal.objects.first().pk).update(title="改过的案由")
    assert list_version()[1] is False
    queryset = selectors.proposal_list(user=demo["staff"], params={})
    assert counted(queryset) == (queryset.count(), True)
    assert counted(queryset) == (queryset.count(), True)


@pytest.mark.django_db
def test_a_list_that_can_match_nothing_totals_zero_beside_the_others(demo, postgres):
    """A role that sees no proposal gets ``.none()``, whose SQL cannot even be written: it counts 0
    (this once raised EmptyResultSet, a 500 on /proposals/), and the page's other list still counts."""
    from proposals.list_count import list_counts

    everything = Proposal.objects.all()
    assert list_counts(Proposal.objects.none(), everything) == [0, everything.count()]
    assert list_counts(Proposal.objects.filter(pk__in=[])) == [0]
