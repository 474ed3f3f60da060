"""年度述职: written by the member, returned or accepted by staff; accepted reports join the file."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.models import Notification
from members.performance import reports
from members.performance.enums import ReportStatus
from members.performance.models import AnnualReport
from members.performance.workflow import TRANSITIONS, allowed

pytestmark = pytest.mark.django_db


def test_transition_table_walk():
    every = list(ReportStatus)
    for source in every:
        for target in every:
            who = allowed(source, target)
            assert who == TRANSITIONS[source].get(target)
    assert allowed(ReportStatus.ACCEPTED, ReportStatus.RETURNED) is None
    assert allowed(ReportStatus.DRAFT, ReportStatus.ACCEPTED) is None


def test_the_form_is_prefilled_with_the_years_ledger_summary(demo):
    member = demo["member2"].member
    report = reports.report_for(member, 2025)
    assert report.pk is None
    assert "2025年度共有履职记录" in report.summary
    assert "出席全体会议" in report.summary


def test_full_cycle_submit_return_resubmit_accept(demo):
    member_user, staff = demo["member2"], demo["staff"]
    member = member_user.member
    year = timezone.localdate().year
    report = reports.report_save(actor=member_user, member=member, year=year, summary="摘要", body="")
    assert report.status == ReportStatus.DRAFT
    with pytest.raises(ValidationFailed):
        reports.report_save(actor=member_user, member=member, year=year, summary="摘要", body="", submit=True)
    report = reports.report_save(actor=member_user, member=member, year=year, summary="摘要", body="正文", submit=True)
    assert report.status == ReportStatus.SUBMITTED
    assert Notification.objects.filter(recipient=staff, kind="annual_report").exists()
    with pytest.raises(TransitionNotAllowed):
        reports.report_save(actor=member_user, member=member, year=year, summary="改", body="改")
    with pytest.raises(ValidationFailed):
        reports.report_review(actor=staff, report=report, accept=False, note="")
    reports.report_review(actor=staff, report=report, accept=False, note="请补充调研情况")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    reports.report_save(actor=member_user, member=member, year=year, summary="摘要", body="补充后的正文", submit=True)
    reports.report_review(actor=staff, report=report, accept=True, note="同意")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert [(e.from_status, e.to_status) for e in report.log.all()] == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "accepted"),
    ]
    with pytest.raises(TransitionNotAllowed):
        reports.report_review(actor=staff, report=report, accept=True)


def test_only_the_member_writes_and_only_staff_review(demo):
    member = demo["member2"].member
    with pytest.raises(PermissionDeniedError):
        reports.report_save(actor=demo["member1"], member=member, year=2026, summary="", body="x")
    report = reports.report_save(actor=demo["member2"], member=member, year=2026, summary="", body="x", submit=True)
    with pytest.raises(PermissionDeniedError):
        reports.report_review(actor=demo["leader"], report=report, accept=True)


def test_through_the_pages_and_the_accepted_report_joins_the_file(demo, client):
    year = timezone.localdate().year
    member = demo["member2"].member
    client.force_login(demo["member2"])
    page = client.get(f"/members/me/report/{year}/")
    assert f"{year}年度共有履职记录" in page.content.decode()
    response = client.post(
        f"/members/me/report/{year}/", {"summary": "摘要", "body": "一年来认真履职。", "submit": "1"}, follow=True
    )
    assert "述职已提交" in response.content.decode()
    report = AnnualReport.objects.get(member=member, year=year)
    client.force_login(demo["member1"])
    assert client.get(f"/members/reports/{report.pk}/").status_code == 403
    client.force_login(demo["staff"])
    response = client.post(f"/members/reports/{report.pk}/", {"note": "", "accept": "1"}, follow=True)
    assert "审核通过" in response.content.decode()
    client.force_login(demo["member2"])
    record = client.get(f"/members/{member.pk}/record/").content.decode()
    assert "一年来认真履职。" in record


def test_accepted_report_cannot_be_edited_through_the_page(demo, client):
    report = AnnualReport.objects.get(member__user__username="member1", year=2025)
    client.force_login(demo["member1"])
    response = client.post("/members/me/report/2025/", {"summary": "x", "body": "改写"}, follow=True)
    assert "不能修改" in response.content.decode()
    report.refresh_from_db()
    assert report.body != "改写"
