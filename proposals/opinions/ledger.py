"""The performance ledger entries of 社情民意, decided in one place.

Same shape as the proposals' ledger (``proposals/ledger.py``, whose ``Entry``, ``Wanted``
and ``sync`` it uses): one small function per act says which entries should exist for
a report; the services call ``sync`` with that answer after every change, and
``backfill`` (a ``performance_backfill`` hook) calls the same functions for every report.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min

from cppcc_portal.hooks import register
from members.enums import PerformanceAct
from members.performance import ledger_sync
from members.performance.services import performance_record

from ..ledger import Entry, Wanted, sync
from .enums import HigherLevel, OpinionStatus
from .models import HigherAdoption, PublicOpinion

A = PerformanceAct
OPINION_ACTS = (A.OPINION_FILED, A.OPINION_ADOPTED, A.OPINION_INSTRUCTED)


def _credited(o: PublicOpinion) -> bool:
    """A report in an organisation's name is the organisation's, not its contact member's."""
    return o.organization_id is None


def opinion_filing(o: PublicOpinion) -> Wanted:
    """报送社情民意: every report, filed or converted from a proposal, on its filing day."""
    return {A.OPINION_FILED: [Entry(o.author, o.submitted_on)] if _credited(o) else []}


def opinion_adoption(o: PublicOpinion) -> Wanted:
    """社情民意被采用: an adopted report, on the day of the decision."""
    if o.status != OpinionStatus.ADOPTED or o.decided_on is None or not _credited(o):
        return {A.OPINION_ADOPTED: []}
    return {A.OPINION_ADOPTED: [Entry(o.author, o.decided_on)]}


def opinion_instruction(o: PublicOpinion, first_instructed_on: date | None) -> Wanted:
    """社情民意获领导批示: once per report, on the date of its earliest 批示."""
    if first_instructed_on is None or not _credited(o):
        return {A.OPINION_INSTRUCTED: []}
    return {A.OPINION_INSTRUCTED: [Entry(o.author, first_instructed_on)]}


def first_instructed_on(o: PublicOpinion) -> date | None:
    return o.instructions.aggregate(first=Min("instructed_on"))["first"]


def backfill(stdout) -> None:
    """(Re)derive the ledger entries whose sources are 社情民意."""
    opinion_type = ContentType.objects.get_for_model(PublicOpinion)
    existing = ledger_sync.keys_on_ledger([opinion_type], OPINION_ACTS)
    opinions = (
        PublicOpinion.objects.select_related("author")
        .annotate(first_instructed_on=Min("instructions__instructed_on"))
        .order_by("pk")
    )
    recorded = withdrawn = opinion_count = 0
    for o in opinions.iterator(chunk_size=500):
        wanted = {**opinion_filing(o), **opinion_adoption(o), **opinion_instruction(o, o.first_instructed_on)}
        done, undone = sync(o, wanted, existing=existing[(opinion_type.pk, o.pk)])
        recorded, withdrawn, opinion_count = recorded + done, withdrawn + undone, opinion_count + 1
    stdout.write(f"社情民意：核对 {opinion_count} 篇，应有履职记录 {recorded} 条，撤销 {withdrawn} 条。\n")


register("performance_backfill", backfill)


HIGHER_ACTS = {HigherLevel.CITY: A.OPINION_ADOPTED_CITY, HigherLevel.NATIONAL: A.OPINION_ADOPTED_NATIONAL}


def credit_higher_adoption(adoption: HigherAdoption) -> None:
    """社情民意被市政协 / 全国政协采用: each adoption row is its own source, so each is credited."""
    opinion = adoption.opinion
    if not _credited(opinion):
        return
    performance_record(
        member=opinion.author,
        act=HIGHER_ACTS[adoption.level],
        source=adoption,
        on=adoption.adopted_on,
        note=f"《{opinion.title}》",
    )


def backfill_higher(stdout) -> None:
    adoptions = HigherAdoption.objects.select_related("opinion__author").order_by("pk")
    count = 0
    for adoption in adoptions.iterator(chunk_size=500):
        credit_higher_adoption(adoption)
        count += 1
    stdout.write(f"社情民意上级采用：核对 {count} 条。\n")


register("performance_backfill", backfill_higher)
register("performance_sources", lambda: [PublicOpinion, HigherAdoption])
