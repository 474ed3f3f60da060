"""Every write of ``members`` domain state."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from cppcc_portal.errors import PermissionDeniedError

from .enums import PerformanceAct
from .models import Member, User
from .performance.models import PerformanceRecord


@transaction.atomic
def performance_record(
    *, member: Member, act: PerformanceAct | str, source: models.Model, on: date, note: str = ""
) -> PerformanceRecord:
    """Record one countable act; calling it again for the same act and source changes nothing.

    The entry carries the points of the scoring rule in force on ``on``. When the
    source's date changes (a corrected attendance), the entry follows, and the
    member's yearly totals are refreshed for every year touched.
    """
    from .performance.scoring import points_for, refresh_member_year

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
    from .performance.scoring import refresh_member_year

    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    entries = PerformanceRecord.objects.filter(member=member, act=act, source_type=source_type, source_id=source.pk)
    years = {day.year for day in entries.values_list("on", flat=True)}
    deleted, _ = entries.delete()
    for year in years:
        refresh_member_year(member.pk, year)
    return deleted


CONTACT_FIELDS = ("mobile", "office_phone", "email", "address")


@transaction.atomic
def member_update_contact(*, member: Member, actor, data: dict[str, str]) -> Member:
    """A member edits their own contact fields; nobody else's, nothing else."""
    if not actor.has_perm("members.edit_own_contact") or member.user_id != actor.pk:
        raise PermissionDeniedError("只能修改本人的联系方式。")
    member = Member.objects.select_for_update().get(pk=member.pk)
    for field in CONTACT_FIELDS:
        if field in data:
            setattr(member, field, data[field])
    member.full_clean()
    member.save()
    if "email" in data and member.user_id:
        User.objects.filter(pk=member.user_id).update(email=member.email)
    return member
