"""Celery entry points for ``consultations``."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import ledger
from .models import Inspection


@shared_task(acks_late=True)
def credit_held_inspections() -> int:
    """Daily: an inspection entered before its day credits its participants once the day has
    come (``ledger.inspection_entries``). Looks back a week, so a missed day catches up;
    idempotent, so a redelivered or repeated run changes nothing. Returns the inspections checked."""
    today = timezone.localdate()
    held = Inspection.objects.filter(inspected_on__range=(today - timedelta(days=7), today))
    inspections = list(held.prefetch_related("participants"))
    for inspection in inspections:
        ledger.sync(inspection)
    return len(inspections)
