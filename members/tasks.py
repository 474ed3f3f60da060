"""Celery entry points for ``members``."""

from celery import shared_task


@shared_task(acks_late=True)
def send_five_ones_reminders() -> int:
    """Daily: quarterly 五个一 reminders to members with gaps, year-end list to staff (each once)."""
    from .performance.reminders import send_five_ones_reminders as send

    return send()
