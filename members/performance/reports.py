"""年度述职: the member writes, staff return or accept; each move is logged."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.notifications import notify

from ..models import Member, User
from ..roles import Role
from . import scoring
from .enums import ReportStatus
from .models import AnnualReport, AnnualReportLog
from .workflow import EDITABLE_STATES, MEMBER, STAFF, allowed


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


def _log(report: AnnualReport, actor, from_status: str, to_status: str, note: str = "") -> None:
    AnnualReportLog.objects.create(report=report, actor=actor, from_status=from_status, to_status=to_status, note=note)


@transaction.atomic
def report_save(*, actor, member: Member, year: int, summary: str, body: str, submit: bool = False) -> AnnualReport:
    """The member saves a draft (or a returned report) and optionally submits it."""
    if not actor.has_perm("members.write_annual_report") or member.user_id != actor.pk:
        raise PermissionDeniedError("只能填写本人的年度述职。")
    report, _ = AnnualReport.objects.select_for_update().get_or_create(
        member=member, year=year, defaults={"summary": summary}
    )
    if report.status not in EDITABLE_STATES:
        raise TransitionNotAllowed(f"述职当前状态为“{report.get_status_display()}”，不能修改。")
    report.summary, report.body = summary, body
    report.save(update_fields=["summary", "body"])
    if submit:
        _move(report, actor, ReportStatus.SUBMITTED, MEMBER)
    return report


def _move(report: AnnualReport, actor, to_status: str, who: str, note: str = "") -> None:
    if allowed(report.status, to_status) != who:
        raise TransitionNotAllowed(f"述职当前状态为“{report.get_status_display()}”，不能执行该操作。")
    if to_status == ReportStatus.SUBMITTED and not report.body.strip():
        raise ValidationFailed("请填写述职正文后再提交。")
    from_status = report.status
    report.status = to_status
    now = timezone.now()
    if to_status == ReportStatus.SUBMITTED:
        report.submitted_at = now
    else:
        report.reviewed_by, report.reviewed_at, report.review_note = actor, now, note
    report.save()
    _log(report, actor, from_status, to_status, note)
    if to_status == ReportStatus.SUBMITTED:
        staff = User.objects.filter(groups__name=Role.STAFF, is_active=True)
        notify(
            staff,
            kind="annual_report",
            subject=f"{report.member.name}提交了{report.year}年度述职",
            link=report.get_absolute_url(),
        )
    elif report.member.user_id:
        verdict = "已审核通过" if to_status == ReportStatus.ACCEPTED else "被退回修改"
        notify(
            [report.member.user],
            kind="annual_report",
            subject=f"您的{report.year}年度述职{verdict}",
            body=note,
            link=f"/members/me/report/{report.year}/",
        )


@transaction.atomic
def report_review(*, actor, report: AnnualReport, accept: bool, note: str = "") -> AnnualReport:
    """Staff accept a submitted report or return it for revision (a note is required)."""
    if not actor.has_perm("members.review_annual_reports"):
        raise PermissionDeniedError("只有机关工作人员可以审核述职。")
    report = AnnualReport.objects.select_for_update(of=("self",)).select_related("member__user").get(pk=report.pk)
    if not accept and not note.strip():
        raise ValidationFailed("退回修改时请填写审核意见。")
    _move(report, actor, ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED, STAFF, note)
    return report
