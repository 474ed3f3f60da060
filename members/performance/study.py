"""Study (学习): materials, reading groups, reflections, trainings; plenary attendance.

Every write that is a countable act goes to the ledger through
``members.services.performance_record`` / ``performance_withdraw``.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed

from ..enums import PerformanceAct
from ..models import Member, PlenarySession
from ..services import performance_record, performance_withdraw
from .enums import AttendanceStatus
from .models import PlenaryAttendance, ReadingGroup, StudyMaterial, StudyReflection, Training, TrainingAttendance


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
    if not body.strip():
        raise ValidationFailed("学习心得正文不能为空。")
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
        if status not in AttendanceStatus.values:
            raise ValidationFailed("出席情况无效。")
        if row is None:
            row = TrainingAttendance.objects.create(training=training, member=members[member_id], status=status)
        elif row.status != status:
            row.status = status
            row.save(update_fields=["status"])
        else:
            continue
        _sync_attendance_entry(
            row, attended_act=PerformanceAct.TRAINING, leave_act=None, on=training.held_on, note=training.title
        )
        changed += 1
    return changed


@transaction.atomic
def plenary_record_attendance(*, actor, session: PlenarySession, statuses: dict[int, str]) -> int:
    """Staff record plenary attendance; 出席/请假 each write one ledger entry, corrections follow."""
    _require(actor, "members.manage_attendance")
    session = PlenarySession.objects.select_for_update().get(pk=session.pk)
    existing = {row.member_id: row for row in session.attendance.select_related("member")}
    members = Member.objects.in_bulk(statuses.keys())
    changed = 0
    for member_id, status in statuses.items():
        if status not in AttendanceStatus.values:
            raise ValidationFailed("出席情况无效。")
        row = existing.get(member_id)
        if row is None:
            row = PlenaryAttendance.objects.create(session=session, member=members[member_id], status=status)
        elif row.status != status:
            row.status = status
            row.save(update_fields=["status"])
        else:
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


def backfill(stdout) -> None:
    """(Re)derive the ledger entries whose sources live in ``members``."""
    count = 0
    for reflection in StudyReflection.objects.select_related("member").iterator():
        performance_record(
            member=reflection.member,
            act=PerformanceAct.STUDY_REFLECTION,
            source=reflection,
            on=reflection.submitted_on,
            note=reflection.title,
        )
        count += 1
    for row in TrainingAttendance.objects.select_related("member", "training").iterator():
        _sync_attendance_entry(
            row, attended_act=PerformanceAct.TRAINING, leave_act=None, on=row.training.held_on, note=row.training.title
        )
        count += 1
    for row in PlenaryAttendance.objects.select_related("member", "session").iterator():
        _sync_attendance_entry(
            row,
            attended_act=PerformanceAct.PLENARY_ATTENDED,
            leave_act=PerformanceAct.PLENARY_LEAVE,
            on=row.session.opens_on,
            note=row.session.name,
        )
        count += 1
    stdout.write(f"委员履职（学习心得、培训、全体会议出席）：核对 {count} 条来源。\n")
