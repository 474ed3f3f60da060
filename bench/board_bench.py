"""The 逾期与预警 board and the workbench with 40,000 open assignments due over two years.

    .venv/bin/python bench/board_bench.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cppcc_bench .venv/bin/python bench/board_bench.py

Adds ``BOARD_BENCH_OPEN`` (default 40,000) accepted assignments in handling to the
demo district, with handling due dates spread evenly from two years ago to two
months ahead (so most are overdue, many by months), then requests ``/`` and
``/deadlines/`` (and the board's last page and a filtered view) as ``staff`` and as
``unit_edu``: the median and worst of ``BOARD_BENCH_RUNS`` warm requests, with the
query count of one.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import timedelta

from _setup import setup

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.models import Member, Organization, PlenarySession, User  # noqa: E402
from proposals.enums import AssignmentKind, AssignmentState, ProposalState  # noqa: E402
from proposals.models import Assignment, Proposal, ProposalCategory  # noqa: E402

OPEN = int(os.environ.get("BOARD_BENCH_OPEN", "40000"))
RUNS = int(os.environ.get("BOARD_BENCH_RUNS", "10"))
SPREAD_DAYS = 790  # two years back to two months ahead


def build(open_count: int) -> None:
    units = list(Organization.objects.filter(kind__in=["handling_unit", "town_street"]).order_by("pk"))
    session = PlenarySession.current()
    category = ProposalCategory.objects.first()
    author = Member.objects.filter(user__isnull=False).first()
    staff = User.objects.get(username="staff")
    per_proposal = 2
    proposals = Proposal.objects.bulk_create(
        (
            Proposal(
                session=session,
                title=f"压测提案{n:06d}",
                category=category,
                background="压测",
                suggestions="压测",
                author=author,
                filed_by=staff,
                state=ProposalState.HANDLING,
            )
            for n in range(-(-open_count // per_proposal))
        ),
        batch_size=2000,
    )
    first_due = timezone.localdate() - timedelta(days=730)

    def rows():
        for n in range(open_count):
            due = first_due + timedelta(days=n * SPREAD_DAYS // open_count)
            yield Assignment(
                proposal=proposals[n // per_proposal],
                unit=units[n % len(units)],
                kind=AssignmentKind.SPLIT,
                state=AssignmentState.ACCEPTED,
                assigned_on=due - timedelta(days=92),
                assigned_by=staff,
                accept_due=due - timedelta(days=85),
                handling_due=due,
            )

    Assignment.objects.bulk_create(rows(), batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would leave them


def timed(client: Client, url: str) -> tuple[float, float, int]:
    assert client.get(url).status_code == 200  # warm
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), max(times), len(queries)


def main() -> None:
    started = time.perf_counter()
    build(OPEN)
    print(f"database: {connection.vendor}; {OPEN:,} open assignments built in {time.perf_counter() - started:.1f} s")
    edu = Organization.objects.get(name="区教育局").pk
    pages = [
        ("staff", "/"),
        ("staff", "/deadlines/"),
        ("staff", "/deadlines/?page=last"),
        ("staff", f"/deadlines/?within=10&unit={edu}&level=0"),
        ("unit_edu", "/"),
        ("unit_edu", "/deadlines/"),
    ]
    print(f"{'user':<9} {'url':<44} {'median ms':>10} {'max ms':>9} {'queries':>8}")
    for username, url in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        median, worst, queries = timed(client, url)
        print(f"{username:<9} {url:<44} {median:10.1f} {worst:9.1f} {queries:8d}")


if __name__ == "__main__":
    main()
