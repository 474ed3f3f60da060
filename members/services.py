"""Every write of ``members`` domain state."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from cppcc_portal.errors import PermissionDeniedError

from .enums import PerformanceAct
from .models import Member, PerformanceRecord, User


def performance_record(
    *, member: Member, act: PerformanceAct | str, source: models.Model, on: date, note: str = ""
) -> PerformanceRecord:
    """Record one countable act; calling it again for the same act and source changes nothing.

    When the source's date changes (a corrected attendance), the entry follows.
    """
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    record, created = PerformanceRecord.objects.get_or_create(
        member=member,
        act=act,
        source_type=source_type,
        source_id=source.pk,
        defaults={"on": on, "note": note[:200]},
    )
    if not created and record.on != on:
        record.on = on
        record.save(update_fields=["on"])
    return record


def performance_withdraw(*, member: Member, act: PerformanceAct | str, source: models.Model) -> int:
    """Remove an entry whose act turned out not to have happened (a corrected attendance)."""
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    deleted, _ = PerformanceRecord.objects.filter(
        member=member, act=act, source_type=source_type, source_id=source.pk
    ).delete()
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
