"""Reads for the performance pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from cppcc_portal.hooks import get_hooks
from cppcc_portal.years import year_choices

from ..enums import PerformanceAct
from ..models import Member, Term
from ..terms.selectors import sector_at, sector_name_on, span_then
from . import scoring
from .enums import CandidateStatus, ReportStatus, RoundStatus
from .models import (
    AnnualReport,
    MemberYearScore,
    PerformanceRecord,
    ScoreBand,
    SelectionCandidate,
    SelectionRound,
    Visit,
)


@dataclass
class Entry:
    record: PerformanceRecord
    url: str
    source_label: str
    sector: str = ""  # the 界别 the member had on the entry's date (the term membership valid then)


@dataclass
class YearRecord:
    year: int
    total: Decimal
    band: ScoreBand | None
    rank: int
    sector_size: int
    lines: list[scoring.ActLine]
    entries: list[Entry]
    five_ones: list[scoring.FiveOnesLine]
    report: AnnualReport | None
    honours: list[SelectionCandidate] = field(default_factory=list)

    @property
    def five_ones_complete(self) -> bool:
        return bool(self.five_ones) and all(line.met for line in self.five_ones)


def term_years(term: Term, today: date | None = None) -> list[int]:
    today = today or timezone.localdate()
    last = min(term.end_date.year, today.year)
    return list(range(last, term.start_date.year - 1, -1))


def source_url(source) -> str:
    getter = getattr(source, "get_absolute_url", None)
    try:
        return getter() if getter else ""
    except Exception:  # noqa: BLE001  (a source whose URL cannot be built shows without a link)
        return ""


def year_entries(member: Member, year: int) -> list[Entry]:
    records = (
        PerformanceRecord.objects.filter(member=member, on__year=year)
        .select_related("source_type")
        .prefetch_related("source")
        .order_by("on", "id")
    )
    return [
        Entry(record, source_url(record.source), str(record.source) if record.source else "（来源已删除）")
        for record in records
    ]


def honours(member: Member) -> list[SelectionCandidate]:
    """Published outstanding-member awards."""
    return list(
        SelectionCandidate.objects.filter(
            member=member, status=CandidateStatus.APPROVED, round__status=RoundStatus.PUBLISHED
        )
        .select_related("round")
        .order_by("-round__year")
    )


def year_score(member: Member, year: int, band_list=None) -> tuple[Decimal, ScoreBand | None, int, int]:
    score = member.year_scores.filter(year=year).values_list("total", flat=True).first() or scoring.ZERO
    rank, size = scoring.sector_rank(member, year, score)
    return score, scoring.band_for(score, band_list), rank, size


def member_record(
    member: Member, term: Term, *, years: list[int] | None = None, awards: list[SelectionCandidate] | None = None
) -> list[YearRecord]:
    """The 履职档案 for one term, year by year (newest first).

    A fixed number of queries however many years and entries: every per-year figure
    (score, rank in sector, act lines, entries, 五个一) comes from one query over all years.
    """
    years = years or term_years(term)
    band_list = scoring.bands()
    reqs = scoring.requirements()
    reports = {
        report.year: report for report in AnnualReport.objects.filter(member=member, status=ReportStatus.ACCEPTED)
    }
    awards = honours(member) if awards is None else awards
    totals = dict(member.year_scores.filter(year__in=years).values_list("year", "total"))
    ranks = _sector_ranks(member, {year: totals.get(year) or scoring.ZERO for year in years})
    lines = _act_lines(member.pk, years)
    entries = _entries(member, years)
    five_ones = _five_ones(member.pk, years, reqs)
    result = []
    for year in years:
        total = totals.get(year) or scoring.ZERO
        rank, size = ranks[year]
        result.append(
            YearRecord(
                year=year,
                total=total,
                band=scoring.band_for(total, band_list),
                rank=rank,
                sector_size=size,
                lines=lines.get(year, []),
                entries=entries.get(year, []),
                five_ones=five_ones.get(year, []),
                report=reports.get(year),
                honours=[award for award in awards if award.round.year == year],
            )
        )
    return result


def _sector_ranks(member: Member, totals: dict[int, Decimal]) -> dict[int, tuple[int, int]]:
    """Per year, as ``scoring.sector_rank``: (1 + active peers with a higher total, active peers)."""
    if member.sector_id is None or not totals:
        return dict.fromkeys(totals, (1, 1))
    # One query over the sector's active members: each year's count is an index probe per member
    # on the unique (member, year) score row, not a join counted DISTINCT.
    figures = (
        Member.objects.active()
        .filter(sector_id=member.sector_id)
        .aggregate(
            size=Count("id"),
            **{
                f"y{year}": Count(
                    "id",
                    filter=Q(
                        Exists(MemberYearScore.objects.filter(member_id=OuterRef("pk"), year=year, total__gt=total))
                    ),
                )
                for year, total in totals.items()
            },
        )
    )
    size, higher = figures["size"], figures
    return {year: (higher[f"y{year}"] + 1, max(size, 1)) for year in totals}


def _act_lines(member_id: int, years: list[int]) -> dict[int, list[scoring.ActLine]]:
    """Per year, as ``scoring.year_act_lines``, from one grouped query and one read of the rules."""
    caps = scoring.caps_for_years(years)
    groups = (
        PerformanceRecord.objects.filter(member_id=member_id, on__year__in=years)
        .annotate(year=ExtractYear("on"))
        .values("year", "act")
        .annotate(count=Count("id"), raw=Sum("points"))
        .order_by("year", "act")
    )
    labels = dict(PerformanceAct.choices)
    result: dict[int, list[scoring.ActLine]] = {}
    for row in groups:
        cap = caps[row["year"]].get(row["act"])
        result.setdefault(row["year"], []).append(
            scoring.ActLine(
                act=row["act"],
                label=labels.get(row["act"], row["act"]),
                count=row["count"],
                raw=row["raw"] or scoring.ZERO,
                cap=cap,
                points=scoring.capped(row["raw"], cap),
            )
        )
    return result


def source_querysets() -> dict[type[models.Model], QuerySet]:
    """Every kind of ledger source the apps register (``performance_sources``), in a fixed order,
    each with the queryset its rows are read with: as registered, or every row with its non-null
    foreign keys (``select_related()``) for a kind registered as a bare model."""
    found: dict[type[models.Model], QuerySet] = {}
    for hook in get_hooks("performance_sources"):
        for kind in hook():
            queryset = kind if isinstance(kind, QuerySet) else kind._base_manager.select_related()
            found[queryset.model] = queryset
    return dict(sorted(found.items(), key=lambda item: item[0]._meta.label))


def source_models() -> list[type[models.Model]]:
    return list(source_querysets())


def _entries(member: Member, years: list[int]) -> dict[int, list[Entry]]:
    """The entries of ``years``, each with its source: one query per registered kind of source,
    whether or not the member has entries of it, so the page's query count never depends on
    which kinds the data holds.

    A source's label and link may read its foreign keys (an attendance names its session),
    so each kind is read with its registered queryset (``source_querysets``) rather than
    through the generic relation's plain prefetch, which would read them row by row.
    """
    mine = PerformanceRecord.objects.filter(member=member, on__year__in=years)
    records = list(mine.annotate(sector_then=sector_name_on("member", "on")).order_by("on", "id"))
    querysets = source_querysets()
    kinds = {
        source_type.pk: querysets[model]
        for model, source_type in ContentType.objects.get_for_models(*querysets, for_concrete_models=True).items()
    }
    sources: dict[tuple[int, int], object] = {}
    for type_id, queryset in kinds.items():
        for source in queryset.filter(pk__in=mine.filter(source_type_id=type_id).values("source_id")):
            sources[type_id, source.pk] = source
    # A kind no app registers (a test's throwaway source): one query more for each.
    unregistered: dict[int, set[int]] = {}
    for record in records:
        if record.source_type_id not in kinds:
            unregistered.setdefault(record.source_type_id, set()).add(record.source_id)
    for type_id, ids in unregistered.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for pk, source in model._base_manager.select_related().in_bulk(ids).items():
            sources[type_id, pk] = source
    result: dict[int, list[Entry]] = {}
    for record in records:
        source = sources.get((record.source_type_id, record.source_id))
        result.setdefault(record.on.year, []).append(
            Entry(
                record,
                source_url(source) if source else "",
                str(source) if source else "（来源已删除）",
                record.sector_then,
            )
        )
    return result


def _five_ones(member_id: int, years: list[int], reqs) -> dict[int, list[scoring.FiveOnesLine]]:
    if not reqs or not years:
        return {}
    counts = PerformanceRecord.objects.filter(member_id=member_id, on__year__in=years).aggregate(
        **{
            f"r{req.pk}_{year}": Count("id", filter=Q(act__in=req.acts, on__year=year))
            for req in reqs
            for year in years
        }
    )
    return {year: [scoring.FiveOnesLine(req, counts[f"r{req.pk}_{year}"]) for req in reqs] for year in years}


# --- 述职, 评选 and 走访 -------------------------------------------------------------------


def ledger_summary(member: Member, year: int) -> str:
    """The text a 述职 starts from: the year's ledger, act by act, with the score."""
    lines = scoring.year_act_lines(member.pk, year)
    if not lines:
        return f"{year}年度暂无履职记录。"
    total = sum((line.points for line in lines), scoring.ZERO)
    band = scoring.band_for(total)
    parts = [
        f"{year}年度共有履职记录 {sum(x.count for x in lines)} 项，得分 {total}"
        + (f"（{band.name}）" if band else "")
        + "。"
    ]
    parts += [f"· {line.label}：{line.count} 次，计 {line.points} 分" for line in lines]
    progress = scoring.five_ones_progress(member.pk, year)
    if progress:
        met = "、".join(line.requirement.name for line in progress if line.met) or "无"
        gaps = "、".join(line.requirement.name for line in progress if not line.met) or "无"
        parts.append(f"“五个一”已完成：{met}；未完成：{gaps}。")
    return "\n".join(parts)


def report_for(member: Member, year: int) -> AnnualReport:
    """The member's report for ``year``, or an unsaved draft pre-filled from the ledger."""
    report = AnnualReport.objects.filter(member=member, year=year).first()
    return report or AnnualReport(member=member, year=year, summary=ledger_summary(member, year))


def eligible_members():
    """In office and not a 主席会议成员 (leaders are excluded)."""
    return Member.objects.active().exclude(position__is_leadership=True)


def round_cap(round_: SelectionRound) -> int:
    """How many candidates the round may hold: cap_percent of eligible members, at least 1."""
    count = eligible_members().count()
    return max(1, int((Decimal(count) * round_.cap_percent / 100).to_integral_value(ROUND_FLOOR)))


def not_visited(year: int) -> QuerySet[Member]:
    """Members in office with no visit recorded in ``year`` (one query, NOT EXISTS)."""
    visited = Visit.objects.filter(member=OuterRef("pk"), visited_on__year=year)
    return (
        Member.objects.active()
        .filter(~Exists(visited))
        .select_related("sector", "party", "position", "contact_duty__cpc_member")
        .order_by("sector__order", "name")
    )


def record_years() -> list[int]:
    """The years the performance pages offer: this year back to the start of the current term
    (five years when no term is current)."""
    term = Term.current()
    return year_choices(term.start_date.year if term else timezone.localdate().year - 4)


def acts_by_sector(year: int) -> list[dict]:
    """The year's ledger per 界别, each act counted under the 界别 the member had on its date
    (the term membership valid then): rows of sector id, entries, people and points."""
    return list(
        PerformanceRecord.objects.filter(on__year=year)
        .annotate(span=span_then("member", "on"), act_sector=sector_at("span", "member"))
        .values("act_sector")
        .annotate(n=Count("id"), people=Count("member", distinct=True), points=Sum("points"))
        .order_by("act_sector")
    )
