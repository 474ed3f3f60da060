"""The plenary week (大会): its days, its discussion groups (分组讨论), and attendance per day.

Writes check ``members.manage_attendance`` like ``services.plenary_record_attendance``, which
they feed: each member's day rows roll up into the one session row (出席 if present on any
day, else 请假 if on leave any day, else 缺席), so the ledger credits a plenary once however
many days are recorded, and a plenary sitting that also appears as a consultation session
credits nothing there (``consultations/ledger.py``).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import BigIntegerField, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cppcc_portal.errors import ValidationFailed, require_text

from ..models import Member, PlenarySession, Sector
from ..terms.models import TermMembership
from ..terms.selectors import valid_on
from .enums import AttendanceStatus
from .models import PlenaryAttendance, PlenaryDay, PlenaryDayAttendance, PlenaryGroup
from .services import _require, plenary_record_attendance


def rolled_up(statuses: list[str]) -> str:
    if AttendanceStatus.ATTENDED in statuses:
        return AttendanceStatus.ATTENDED
    if AttendanceStatus.LEAVE in statuses:
        return AttendanceStatus.LEAVE
    return AttendanceStatus.ABSENT


@transaction.atomic
def plenary_day_add(
    *, actor, session: PlenarySession, on: date, title: str, is_group_discussion: bool = False
) -> PlenaryDay:
    _require(actor, "members.manage_attendance")
    require_text(title, "请填写议程，如：开幕大会、分组讨论。")
    if not session.opens_on <= on <= session.closes_on:
        raise ValidationFailed(f"日期应在大会会期内（{session.opens_on}至{session.closes_on}）。")
    if PlenaryDay.objects.filter(session=session, on=on, title=title.strip()).exists():
        raise ValidationFailed("该日已有同名议程。")
    return PlenaryDay.objects.create(
        session=session, on=on, title=title.strip(), is_group_discussion=is_group_discussion
    )


@transaction.atomic
def plenary_group_add(
    *, actor, session: PlenarySession, name: str, sectors: list[Sector] = (), venue: str = ""
) -> PlenaryGroup:
    _require(actor, "members.manage_attendance")
    require_text(name, "请填写小组名称。")
    if PlenaryGroup.objects.filter(session=session, name=name.strip()).exists():
        raise ValidationFailed("本次大会已有同名小组。")
    taken = Sector.objects.filter(pk__in=[s.pk for s in sectors], plenary_groups__session=session)
    if taken.exists():
        raise ValidationFailed(f"界别“{taken.first()}”已分在本次大会的其他小组。")
    group = PlenaryGroup.objects.create(
        session=session, name=name.strip(), venue=venue.strip(), order=session.groups.count() + 1
    )
    group.sectors.set(sectors)
    return group


@transaction.atomic
def plenary_record_day(*, actor, day: PlenaryDay, rows: dict[int, tuple[str, int | None]]) -> int:
    """Staff record one day: member id -> (status or "" to clear, group id or None).

    The group counts on a 分组讨论 day only and must be one of this plenary's groups. The
    members' session attendance (and so the ledger) follows in the same transaction."""
    _require(actor, "members.manage_attendance")
    session = PlenarySession.objects.select_for_update().get(pk=day.session_id)
    groups = set(session.groups.values_list("pk", flat=True))
    existing = {row.member_id: row for row in day.attendance.all()}
    members = Member.objects.in_bulk(rows.keys())
    changed: set[int] = set()
    for member_id, (status, group_id) in rows.items():
        if member_id not in members:
            raise ValidationFailed("委员不存在。")
        if status and status not in AttendanceStatus.values:
            raise ValidationFailed("出席情况无效。")
        group_id = group_id if day.is_group_discussion and status == AttendanceStatus.ATTENDED else None
        if group_id is not None and group_id not in groups:
            raise ValidationFailed("所选小组不属于本次大会。")
        row = existing.get(member_id)
        if not status:
            if row is not None:
                row.delete()
                changed.add(member_id)
            continue
        if row is None:
            PlenaryDayAttendance.objects.create(day=day, member_id=member_id, status=status, group_id=group_id)
        elif (row.status, row.group_id) != (status, group_id):
            row.status, row.group_id = status, group_id
            row.save(update_fields=["status", "group"])
        else:
            continue
        changed.add(member_id)
    if changed:
        days: dict[int, list[str]] = {member_id: [] for member_id in changed}
        for member_id, status in PlenaryDayAttendance.objects.filter(
            day__session=session, member_id__in=changed
        ).values_list("member_id", "status"):
            days[member_id].append(status)
        plenary_record_attendance(actor=actor, session=session, statuses={m: rolled_up(s) for m, s in days.items()})
    return len(changed)


# --- Reads for the pages --------------------------------------------------------------------------------


def days_of(session: PlenarySession) -> QuerySet[PlenaryDay]:
    """The session's days with their counts per status."""
    return session.days.annotate(
        attended=Count("attendance", filter=Q(attendance__status=AttendanceStatus.ATTENDED)),
        leave=Count("attendance", filter=Q(attendance__status=AttendanceStatus.LEAVE)),
        absent=Count("attendance", filter=Q(attendance__status=AttendanceStatus.ABSENT)),
    ).order_by("on", "id")


def groups_of(session: PlenarySession) -> QuerySet[PlenaryGroup]:
    return (
        session.groups.prefetch_related("sectors")
        .annotate(present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.ATTENDED)))
        .order_by("order", "id")
    )


def in_office_for(session: PlenarySession, first: date, last: date | None = None) -> QuerySet[Member]:
    """The plenary's members: those of its term in office on some day from ``first`` to ``last``
    (the spans of that term say so where the member has any, else the member's link to the term),
    and anyone already recorded for this plenary, so a recorded row never drops off the roll."""
    last = first if last is None else last
    spans = TermMembership.objects.filter(term_id=session.term_id)
    held = spans.filter(Q(joined_on__lte=last) & (Q(left_on__isnull=True) | Q(left_on__gte=first)))
    linked = Member.terms.through.objects.filter(term_id=session.term_id)
    recorded = PlenaryAttendance.objects.filter(session_id=session.pk)
    # Uncorrelated IN lists: PostgreSQL hashes each once instead of probing per member.
    return Member.objects.filter(
        Q(pk__in=held.values("member_id"))
        | (Q(pk__in=linked.values("member_id")) & ~Q(pk__in=spans.values("member_id")))
        | Q(pk__in=recorded.values("member_id"))
    )


def day_roll(day: PlenaryDay) -> QuerySet[Member]:
    """The day's roll: the plenary's members in office that day, each with the 界别 of that day
    (``sector_then_id``), by 界别 and name."""
    sector_then = Subquery(
        TermMembership.objects.filter(valid_on(day.on), member_id=OuterRef("pk"))
        .order_by("-joined_on")
        .values("sector_id")[:1]
    )
    return (
        in_office_for(day.session, day.on)
        .annotate(sector_then_id=Coalesce(sector_then, "sector_id", output_field=BigIntegerField()))
        .order_by("sector__order", "name", "pk")
    )


def roll_for_day(day: PlenaryDay, members=None) -> list[tuple[Member, str, int | None]]:
    """``members`` (a page of ``day_roll``; the whole roll by default) with this day's status and
    group; the group defaults to the one holding their 界别 on a 分组讨论 day."""
    members = list(day_roll(day) if members is None else members)
    sectors = Sector.objects.in_bulk()
    group_of_sector = dict(
        PlenaryGroup.sectors.through.objects.filter(plenarygroup__session_id=day.session_id).values_list(
            "sector_id", "plenarygroup_id"
        )
    )
    current = {row.member_id: row for row in day.attendance.filter(member_id__in=[m.pk for m in members])}
    roll = []
    for member in members:
        member.sector_then = sectors.get(member.sector_then_id)
        row = current.get(member.pk)
        group_id = row.group_id if row else None
        if day.is_group_discussion and group_id is None:
            group_id = group_of_sector.get(member.sector_then_id)
        roll.append((member, row.status if row else "", group_id))
    return roll
