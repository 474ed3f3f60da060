"""The periodic sweep as a Celery task (scheduled by django-celery-beat).

``acks_late``: a worker killed mid-sweep leaves the message unacknowledged and it
is delivered again; the ledger makes the rerun send only what is still owed.
"""

from celery import shared_task

from .sweep import run_sweep


@shared_task(name="cppcc_portal.deadlines.sweep", acks_late=True, reject_on_worker_lost=True)
def sweep_deadlines() -> dict:
    result = run_sweep()
    return {"stages": result.stages, "notices": result.notices, "busy": result.busy}
