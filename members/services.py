"""Every write of ``members`` domain state."""

from __future__ import annotations

from django.db import transaction

from cppcc_portal.errors import PermissionDeniedError

from .models import Member, User

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
        user_set_email(user=member.user, email=member.email)
    return member


@transaction.atomic
def user_update_notification_preferences(*, actor: User, email: str, email_mode: str, sms_enabled: bool) -> User:
    """Everyone sets how their own notices reach them, and the address e-mail goes to."""
    User.objects.filter(pk=actor.pk).update(email_mode=email_mode, sms_enabled=sms_enabled)
    actor.email_mode, actor.sms_enabled = email_mode, sms_enabled
    user_set_email(user=actor, email=email)
    return actor


def user_set_email(*, user: User, email: str) -> None:
    """The one writer of ``User.email`` (where a login's notices go). The member record of the
    login keeps the same address, so the directory and the notices never disagree."""
    User.objects.filter(pk=user.pk).update(email=email)
    Member.objects.filter(user_id=user.pk).exclude(email=email).update(email=email)
    user.email = email
