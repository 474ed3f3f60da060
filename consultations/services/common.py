"""What every consultation service shares."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from cppcc_portal.errors import PermissionDeniedError
from members.models import Member, User

# The QR code is accepted from this long before the start until the session ends.
CHECKIN_OPENS_BEFORE = timedelta(hours=2)
# 远程协商: members check in online from shortly before the video meeting starts until it ends.
ONLINE_CHECKIN_OPENS_BEFORE = timedelta(minutes=15)


def _require_staff(actor, obj=None) -> None:
    """The actor runs consultations; with ``obj``, this one (its committee's office, or the 办公室)."""
    if not actor.has_perm("consultations.manage", obj):
        raise PermissionDeniedError("只有负责该项工作的机关科室可以进行此操作。")


def _apply(instance, data: dict, m2m: dict | None = None):
    for field, value in data.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    for field, values in (m2m or {}).items():
        getattr(instance, field).set(values)
    return instance


def _users_of_members(members: Iterable[Member]) -> list[User]:
    return [member.user for member in members if member.user_id]
