"""Points, caps, bands and 五个一: everything derived from the performance ledger.

Each ledger entry stores the points of the rule in force on its date
(``PerformanceRecord.points``). A member's yearly total is the sum, per act, of
those points capped by the act's yearly cap, and is kept in ``MemberYearScore``:

* ``performance_record`` refreshes the one member-year it touched;
* ``recompute_scores(year)`` re-prices every entry of the year under the rules
  now in force and rebuilds every member's total from scratch. Running it twice,
  or after the ledger was rebuilt by ``backfill_performance``, gives the same rows.

The cap of an act for a year is the cap of the latest rule for that act whose
validity overlaps the year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import add, or_

from django.db import transaction
from django.db.models import (
    Count,
    DecimalField,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from ..enums import PerformanceAct
from ..models import Member
from .models import FiveOnesRequirement, MemberYearScore, PerformanceRecord, ScoreBand, ScoringRule

ZERO = Decimal("0")


def rules_in_force(on_ref: str = "on") -> QuerySet[ScoringRule]:
    """Rules matching the outer row's act and valid on its date (for a Subquery)."""
    return (
        ScoringRule.objects.filter(act=OuterRef("act"), valid_from__lte=OuterRef(on_ref))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef(on_ref)))
        .order_by("-valid_from")
    )


def points_for(act: str, on: date) -> Decimal:
    rule = (
        ScoringRule.objects.filter(act=act, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .values_list("points", flat=True)
        .first()
    )
    return rule if rule is not None else ZERO


def caps_for_year(year: int) -> dict[str, Decimal | None]:
    """act -> yearly cap (None = no cap) of the latest rule overlapping ``year``."""
    caps: dict[str, Decimal | None] = {}
    rules = (
        ScoringRule.objects.filter(valid_from__lte=date(year, 12, 31))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date(year, 1, 1)))
        .order_by("act", "valid_from")
        .values_list("act", "yearly_cap")
    )
    for act, cap in rules:
        caps[act] = cap  # later rules overwrite earlier ones
    return caps


def caps_for_years(years: list[int]) -> dict[int, dict[str, Decimal | None]]:
    """``caps_for_year`` for several years from one read of the rules."""
    if not years:
        return {}
    rules = list(
        ScoringRule.objects.filter(valid_from__lte=date(max(years), 12, 31))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date(min(years), 1, 1)))
        .order_by("act", "valid_from")
        .values_list("act", "yearly_cap", "valid_from", "valid_to")
    )
    result: dict[int, dict[str, Decimal | None]] = {}
    for year in years:
        caps: dict[str, Decimal | None] = {}
        for act, cap, valid_from, valid_to in rules:
            if valid_from <= date(year, 12, 31) and (valid_to is None or valid_to >= date(year, 1, 1)):
                caps[act] = cap  # later rules overwrite earlier ones
        result[year] = caps
    return result


def capped(raw: Decimal | None, cap: Decimal | None) -> Decimal:
    raw = raw or ZERO
    return raw if cap is None else min(raw, cap)


@dataclass(frozen=True)
class ActLine:
    act: str
    label: str
    count: int
    raw: Decimal
    cap: Decimal | None
    points: Decimal

    @property
    def is_capped(self) -> bool:
        return self.points < self.raw


def year_act_lines(member_id: int, year: int) -> list[ActLine]:
    """Per act: how many entries, the raw points and the points after the cap."""
    caps = caps_for_year(year)
    groups = (
        PerformanceRecord.objects.filter(member_id=member_id, on__year=year)
        .values("act")
        .annotate(count=Count("id"), raw=Sum("points"))
        .order_by("act")
    )
    labels = dict(PerformanceAct.choices)
    return [
        ActLine(
            act=row["act"],
            label=labels.get(row["act"], row["act"]),
            count=row["count"],
            raw=row["raw"] or ZERO,
            cap=caps.get(row["act"]),
            points=capped(row["raw"], caps.get(row["act"])),
        )
        for row in groups
    ]


# Inside ``refresh_deferred()`` the (member, year) totals to rebuild are collected here.
_deferred: ContextVar[set[tuple[int, int]] | None] = ContextVar("deferred_score_refresh", default=None)


@contextmanager
def refresh_deferred() -> Iterator[None]:
    """Rebuild each touched member-year total once, when the block ends, instead of after
    every ledger entry (``seed_demo`` writes a year of entries at once)."""
    if _deferred.get() is not None:  # already deferred by an outer block
        yield
        return
    token = _deferred.set(set())
    try:
        yield
        pending = _deferred.get() or set()
    finally:
        _deferred.reset(token)
    for member_id, year in sorted(pending):
        refresh_member_year(member_id, year)


def refresh_member_year(member_id: int, year: int) -> MemberYearScore | None:
    """Rebuild one member's total for one year from their ledger entries."""
    pending = _deferred.get()
    if pending is not None:
        pending.add((member_id, year))
        return None
    lines = year_act_lines(member_id, year)
    if not lines:
        MemberYearScore.objects.filter(member_id=member_id, year=year).delete()
        return None
    score, _ = MemberYearScore.objects.update_or_create(
        member_id=member_id,
        year=year,
        defaults={
            "total": sum((line.points for line in lines), ZERO),
            "act_count": sum(x.count for x in lines),
            "act_counts": {line.act: line.count for line in lines},
            "act_points": {line.act: str(line.raw) for line in lines},
        },
    )
    return score


@transaction.atomic
def recompute_scores(year: int) -> int:
    """Re-price every entry of ``year`` under the rules in force and rebuild all totals.

    Returns the number of members with a score. The entries' points are set by one
    UPDATE (a correlated subquery on the rules table); the totals come from one
    GROUP BY (member, act) query.
    """
    entries = PerformanceRecord.objects.filter(on__year=year)
    entries.update(points=Coalesce(Subquery(rules_in_force().values("points")[:1]), Value(ZERO)))
    caps = caps_for_year(year)
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    counts: dict[int, int] = defaultdict(int)
    act_counts: dict[int, dict[str, int]] = defaultdict(dict)
    act_points: dict[int, dict[str, str]] = defaultdict(dict)
    groups = entries.values("member_id", "act").annotate(count=Count("id"), raw=Sum("points")).order_by()
    for row in groups:
        member_id = row["member_id"]
        totals[member_id] += capped(row["raw"], caps.get(row["act"]))
        counts[member_id] += row["count"]
        act_counts[member_id][row["act"]] = row["count"]
        act_points[member_id][row["act"]] = str(row["raw"] or ZERO)
    MemberYearScore.objects.filter(year=year).delete()
    MemberYearScore.objects.bulk_create(
        [
            MemberYearScore(
                member_id=member_id,
                year=year,
                total=total,
                act_count=counts[member_id],
                act_counts=act_counts[member_id],
                act_points=act_points[member_id],
            )
            for member_id, total in totals.items()
        ],
        batch_size=1000,
    )
    return len(totals)


def ledger_years() -> list[int]:
    return sorted({day.year for day in PerformanceRecord.objects.dates("on", "year")})


# --- Bands -------------------------------------------------------------------------


def bands() -> list[ScoreBand]:
    """Bands from the highest threshold down."""
    return list(ScoreBand.objects.order_by("-min_score"))


def band_for(total: Decimal, band_list: list[ScoreBand] | None = None) -> ScoreBand | None:
    for band in band_list if band_list is not None else bands():
        if total >= band.min_score:
            return band
    return None


def band_filters(band_list: list[ScoreBand], field: str = "total") -> list[tuple[ScoreBand, Q]]:
    """A ``Q`` per band on ``field`` (for conditional counts): [min, next band's min)."""
    filters = []
    upper = None
    for band in band_list:
        condition = Q(**{f"{field}__gte": band.min_score})
        if upper is not None:
            condition &= Q(**{f"{field}__lt": upper})
        filters.append((band, condition))
        upper = band.min_score
    return filters


def scored_members(year: int, queryset: QuerySet[Member] | None = None) -> QuerySet[Member]:
    """Members annotated with ``year_total`` and ``year_acts`` (0 when they have no entry)."""
    queryset = Member.objects.active() if queryset is None else queryset
    return queryset.annotate(
        year_score=FilteredRelation("year_scores", condition=Q(year_scores__year=year)),
        year_total=Coalesce("year_score__total", Value(ZERO)),
        year_acts=Coalesce("year_score__act_count", Value(0)),
    )


def sector_rank(member: Member, year: int, total: Decimal) -> tuple[int, int]:
    """(rank, members in sector): 1 + members of the same sector with a higher total."""
    if member.sector_id is None:
        return 1, 1
    peers = scored_members(year, Member.objects.active().filter(sector_id=member.sector_id))
    figures = peers.aggregate(higher=Count("id", filter=Q(year_total__gt=total)), size=Count("id"))
    return figures["higher"] + 1, max(figures["size"], 1)


# --- 五个一 ------------------------------------------------------------------------


@dataclass(frozen=True)
class FiveOnesLine:
    requirement: FiveOnesRequirement
    count: int

    @property
    def met(self) -> bool:
        return self.count >= self.requirement.minimum


def requirements() -> list[FiveOnesRequirement]:
    return list(FiveOnesRequirement.objects.filter(is_active=True).order_by("order", "id"))


def five_ones_progress(member_id: int, year: int, reqs: list[FiveOnesRequirement] | None = None) -> list[FiveOnesLine]:
    reqs = requirements() if reqs is None else reqs
    if not reqs:
        return []
    counts = PerformanceRecord.objects.filter(member_id=member_id, on__year=year).aggregate(
        **{f"r{req.pk}": Count("id", filter=Q(act__in=req.acts)) for req in reqs}
    )
    return [FiveOnesLine(req, counts[f"r{req.pk}"]) for req in reqs]


def five_ones_annotated(year: int, reqs: list[FiveOnesRequirement], queryset: QuerySet[Member] | None = None):
    """Members annotated with ``r<pk>`` = entries counting towards each requirement in ``year``."""
    queryset = Member.objects.active() if queryset is None else queryset
    return queryset.annotate(
        **{
            f"r{req.pk}": Count(
                "performance",
                filter=Q(performance__on__year=year, performance__act__in=req.acts),
            )
            for req in reqs
        }
    )


def _score_count(act: str, prefix: str = "year_score__") -> Coalesce:
    """Entries of ``act`` in the year, read from the member's score row (0 without one)."""
    return Coalesce(Cast(KeyTextTransform(act, f"{prefix}act_counts"), IntegerField()), Value(0))


def five_ones_from_scores(year: int, reqs: list[FiveOnesRequirement]) -> QuerySet[Member]:
    """Like ``five_ones_annotated``, but from ``MemberYearScore.act_counts``: one row per
    member instead of the year's ledger (the statistics page, at a city's size)."""
    queryset = scored_members(year)
    return queryset.annotate(
        **{f"r{req.pk}": reduce(add, [_score_count(act) for act in req.acts] or [Value(0)]) for req in reqs}
    )


def act_totals(year: int) -> list[dict]:
    """Per act, over active members' score rows of ``year``: entries, members, raw points. One query."""
    scores = MemberYearScore.objects.filter(year=year, member__status="active")
    figures = scores.aggregate(
        **{
            f"{key}_{act}": aggregate
            for act in PerformanceAct.values
            for key, aggregate in (
                ("n", Sum(_score_count(act, prefix=""))),
                ("people", Count("id", filter=Q(act_counts__has_key=act))),
                (
                    "points",
                    Sum(
                        Cast(
                            KeyTextTransform(act, "act_points"),
                            DecimalField(max_digits=9, decimal_places=1),
                        )
                    ),
                ),
            )
        }
    )
    rows = [
        {
            "act": act,
            "n": figures[f"n_{act}"] or 0,
            "people": figures[f"people_{act}"],
            "points": figures[f"points_{act}"] or ZERO,
        }
        for act in PerformanceAct.values
    ]
    return sorted((row for row in rows if row["n"]), key=lambda row: (-row["n"], row["act"]))


def gap_filter(reqs: list[FiveOnesRequirement]) -> Q:
    return reduce(or_, (Q(**{f"r{req.pk}__lt": req.minimum}) for req in reqs))


def complete_filter(reqs: list[FiveOnesRequirement]) -> Q:
    return Q(**{f"r{req.pk}__gte": req.minimum for req in reqs})


def members_with_gaps(year: int, reqs: list[FiveOnesRequirement] | None = None) -> QuerySet[Member]:
    """Active members short of a requirement in ``year``, read from their score rows (one row
    per member, not the year's ledger)."""
    reqs = requirements() if reqs is None else reqs
    if not reqs:
        return Member.objects.none()
    return (
        five_ones_from_scores(year, reqs)
        .filter(gap_filter(reqs))
        .select_related("sector")
        .order_by("sector__order", "name")
    )
