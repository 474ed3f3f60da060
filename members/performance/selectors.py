"""Reads for the performance pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from cppcc_portal.years import year_choices

from ..models import Member, Term
from . import scoring
from .enums import CandidateStatus, ReportStatus, RoundStatus
from .models import AnnualReport, PerformanceRecord, ScoreBand, SelectionCandidate, SelectionRound, Visit


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
