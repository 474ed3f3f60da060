"""Two sweeps at once on PostgreSQL send what one sweep sends."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from cppcc_portal.deadlines.sweep import run_sweep
from cppcc_portal.models import NoticeLedger, Notification

from .builders import at

DAY = date(2026, 3, 2)  # Monday after the Spring Festival


def owed_items(make_item) -> list:
    items = []
    for n in range(12):
        items.append(make_item(date(2026, 2, 27)))  # 1 working day overdue: escalate:1 (self + staff)
        items.append(make_item(date(2026, 3, 4), email=n % 2 == 0))  # remind:2 (self)
    return items


def snapshot() -> tuple:
    ledger = sorted(
        NoticeLedger.objects.filter(clock="test.member_clock", recipient__isnull=False).values_list(
            "object_id", "stage", "recipient_id"
        )
    )
    kinds = sorted(
        Notification.objects.filter(kind__startswith="deadline.", link__startswith="/members/").values_list(
            "recipient_id", "kind", "subject"
        )
    )
    return ledger, kinds


@pytest.mark.postgres
def test_two_sweeps_in_parallel_send_what_one_sends(postgres, member_clock, committed, monkeypatch):
    monkeypatch.setenv("FAKE_CLOCK_PAUSE", "0.02")  # keep both sweeps inside the same items
    items = owed_items(committed)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait()
            results.append(run_sweep(at(DAY), deliver=False))
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    assert sum(result.stages for result in results) == len(items)
    parallel = snapshot()

    # The same day swept once, from scratch, gives exactly the same notices.
    NoticeLedger.objects.filter(clock="test.member_clock").delete()
    Notification.objects.filter(kind__startswith="deadline.", link__startswith="/members/").delete()
    run_sweep(at(DAY), deliver=False)
    assert snapshot() == parallel
    run_sweep(at(DAY), deliver=False)  # and once more changes nothing
    assert snapshot() == parallel
    markers = NoticeLedger.objects.markers().filter(clock="test.member_clock")
    assert markers.count() == len(items)
