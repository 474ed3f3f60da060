"""Reads for the performance pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from ..models import Member, Term
from . import scoring
from .enums import CandidateStatus, ReportStatus, RoundStatus
from .models import AnnualReport, PerformanceRecord, ScoreBand, SelectionCandidate


@dataclass
class Entry:
    record: PerformanceRecord
    url: str
    source_label: str


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


def member_record(member: Member, term: Term, *, years: list[int] | None = None) -> list[YearRecord]:
    """The 履职档案 for one term, year by year (newest first)."""
    band_list = scoring.bands()
    reqs = scoring.requirements()
    reports = {
        report.year: report for report in AnnualReport.objects.filter(member=member, status=ReportStatus.ACCEPTED)
    }
    awards = honours(member)
    result = []
    for year in years or term_years(term):
        total, band, rank, size = year_score(member, year, band_list)
        result.append(
            YearRecord(
                year=year,
                total=total,
                band=band,
                rank=rank,
                sector_size=size,
                lines=scoring.year_act_lines(member.pk, year),
                entries=year_entries(member, year),
                five_ones=scoring.five_ones_progress(member.pk, year, reqs),
                report=reports.get(year),
                honours=[award for award in awards if award.round.year == year],
            )
        )
    return result
