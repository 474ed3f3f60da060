"""A real worker killed with SIGKILL in the middle of a sweep: after a restart every owed
notice is delivered exactly once (acks_late redelivery + the ledger)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from cppcc_portal import workdays
from cppcc_portal.celery import app
from cppcc_portal.models import NoticeLedger, Notification

LAUNCHER = Path(__file__).with_name("worker_main.py")
ITEMS = 10


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(redis_url: str, mail_dir: Path, log: Path, **extra_env: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cppcc_portal.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_EAGER": "0",
        "WORKER_MAIL_DIR": str(mail_dir),
        "NOTIFY_QUIET_START": "00:00",  # deliver whatever the hour the test runs
        "NOTIFY_QUIET_END": "00:00",
        **extra_env,
    }
    return subprocess.Popen(
        [sys.executable, str(LAUNCHER)],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def markers() -> int:
    return NoticeLedger.objects.markers().filter(clock="test.member_clock").count()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


@pytest.mark.worker
@pytest.mark.postgres
# The worker is real: send_task goes to Redis, which is the point (eager mode is for the test process).
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
@pytest.mark.redis
def test_a_worker_killed_mid_sweep_delivers_every_notice_once_after_restart(
    postgres, redis_url, member_clock, committed, tmp_path
):
    started = timezone.now()
    today = timezone.localdate()
    overdue = workdays.add_working_days(workdays.next_working_day(today), -2)
    items = [committed(overdue, name=f"逾期{n}") for n in range(ITEMS)]  # escalate:1 -> self + staff
    import redis

    # A clean broker: no queued or unacknowledged messages left from earlier runs
    # (the queue is this xdist worker's own: cppcc_portal/settings/test.py).
    redis.Redis.from_url(redis_url).delete(app.conf.task_default_queue, "unacked", "unacked_index")
    mail_dir, log = tmp_path / "mail", tmp_path / "worker.log"
    mail_dir.mkdir()

    first = start_worker(redis_url, mail_dir, log, FAKE_CLOCK_PAUSE="0.4")
    try:
        app.send_task("cppcc_portal.deadlines.sweep")
        wait_for(lambda: markers() >= 2, 60, "the sweep to start")
        os.killpg(first.pid, signal.SIGKILL)  # SIGKILL, mid-sweep
        first.wait(10)
        done_when_killed = markers()
        assert 0 < done_when_killed < ITEMS, "the worker must die half-way through"

        # Restart: the unacknowledged sweep message comes back and finishes the job.
        second = start_worker(redis_url, mail_dir, log, WORKER_VISIBILITY_TIMEOUT="2")
        try:
            wait_for(lambda: markers() == ITEMS, 90, "the redelivered sweep to finish")
            wait_for(
                lambda: not Notification.objects.filter(kind__startswith="deadline.", delivery_pending=True).exists(),
                60,
                "the e-mail delivery",
            )
            # A duplicated message (or the next beat tick) changes nothing.
            app.send_task("cppcc_portal.deadlines.sweep")
            time.sleep(3)
        finally:
            stop(second)
    finally:
        stop(first)
        print(log.read_text(errors="replace")[-4000:])

    assert markers() == ITEMS
    for item in items:
        people = list(
            NoticeLedger.objects.filter(object_id=item.pk, clock="test.member_clock", recipient__isnull=False)
            .order_by("recipient__username")
            .values_list("recipient__username", flat=True)
        )
        assert people == sorted([item.user.username, "staff"])
        assert Notification.objects.filter(recipient=item.user, kind="deadline.escalate").count() == 1
    # Each owed e-mail went out exactly once.
    sent: dict[str, int] = {}
    for path in mail_dir.iterdir():
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                to = message_from_bytes(chunk.strip()).get("To", "")
                sent[to] = sent.get(to, 0) + 1
    for item in items:
        assert sent.get(item.user.email) == 1
    # The worker used the real clock, as in production: it found the items due on the day they
    # were overdue, and stamped its ledger rows and e-mails within the test's own run.
    entries = NoticeLedger.objects.filter(clock="test.member_clock", object_id__in=[item.pk for item in items])
    assert set(entries.values_list("due_on", flat=True)) == {overdue}
    finished = timezone.now()
    assert all(started <= stamp <= finished for stamp in entries.values_list("created_at", flat=True))
    emails = Notification.objects.filter(recipient__in=[item.user for item in items], kind="deadline.escalate")
    stamps = list(emails.values_list("email_sent_at", flat=True))
    assert len(stamps) == ITEMS and all(stamp and started <= stamp <= finished for stamp in stamps)
