"""Enqueue Celery tasks safely: after commit, and never failing the request.

The database holds what is owed (sweeps re-derive it), so a broker that is down
only delays work. The failure is logged and the web request still succeeds.
"""

import logging
from importlib import import_module
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def registered_task(name: str):
    """A task by its name: modules that queue work need not import the task's module
    (which would import them back).

    A task is named after its module (``<app>.tasks.<function>``), so importing that
    module registers it. Not ``loader.import_default_modules()``: under Django it calls
    ``django.setup()`` again, which re-applies ``LOGGING`` (dropping every handler on the
    root logger) and runs the system checks, inside a web request.
    """
    if name not in current_app.tasks:
        import_module(name.rpartition(".")[0])
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
