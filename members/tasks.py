"""Celery entry points for ``members``."""

from celery import shared_task

from .performance import reminders


@shared_task(acks_late=True)
def send_five_ones_reminders() -> int:
    """Daily: quarterly 五个一 reminders to members with gaps, year-end list to staff (each once)."""
    return reminders.send_five_ones_reminders()
