"""Scoring rules, caps, bands, ranks, recompute; the ledger never double counts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from members.enums import PerformanceAct
from members.models import PlenarySession, Term
from members.performance import scoring, study
from members.performance.enums import AttendanceStatus
from members.performance.models import MemberYearScore, PerformanceRecord, PlenaryAttendance
from members.services import performance_record, performance_withdraw

from .perf_support import YEAR, ledger_rows, new_member, rule, snapshot, source, total

A = PerformanceAct
pytestmark = pytest.mark.django_db


@pytest.fixture
def clean_rules(demo):
    from members.performance.models import ScoringRule

    ScoringRule.objects.all().delete()


def test_entry_carries_the_points_of_the_rule_in_force_on_its_date(clean_rules):
    rule(A.PLENARY_ATTENDED, 50, end=date(YEAR, 6, 30))
    rule(A.PLENARY_ATTENDED, 40, start=date(YEAR, 7, 1))
    member = new_member("计分甲")
    first = performance_record(member=member, act=A.PLENARY_ATTENDED, source=source("上半年"), on=date(YEAR, 3, 1))
    second = performance_record(member=member, act=A.PLENARY_ATTENDED, source=source("下半年"), on=date(YEAR, 9, 1))
    assert (first.points, second.points) == (Decimal(50), Decimal(40))
    assert total(member) == Decimal(90)


def test_an_act_without_a_rule_scores_zero_but_still_counts(clean_rules):
    member = new_member("计分乙")
    performance_record(member=member, act=A.SPEECH, source=source(), on=date(YEAR, 3, 1))
    score = MemberYearScore.objects.get(member=member, year=YEAR)
    assert (score.total, score.act_count) == (Decimal(0), 1)


def test_yearly_cap_limits_an_acts_total_but_not_other_acts(clean_rules):
    rule(A.STATION_ACTIVITY, 2, cap=10)
    rule(A.SPEECH, 5)
    member = new_member("计分丙")
    for index in range(7):
        performance_record(member=member, act=A.STATION_ACTIVITY, source=source(f"活动{index}"), on=date(YEAR, 4, 1))
    performance_record(member=member, act=A.SPEECH, source=source("发言"), on=date(YEAR, 4, 2))
    lines = {line.act: line for line in scoring.year_act_lines(member.pk, YEAR)}
    assert lines[A.STATION_ACTIVITY].raw == Decimal(14)
    assert lines[A.STATION_ACTIVITY].points == Decimal(10)
    assert lines[A.STATION_ACTIVITY].is_capped
    assert total(member) == Decimal(15)


def test_the_cap_is_per_year(clean_rules):
    rule(A.RESEARCH, 6, cap=10, start=date(YEAR - 1, 1, 1))
    member = new_member("计分丁")
    for year in (YEAR - 1, YEAR):
        for index in range(2):
            performance_record(member=member, act=A.RESEARCH, source=source(f"{year}-{index}"), on=date(year, 5, 1))
    assert total(member, YEAR - 1) == total(member, YEAR) == Decimal(10)


def test_bands_are_configurable_thresholds(demo):
    band_list = scoring.bands()
    assert [band.name for band in band_list] == ["优秀", "良好", "称职", "不称职"]
    assert scoring.band_for(Decimal(90), band_list).name == "优秀"
    assert scoring.band_for(Decimal("89.9"), band_list).name == "良好"
    assert scoring.band_for(Decimal(60), band_list).name == "称职"
    assert scoring.band_for(Decimal(0), band_list).name == "不称职"
    band_list[0].min_score = Decimal(95)
    band_list[0].save()
    assert scoring.band_for(Decimal(90)).name == "良好"


def test_rank_within_sector_counts_higher_totals(clean_rules):
    rule(A.SPEECH, 5)
    first, second, third = (new_member(name) for name in ("排名甲", "排名乙", "排名丙"))
    for member, speeches in ((first, 3), (second, 1), (third, 0)):
        for index in range(speeches):
            performance_record(member=member, act=A.SPEECH, source=source(f"{member.name}{index}"), on=date(YEAR, 6, 1))
    assert scoring.sector_rank(first, YEAR, total(first)) == (1, 3)
    assert scoring.sector_rank(second, YEAR, total(second)) == (2, 3)
    assert scoring.sector_rank(third, YEAR, total(third)) == (3, 3)


def test_recording_the_same_act_twice_changes_nothing(clean_rules):
    rule(A.TRAINING, 3)
    member = new_member("重复甲")
    training = source("培训")
    for _ in range(3):
        performance_record(member=member, act=A.TRAINING, source=training, on=date(YEAR, 3, 1))
    assert PerformanceRecord.objects.filter(member=member).count() == 1
    assert total(member) == Decimal(3)


def test_an_entry_whose_date_moves_to_another_year_follows_and_both_years_are_rebuilt(clean_rules):
    rule(A.TRAINING, 3, start=date(YEAR - 1, 1, 1))
    member = new_member("跨年甲")
    training = source("培训")
    performance_record(member=member, act=A.TRAINING, source=training, on=date(YEAR - 1, 12, 30))
    performance_record(member=member, act=A.TRAINING, source=training, on=date(YEAR, 1, 3))
    assert PerformanceRecord.objects.filter(member=member).count() == 1
    assert not MemberYearScore.objects.filter(member=member, year=YEAR - 1).exists()
    assert total(member) == Decimal(3)


def test_withdraw_removes_the_entry_and_its_points(clean_rules):
    rule(A.TRAINING, 3)
    member = new_member("撤回甲")
    training = source("培训")
    performance_record(member=member, act=A.TRAINING, source=training, on=date(YEAR, 3, 1))
    assert performance_withdraw(member=member, act=A.TRAINING, source=training) == 1
    assert total(member) == Decimal(0)
    assert performance_withdraw(member=member, act=A.TRAINING, source=training) == 0


def _plenary(year: int = YEAR) -> PlenarySession:
    return PlenarySession.objects.create(
        term=Term.current(),
        number=90,
        name="测试会议",
        short_name="测试",
        year=year,
        opens_on=date(year, 1, 6),
        closes_on=date(year, 1, 9),
    )


def test_plenary_attendance_do_redo_correct_keeps_exactly_one_entry(clean_rules, demo):
    rule(A.PLENARY_ATTENDED, 50)
    rule(A.PLENARY_LEAVE, 30)
    member = new_member("出席甲")
    session = _plenary()
    staff = demo["staff"]
    study.plenary_record_attendance(actor=staff, session=session, statuses={member.pk: AttendanceStatus.ATTENDED})
    study.plenary_record_attendance(actor=staff, session=session, statuses={member.pk: AttendanceStatus.ATTENDED})
    assert list(PerformanceRecord.objects.filter(member=member).values_list("act", flat=True)) == [A.PLENARY_ATTENDED]
    assert total(member) == Decimal(50)
    study.plenary_record_attendance(actor=staff, session=session, statuses={member.pk: AttendanceStatus.LEAVE})
    assert list(PerformanceRecord.objects.filter(member=member).values_list("act", flat=True)) == [A.PLENARY_LEAVE]
    assert total(member) == Decimal(30)
    study.plenary_record_attendance(actor=staff, session=session, statuses={member.pk: AttendanceStatus.ABSENT})
    assert not PerformanceRecord.objects.filter(member=member).exists()
    assert PlenaryAttendance.objects.get(member=member).status == AttendanceStatus.ABSENT


def test_training_attendance_and_reflections_write_one_entry_each(clean_rules, demo):
    rule(A.TRAINING, 2)
    rule(A.STUDY_REFLECTION, 2)
    member = demo["member2"].member
    before = PerformanceRecord.objects.filter(member=member).count()
    training = study.training_create(actor=demo["staff"], title="测试培训", held_on=date(YEAR, 5, 1))
    for _ in range(2):
        study.training_record_attendance(actor=demo["staff"], training=training, statuses={member.pk: "attended"})
    study.reflection_submit(actor=demo["member2"], member=member, title="心得", body="正文", on=date(YEAR, 5, 2))
    assert PerformanceRecord.objects.filter(member=member).count() == before + 2
    study.training_record_attendance(actor=demo["staff"], training=training, statuses={member.pk: ""})
    assert PerformanceRecord.objects.filter(member=member).count() == before + 1
    assert total(member) == Decimal(2)


def test_staff_change_a_rule_and_recompute_the_year(clean_rules):
    old = rule(A.SPEECH, 5)
    member = new_member("重算甲")
    for index in range(2):
        performance_record(member=member, act=A.SPEECH, source=source(f"发言{index}"), on=date(YEAR, 3, 1))
    assert total(member) == Decimal(10)
    old.points = Decimal(8)
    old.yearly_cap = Decimal(12)
    old.save()
    assert total(member) == Decimal(10)  # stored until recomputed
    scoring.recompute_scores(YEAR)
    assert total(member) == Decimal(12)
    assert set(PerformanceRecord.objects.filter(member=member).values_list("points", flat=True)) == {Decimal(8)}


def test_recompute_from_scratch_gives_the_same_scores(demo):
    years = scoring.ledger_years()
    assert years, "the demo district has ledger entries"
    for year in years:
        scoring.recompute_scores(year)
    before = snapshot()
    MemberYearScore.objects.all().delete()
    PerformanceRecord.objects.update(points=0)
    for year in years:
        scoring.recompute_scores(year)
    assert snapshot() == before
    for year in years:
        scoring.recompute_scores(year)
    assert snapshot() == before


def test_rebuild_re_derives_the_whole_demo_ledger_from_every_app(demo):
    call_command("backfill_performance", "--scores-only", stdout=io.StringIO())
    before, scores_before = ledger_rows(), snapshot()
    acts = {act for _, act, *_ in before}
    # Entries from every app that writes them: members, proposals, 社情民意, consultations, stations.
    assert {A.STUDY_REFLECTION, A.PROPOSAL_FILED, A.OPINION_FILED, A.CONSULTATION_ATTENDED, A.STATION_ACTIVITY} <= acts
    out = io.StringIO()
    call_command("backfill_performance", "--rebuild", stdout=out)
    assert ledger_rows() == before
    assert snapshot() == scores_before
    for summary in ("委员履职", "提案：", "社情民意：", "协商监督", "委员联络站"):
        assert summary in out.getvalue()
    call_command("backfill_performance", stdout=io.StringIO())  # again, without --rebuild: nothing doubles
    assert ledger_rows() == before and PerformanceRecord.objects.count() == len(before)
    assert snapshot() == scores_before
