"""Platform tasks. Idempotent: running one twice sends nothing twice."""

from celery import shared_task

from . import notifications


@shared_task(acks_late=True)
def deliver_pending_notifications() -> int:
    return notifications.deliver_pending()


@shared_task(acks_late=True)
def send_daily_digests() -> int:
    return notifications.send_digests()


__all__ = ["deliver_pending_notifications", "send_daily_digests"]
