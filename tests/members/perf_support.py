"""Small builders shared by the performance tests (not fixtures: plain functions)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from members.enums import PerformanceAct
from members.models import Member, Sector
from members.performance.models import MemberYearScore, PerformanceRecord, ScoringRule, Training

YEAR = 2030  # a year the demo district has no data for


def new_member(name: str, sector: Sector | None = None, **fields) -> Member:
    sector = sector or Sector.objects.get_or_create(name="测试界别", defaults={"order": 999})[0]
    return Member.objects.create(name=name, gender="男", sector=sector, **fields)


def rule(act: str, points, cap=None, start: date = date(YEAR, 1, 1), end: date | None = None) -> ScoringRule:
    return ScoringRule.objects.create(
        act=act,
        points=Decimal(str(points)),
        yearly_cap=None if cap is None else Decimal(str(cap)),
        valid_from=start,
        valid_to=end,
    )


def source(title: str = "测试来源", on: date = date(YEAR, 3, 1)) -> Training:
    """Any model instance can be a ledger source; a training is the simplest."""
    return Training.objects.create(title=title, held_on=on)


def total(member: Member, year: int = YEAR) -> Decimal:
    return MemberYearScore.objects.filter(member=member, year=year).values_list("total", flat=True).first() or Decimal(
        0
    )


def snapshot() -> dict:
    return {
        (row["member_id"], row["year"]): (row["total"], row["act_count"])
        for row in MemberYearScore.objects.values("member_id", "year", "total", "act_count")
    }


A = PerformanceAct


def ledger_rows(acts=None) -> set[tuple]:
    """The ledger (or the entries of ``acts``) as comparable tuples: who, what, which source,
    when, how many points, and the note."""
    entries = PerformanceRecord.objects.all() if acts is None else PerformanceRecord.objects.filter(act__in=list(acts))
    return set(entries.values_list("member_id", "act", "source_type_id", "source_id", "on", "points", "note"))


def run_backfill(app_ledger) -> str:
    """One app's ``performance_backfill`` hook; returns what it printed (the whole command,
    every app and ``--rebuild``, is tested in tests/members/test_scoring.py)."""
    out = io.StringIO()
    app_ledger.backfill(out)
    return out.getvalue()
