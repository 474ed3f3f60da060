"""Platform tasks. Idempotent: running one twice sends nothing twice."""

from celery import shared_task

from . import generated, notifications


@shared_task(acks_late=True)
def deliver_pending_notifications() -> int:
    return notifications.deliver_pending()


@shared_task(acks_late=True)
def send_daily_digests() -> int:
    return notifications.send_digests()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_generated_document(pk: int) -> str:
    """Build one kept document (``cppcc_portal.generated``). A redelivered or repeated message
    finds it claimed or ready and does nothing; a worker lost mid-build leaves it to be reclaimed."""
    return generated.build_document(pk)


@shared_task(acks_late=True)
def drop_old_generated_documents() -> int:
    """The periodic sweep of kept documents past keeping (each build also sweeps)."""
    return generated.drop_old_documents()


__all__ = [
    "build_generated_document",
    "deliver_pending_notifications",
    "drop_old_generated_documents",
    "send_daily_digests",
]
