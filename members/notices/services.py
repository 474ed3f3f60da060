"""The writes of 通知公告: publish, read, remind. Each takes the acting user."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed, require_text
from cppcc_portal.notifications import notify

from ..recipients import audience_label, chosen_groups, users_in_groups
from .models import Notice, NoticeAttachment, NoticeKind, NoticeReceipt

NOTICE_KIND = "notices.published"
REMINDER_KIND = "notices.remind"


@transaction.atomic
def notice_publish(
    *, actor, title: str, body: str, groups: Sequence[str], kind: str = NoticeKind.NOTICE, attachments: Iterable = ()
) -> Notice:
    """Publish a notice to the people in ``groups`` (``members.recipients`` keys), in one transaction:

    1. check the actor's right (the 办公室) and the input;
    2. save the notice, its attachments and one receipt per recipient (each person once);
    3. put it in every recipient's inbox; e-mail and SMS are queued after commit (``notify``).
    """
    if not actor.has_perm("members.publish_notice"):
        raise PermissionDeniedError("只有办公室或专委会办公室可以发布通知公告。")
    require_text(title, "请填写标题。")
    require_text(body, "请填写正文。")
    chosen = chosen_groups(groups)
    recipients = list(users_in_groups(chosen))
    if not recipients:
        raise ValidationFailed("所选对象中没有可接收通知的账号。")
    notice = Notice.objects.create(
        kind=kind,
        title=title.strip()[:200],
        body=body.strip(),
        audience=audience_label(chosen),
        published_by=actor,
        published_at=timezone.now(),
    )
    for upload in attachments:
        NoticeAttachment.objects.create(notice=notice, file=upload, original_name=upload.name, size=upload.size)
    NoticeReceipt.objects.bulk_create([NoticeReceipt(notice=notice, recipient=user) for user in recipients])
    notify(
        recipients,
        kind=NOTICE_KIND,
        subject=f"【{notice.get_kind_display()}】{notice.title}",
        body=f"发送范围：{notice.audience}",
        link=notice.get_absolute_url(),
    )
    return notice


def notice_mark_read(*, notice: Notice, actor) -> bool:
    """The recipient opened the notice: the first time is its read receipt. Returns whether it was new."""
    updated = NoticeReceipt.objects.filter(notice=notice, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return bool(updated)


@transaction.atomic
def notice_remind(*, actor, notice: Notice) -> int:
    """Remind everyone who has not read ``notice`` yet; returns how many were reminded."""
    if not actor.has_perm("members.see_notice_receipts", notice):
        raise PermissionDeniedError("只有发布通知的科室可以催阅。")
    unread = list(
        NoticeReceipt.objects.select_for_update(of=("self",))
        .select_related("recipient")
        .filter(notice=notice, read_at__isnull=True)
    )
    if not unread:
        raise ValidationFailed("所有接收人都已阅读，无需提醒。")
    now = timezone.now()
    for receipt in unread:
        receipt.reminded_at = now
        receipt.reminder_count += 1
    NoticeReceipt.objects.bulk_update(unread, ["reminded_at", "reminder_count"])
    notify(
        [receipt.recipient for receipt in unread],
        kind=REMINDER_KIND,
        subject=f"【请阅】{notice.title}",
        body="办公室提醒您阅读此通知。",
        link=notice.get_absolute_url(),
    )
    return len(unread)
