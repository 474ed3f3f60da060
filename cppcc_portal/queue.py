"""Enqueue Celery tasks safely: after commit, and never failing the request.

The database holds what is owed (sweeps re-derive it), so a broker that is down
only delays work. The failure is logged and the web request still succeeds.
"""

import logging
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def registered_task(name: str):
    """A task by its name: modules that queue work need not import the task's module
    (which would import them back); Celery's autodiscovery registers it."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def send_task_now(task: Any, *args: Any, **kwargs: Any) -> bool:
    """Queue ``task`` (a task or its registered name) now; a broker failure is logged."""
    try:
        if isinstance(task, str):
            task = registered_task(task)
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:
        logger.exception("Could not enqueue %s; the next sweep will catch up", getattr(task, "name", task))
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: send_task_now(task, *args, **kwargs))
