"""The one door for telling people things: ``notify``.

Every notice lands in the recipient's in-app inbox at once. E-mail and SMS follow
the recipient's preferences: immediately, or (for non-urgent notices and users
who chose it) in the daily digest. Deadline notices are ``urgent`` and never
wait for a digest. Nothing goes out by e-mail or SMS in quiet hours; the
periodic delivery task sends it in the morning.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, time

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from .models import Notification
from .queue import enqueue_on_commit
from .sms import get_sms_backend

logger = logging.getLogger(__name__)

EMAIL_IMMEDIATE = "immediate"
EMAIL_DIGEST = "digest"
EMAIL_NONE = "none"
DELIVER_TASK = "cppcc_portal.tasks.deliver_pending_notifications"


def notify(
    recipients: Iterable,
    *,
    kind: str,
    subject: str,
    body: str = "",
    link: str = "",
    urgent: bool = False,
    enqueue_delivery: bool = True,
) -> list[Notification]:
    """Queue one notice for each distinct active recipient, in the caller's transaction.

    ``enqueue_delivery=False`` leaves the e-mail/SMS rows for the caller (or the
    periodic delivery task) to send: a sweep that queues a thousand notices asks
    the broker once at the end, not once per notice.
    """
    rows = build_notifications(recipients, kind=kind, subject=subject, body=body, link=link, urgent=urgent)
    created = Notification.objects.bulk_create(rows)
    if enqueue_delivery and any(row.delivery_pending for row in created):
        enqueue_on_commit(DELIVER_TASK)
    return created


def build_notifications(
    recipients: Iterable, *, kind: str, subject: str, body: str = "", link: str = "", urgent: bool = False
) -> list[Notification]:
    """``notify``'s rows, unsaved: a sweep inserts a whole batch's notices at once."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    return [_build(user, kind=kind, subject=subject, body=body, link=link, urgent=urgent) for user in unique.values()]


def _build(user, *, kind: str, subject: str, body: str, link: str, urgent: bool) -> Notification:
    email_mode = getattr(user, "email_mode", EMAIL_IMMEDIATE)
    send_email = bool(user.email) and email_mode != EMAIL_NONE
    in_digest = send_email and email_mode == EMAIL_DIGEST and not urgent
    sms_number = user.sms_number() if hasattr(user, "sms_number") else ""
    send_sms = bool(sms_number) and getattr(user, "sms_enabled", False) and urgent
    return Notification(
        recipient=user,
        kind=kind,
        subject=subject[:200],
        body=body,
        link=link,
        urgent=urgent,
        send_email=send_email,
        send_sms=send_sms,
        in_digest=in_digest,
        delivery_pending=(send_email and not in_digest) or send_sms,
    )


def _parse_clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(moment: datetime | None = None) -> bool:
    local = timezone.localtime(moment or timezone.now()).time()
    start, end = _parse_clock(settings.NOTIFY_QUIET_START), _parse_clock(settings.NOTIFY_QUIET_END)
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def deliver_pending(now: datetime | None = None, batch: int = 200) -> int:
    """Send owed e-mail/SMS, each row once; returns how many rows were finished.

    Rows are claimed with ``SKIP LOCKED`` so parallel workers never send the same
    notice twice; on SQLite the IMMEDIATE transaction serialises them instead.
    """
    if in_quiet_hours(now):
        return 0
    finished = 0
    sms = None
    while True:
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(delivery_pending=True)
                .order_by("id")[:batch]
            )
            if not rows:
                return finished
            for row in rows:
                moment = timezone.now()
                if row.send_email and not row.in_digest and row.email_sent_at is None:
                    _send_email(row.recipient, row.subject, _email_body(row))
                    row.email_sent_at = moment
                if row.send_sms and row.sms_sent_at is None:
                    sms = sms or get_sms_backend()
                    sms.send(row.recipient.sms_number(), f"【{settings.PORTAL_NAME}】{row.subject}")
                    row.sms_sent_at = moment
                row.delivery_pending = False
            Notification.objects.bulk_update(rows, ["email_sent_at", "sms_sent_at", "delivery_pending"])
            finished += len(rows)


def send_digests(now: datetime | None = None) -> int:
    """One e-mail per user with the day's non-urgent notices; returns e-mails sent."""
    sent = 0
    pending = Notification.objects.filter(in_digest=True, email_sent_at__isnull=True)
    for user_id in pending.values_list("recipient_id", flat=True).distinct().order_by():
        with transaction.atomic():
            rows = list(
                pending.select_for_update(skip_locked=True)
                .filter(recipient_id=user_id)
                .select_related("recipient")
                .order_by("created_at")
            )
            if not rows:
                continue
            lines = [f"· {row.subject}\n  {row.body}".rstrip() for row in rows]
            _send_email(rows[0].recipient, f"每日通知汇总（{len(rows)}条）", "\n\n".join(lines))
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(email_sent_at=timezone.now())
            sent += 1
    return sent


def _email_body(row: Notification) -> str:
    return f"{row.body}\n\n{row.link}".strip()


def _send_email(user, subject: str, body: str) -> None:
    send_mail(f"【{settings.PORTAL_NAME}】{subject}", body, None, [user.email])


# --- the unread count in the navigation ----------------------------------------------------
#
# Every page shows it, so it is kept in the shared cache per user, stamped with the user's
# unread version. Every write that can change it (a notice created, read, deleted; in bulk
# too: ``NotificationQuerySet``) moves the version of each recipient when its transaction
# commits. Until then the process that wrote reads the count from the table for those users
# (its change is not final, and a rollback would leave a count built on it wrong).

UNREAD_SECONDS = 10 * 60
_unread_generation = "1"  # part of every key; tests move it so no count outlives a test's rows
_unread_dirty: set[int] = set()


def _unread_keys(user_id: int) -> tuple[str, str]:
    return f"notif:unread:{_unread_generation}:v:{user_id}", f"notif:unread:{_unread_generation}:n:{user_id}"


def _count_unread(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_count(user) -> int:
    if _unread_dirty:
        if not connection.in_atomic_block:
            _unread_dirty.clear()  # the writing transaction ended: committed (versions moved) or rolled back
        elif user.pk in _unread_dirty:
            return _count_unread(user)
    version_key, count_key = _unread_keys(user.pk)
    found = cache.get_many([version_key, count_key])
    version = found.get(version_key)
    if version is None:
        cache.add(version_key, uuid.uuid4().hex, None)
        version = cache.get(version_key)
    stored = found.get(count_key)
    if stored is not None and stored[0] == version:
        return stored[1]
    count = _count_unread(user)  # the version was read first: a change committed meanwhile moves it again
    if version is not None:
        cache.set(count_key, (version, count), UNREAD_SECONDS)
    return count


def unread_changed(user_ids) -> None:
    """These users' notices changed: their counts are read from the table until the commit, then rebuilt."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return
    _unread_dirty.update(ids)

    def bump() -> None:
        cache.set_many({_unread_keys(user_id)[0]: uuid.uuid4().hex for user_id in ids}, None)
        _unread_dirty.difference_update(ids)

    transaction.on_commit(bump)


def forget_unread_counts() -> None:
    """Start every count afresh (tests: a rolled-back test's counts must not reach the next)."""
    global _unread_generation
    _unread_generation = uuid.uuid4().hex
    _unread_dirty.clear()


def notification_saved(sender, instance, **kwargs) -> None:
    unread_changed([instance.recipient_id])


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(notification_saved, sender=Notification, dispatch_uid="notification-unread-save")
    post_delete.connect(notification_saved, sender=Notification, dispatch_uid="notification-unread-delete")
