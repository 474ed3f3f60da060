"""Queueing a task by name inside a running process leaves that process's logging alone."""

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import logging, django
django.setup()
root = logging.getLogger()
marker = logging.NullHandler()
root.addHandler(marker)
from celery import current_app
from cppcc_portal.notifications import DELIVER_TASK
from cppcc_portal.queue import registered_task
assert DELIVER_TASK not in current_app.tasks, "the probe must start before the task is registered"
task = registered_task(DELIVER_TASK)
assert task.name == DELIVER_TASK
assert marker in root.handlers, "looking the task up re-ran django.setup() and reset logging"
print("ok")
"""


def test_looking_a_task_up_by_name_neither_resets_logging_nor_reruns_setup():
    """The broker-down test's log capture vanished when the lookup re-ran django.setup()."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cppcc_portal.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")
