"""Every write of the performance record (委员履职).

Keyword-only, ``@transaction.atomic``, each takes the acting user (``actor``) and checks
its permission. ``performance_record`` / ``performance_withdraw`` are the only writers of
ledger entries: other apps call them (through their own ``ledger.py``) where the act happens.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed, require_text
from cppcc_portal.notifications import notify
from cppcc_portal.roles import whole_office_staff

from ..enums import PartyKind, PerformanceAct
from ..models import Committee, Member, PlenarySession, Sector
from .enums import AttendanceStatus, CandidateStatus, RecommendChannel, ReportStatus, RoundStatus
from .models import (
    AnnualReport,
    AnnualReportLog,
    CpcContactDuty,
    LeaderSectorDuty,
    PerformanceRecord,
    PlenaryAttendance,
    ReadingGroup,
    SelectionCandidate,
    SelectionRound,
    StudyMaterial,
    StudyReflection,
    Training,
    TrainingAttendance,
    Visit,
)
from .scoring import points_for, refresh_member_year
from .selectors import eligible_members, round_cap
from .workflow import EDITABLE_STATES, MEMBER, STAFF, allowed

# --- The ledger (谁组织谁记录): the one writer of PerformanceRecord rows --------------------------------


@transaction.atomic
def performance_record(
    *, member: Member, act: PerformanceAct | str, source: models.Model, on: date, note: str = ""
) -> PerformanceRecord:
    """Record one countable act; calling it again for the same act and source changes nothing.

    The entry carries the points of the scoring rule in force on ``on``. When the
    source's date changes (a corrected attendance), the entry follows, and the
    member's yearly totals are refreshed for every year touched.
    """

    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    points = points_for(act, on)
    record, created = PerformanceRecord.objects.get_or_create(
        member=member,
        act=act,
        source_type=source_type,
        source_id=source.pk,
        defaults={"on": on, "note": note[:200], "points": points},
    )
    if not created:
        if record.on == on and record.points == points:
            return record
        old_year = record.on.year
        record.on, record.points = on, points
        record.save(update_fields=["on", "points"])
        if old_year != on.year:
            refresh_member_year(member.pk, old_year)
    refresh_member_year(member.pk, on.year)
    return record


@transaction.atomic
def performance_withdraw(*, member: Member, act: PerformanceAct | str, source: models.Model) -> int:
    """Remove an entry whose act turned out not to have happened (a corrected attendance)."""

    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    entries = PerformanceRecord.objects.filter(member=member, act=act, source_type=source_type, source_id=source.pk)
    years = {day.year for day in entries.values_list("on", flat=True)}
    deleted, _ = entries.delete()
    for year in years:
        refresh_member_year(member.pk, year)
    return deleted


# --- 年度述职: the member writes, staff return or accept; each move is logged -------------------------


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
        staff = whole_office_staff()
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


# --- 优秀委员评选: committees and sectors recommend (capped), staff review, then publish ----------------


NEXT_STATUS = {RoundStatus.RECOMMENDING: RoundStatus.REVIEWING, RoundStatus.REVIEWING: RoundStatus.PUBLISHED}


@transaction.atomic
def round_create(*, actor, year: int, title: str, cap_percent: Decimal) -> SelectionRound:
    if not actor.has_perm("members.review_selection"):
        raise PermissionDeniedError("只有机关工作人员可以发起评选。")
    if not Decimal(5) <= Decimal(cap_percent) <= Decimal(10):
        raise ValidationFailed("推荐比例上限应在5%至10%之间。")
    if SelectionRound.objects.filter(year=year).exists():
        raise ValidationFailed(f"{year}年度的评选已经存在。")
    return SelectionRound.objects.create(year=year, title=title, cap_percent=cap_percent)


@transaction.atomic
def candidate_recommend(
    *,
    actor,
    round_: SelectionRound,
    member: Member,
    channel: str,
    reason: str,
    committee: Committee | None = None,
    sector: Sector | None = None,
) -> SelectionCandidate:
    """A committee or sector recommends a member, within the round's cap; leaders cannot be."""
    if not actor.has_perm("members.recommend_outstanding"):
        raise PermissionDeniedError("您没有推荐优秀委员的权限。")
    round_ = SelectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.RECOMMENDING:
        raise TransitionNotAllowed("推荐阶段已经结束。")
    if not eligible_members().filter(pk=member.pk).exists():
        raise ValidationFailed(f"{member.name}不在推荐范围内（主席会议成员和离任委员不参加评选）。")
    if channel == RecommendChannel.COMMITTEE:
        if committee is None:
            raise ValidationFailed("请选择推荐的专委会。")
        sector = None
        if not actor.has_perm("members.review_selection"):
            own = getattr(actor, "member", None)
            if not own or not own.committee_memberships.filter(committee=committee, role="director").exists():
                raise PermissionDeniedError("只能以本人担任主任的专委会名义推荐。")
    elif channel == RecommendChannel.SECTOR:
        if sector is None:
            raise ValidationFailed("请选择推荐的界别。")
        if not actor.has_perm("members.review_selection"):
            raise PermissionDeniedError("界别推荐由机关工作人员录入。")
        committee = None
    else:
        raise ValidationFailed("推荐渠道无效。")
    if round_.candidates.filter(member=member).exists():
        raise ValidationFailed(f"{member.name}已被推荐。")
    cap = round_cap(round_)
    if round_.candidates.count() >= cap:
        raise ValidationFailed(f"推荐人数已达上限（{cap}人，在任委员的{round_.cap_percent}%）。")
    require_text(reason, "请填写推荐理由。")
    return SelectionCandidate.objects.create(
        round=round_,
        member=member,
        channel=channel,
        committee=committee,
        sector=sector,
        reason=reason,
        recommended_by=actor,
    )


@transaction.atomic
def candidate_review(*, actor, candidate: SelectionCandidate, approve: bool, note: str = "") -> SelectionCandidate:
    if not actor.has_perm("members.review_selection"):
        raise PermissionDeniedError("只有机关工作人员可以审核候选人。")
    candidate = SelectionCandidate.objects.select_for_update(of=("self",)).select_related("round").get(pk=candidate.pk)
    if candidate.round.status != RoundStatus.REVIEWING:
        raise TransitionNotAllowed("评选不在审核阶段。")
    candidate.status = CandidateStatus.APPROVED if approve else CandidateStatus.REJECTED
    candidate.review_note = note[:200]
    candidate.save(update_fields=["status", "review_note"])
    return candidate


@transaction.atomic
def round_advance(*, actor, round_: SelectionRound) -> SelectionRound:
    """推荐中 → 审核中 → 已公布. Publishing needs every candidate reviewed; winners are told."""
    if not actor.has_perm("members.review_selection"):
        raise PermissionDeniedError("只有机关工作人员可以推进评选。")
    round_ = SelectionRound.objects.select_for_update().get(pk=round_.pk)
    target = NEXT_STATUS.get(round_.status)
    if target is None:
        raise TransitionNotAllowed("评选结果已经公布。")
    if target == RoundStatus.PUBLISHED:
        if round_.candidates.filter(status=CandidateStatus.RECOMMENDED).exists():
            raise ValidationFailed("还有候选人未审核，不能公布。")
        round_.published_at = timezone.now()
        winners = round_.candidates.filter(status=CandidateStatus.APPROVED).select_related("member__user")
        notify(
            [c.member.user for c in winners if c.member.user_id],
            kind="selection",
            subject=f"您被评为{round_.year}年度优秀委员",
            link=round_.get_absolute_url(),
        )
    round_.status = target
    round_.save(update_fields=["status", "published_at"])
    return round_


# --- Study (学习): materials, reading groups, reflections, trainings; plenary attendance ------------


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDeniedError("您没有执行此操作的权限。")


@transaction.atomic
def material_publish(
    *, actor, title: str, body: str, link: str = "", group: ReadingGroup | None = None
) -> StudyMaterial:
    _require(actor, "members.manage_study")
    return StudyMaterial.objects.create(
        title=title, body=body, link=link, group=group, published_on=timezone.localdate(), created_by=actor
    )


@transaction.atomic
def group_create(*, actor, name: str, description: str = "", members=()) -> ReadingGroup:
    _require(actor, "members.manage_study")
    group = ReadingGroup.objects.create(name=name, description=description)
    group.members.set(members)
    return group


@transaction.atomic
def reflection_submit(
    *, actor, member: Member, title: str, body: str, material: StudyMaterial | None = None, on: date | None = None
) -> StudyReflection:
    """A member files a 学习心得: one ledger entry (学习心得) on the day it is filed."""
    on_behalf = actor.has_perm("members.manage_study")  # staff enter reflections handed in on paper
    if not on_behalf:
        _require(actor, "members.submit_reflection")
        if member.user_id != actor.pk:
            raise PermissionDeniedError("只能以本人名义提交学习心得。")
    require_text(body, "学习心得正文不能为空。")
    reflection = StudyReflection.objects.create(
        member=member, material=material, title=title, body=body, submitted_on=on or timezone.localdate()
    )
    performance_record(
        member=member, act=PerformanceAct.STUDY_REFLECTION, source=reflection, on=reflection.submitted_on, note=title
    )
    return reflection


@transaction.atomic
def reflection_mark_excellent(*, actor, reflection: StudyReflection, excellent: bool = True) -> StudyReflection:
    _require(actor, "members.manage_study")
    reflection = StudyReflection.objects.select_for_update().get(pk=reflection.pk)
    reflection.is_excellent = excellent
    reflection.marked_by = actor if excellent else None
    reflection.save(update_fields=["is_excellent", "marked_by"])
    return reflection


@transaction.atomic
def training_create(*, actor, title: str, held_on: date, location: str = "", description: str = "") -> Training:
    _require(actor, "members.manage_attendance")
    return Training.objects.create(
        title=title, held_on=held_on, location=location, description=description, created_by=actor
    )


def _sync_attendance_entry(row, *, attended_act: str, leave_act: str | None, on: date, note: str) -> None:
    """Make the ledger say exactly what the attendance row says (corrections included)."""
    wanted = {AttendanceStatus.ATTENDED: attended_act, AttendanceStatus.LEAVE: leave_act}.get(row.status)
    for act in {attended_act, leave_act} - {wanted, None}:
        performance_withdraw(member=row.member, act=act, source=row)
    if wanted:
        performance_record(member=row.member, act=wanted, source=row, on=on, note=note)


def _attendance_row(row, status: str, new):
    """The attendance row saying ``status``: ``new`` (unsaved) saved when there was none, the row
    updated when it said otherwise; ``None`` when it already said so (nothing to do)."""
    if status not in AttendanceStatus.values:
        raise ValidationFailed("出席情况无效。")
    if row is None:
        new.save()
        return new
    if row.status == status:
        return None
    row.status = status
    row.save(update_fields=["status"])
    return row


@transaction.atomic
def training_record_attendance(*, actor, training: Training, statuses: dict[int, str]) -> int:
    """``statuses``: member id -> AttendanceStatus (or "" to clear). Returns rows changed."""
    _require(actor, "members.manage_attendance")
    training = Training.objects.select_for_update().get(pk=training.pk)
    changed = 0
    existing = {row.member_id: row for row in training.attendance.select_related("member")}
    members = Member.objects.in_bulk(statuses.keys())
    for member_id, status in statuses.items():
        row = existing.get(member_id)
        if not status:
            if row:
                row.status = AttendanceStatus.ABSENT
                _sync_attendance_entry(
                    row, attended_act=PerformanceAct.TRAINING, leave_act=None, on=training.held_on, note=training.title
                )
                row.delete()
                changed += 1
            continue
        row = _attendance_row(
            row, status, TrainingAttendance(training=training, member=members[member_id], status=status)
        )
        if row is None:
            continue
        _sync_attendance_entry(
            row, attended_act=PerformanceAct.TRAINING, leave_act=None, on=training.held_on, note=training.title
        )
        changed += 1
    return changed


@transaction.atomic
def plenary_record_attendance(*, actor, session: PlenarySession, statuses: dict[int, str]) -> int:
    """Staff record plenary attendance; 出席/请假 each write one ledger entry, corrections follow."""
    _require(actor, "members.record_plenary_attendance")
    session = PlenarySession.objects.select_for_update().get(pk=session.pk)
    existing = {row.member_id: row for row in session.attendance.select_related("member")}
    members = Member.objects.in_bulk(statuses.keys())
    changed = 0
    for member_id, status in statuses.items():
        row = _attendance_row(
            existing.get(member_id),
            status,
            PlenaryAttendance(session=session, member=members[member_id], status=status),
        )
        if row is None:
            continue
        _sync_attendance_entry(
            row,
            attended_act=PerformanceAct.PLENARY_ATTENDED,
            leave_act=PerformanceAct.PLENARY_LEAVE,
            on=session.opens_on,
            note=session.name,
        )
        changed += 1
    return changed


# --- 联系委员制度: leaders ↔ sectors, CPC members ↔ non-CPC members, and visits (走访) --------------------


def _manage(actor) -> None:
    if not actor.has_perm("members.manage_contacts"):
        raise PermissionDeniedError("只有机关工作人员可以分配联系任务。")


@transaction.atomic
def leader_sector_assign(*, actor, leader: Member, sector: Sector) -> LeaderSectorDuty:
    _manage(actor)
    if not (leader.position and leader.position.is_leadership):
        raise ValidationFailed(f"{leader.name}不是主席会议成员，不能联系界别。")
    duty, _ = LeaderSectorDuty.objects.get_or_create(leader=leader, sector=sector)
    return duty


@transaction.atomic
def cpc_contact_assign(*, actor, cpc_member: Member, non_cpc_member: Member) -> CpcContactDuty:
    """Each non-CPC member has one CPC contact; assigning again replaces the old one."""
    _manage(actor)
    if not (cpc_member.party and cpc_member.party.kind == PartyKind.CPC):
        raise ValidationFailed(f"{cpc_member.name}不是中共党员委员。")
    if non_cpc_member.party and non_cpc_member.party.kind == PartyKind.CPC:
        raise ValidationFailed(f"{non_cpc_member.name}是中共党员，不属于党外委员。")
    duty, _ = CpcContactDuty.objects.update_or_create(
        non_cpc_member=non_cpc_member, defaults={"cpc_member": cpc_member}
    )
    return duty


@transaction.atomic
def duty_remove(*, actor, duty: LeaderSectorDuty | CpcContactDuty) -> None:
    _manage(actor)
    duty.delete()


@transaction.atomic
def visit_record(*, actor, member: Member, visited_on: date, content: str, issues: str = "") -> Visit:
    if not actor.has_perm("members.record_visit"):
        raise PermissionDeniedError("只有机关工作人员和主席会议成员可以记录走访。")
    require_text(content, "请填写走访内容。")
    if visited_on > date.today():
        raise ValidationFailed("走访日期不能晚于今天。")
    return Visit.objects.create(member=member, visitor=actor, visited_on=visited_on, content=content, issues=issues)
