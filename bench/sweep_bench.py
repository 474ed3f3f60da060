"""Deadline sweep: 100,000 open assignments, 1,000 of them due; one sweep's time and queries.

    .venv/bin/python bench/sweep_bench.py

SQLite in a temporary file by default. With ``DATABASE_URL`` (or
``BENCH_DATABASE_URL``) pointing at PostgreSQL the script uses a separate
database, ``<name>_sweep_bench``, which it drops and rebuilds (never the
database itself). ``SWEEP_BENCH_OPEN`` / ``SWEEP_BENCH_DUE`` change the sizes.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OPEN = int(os.environ.get("SWEEP_BENCH_OPEN", "100000"))
DUE = int(os.environ.get("SWEEP_BENCH_DUE", "1000"))
TODAY = date(2026, 3, 10)  # a Tuesday; the calendar for 2026 is known


def bench_database() -> str:
    """A PostgreSQL URL of a bench-only database (created fresh), or "" for SQLite."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return ""
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    bench_name = name if os.environ.get("BENCH_DATABASE_URL") else f"{name}_sweep_bench"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(bench_name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(bench_name)))
    return f"{base}/{bench_name}"


def setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cppcc_portal.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault(
        "DJANGO_SECRET_KEY", "bench-only-" + os.urandom(16).hex()
    )  # local refuses DEBUG off without one
    os.environ.pop("REDIS_URL", None)  # no broker: the sweep is measured on its own
    url = bench_database()
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["PORTAL_VAR_DIR"] = tempfile.mkdtemp(prefix="cppcc-sweep-bench-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--force", stdout=io.StringIO())


def build(open_count: int, due_count: int) -> None:
    """``open_count`` accepted split assignments; ``due_count`` of them overdue or in a reminder window."""
    from cppcc_portal import workdays
    from members.models import Member, Organization, PlenarySession, User
    from proposals.enums import AssignmentKind, AssignmentState, ProposalState
    from proposals.models import Assignment, Proposal, ProposalCategory

    units = list(Organization.objects.filter(kind__in=["handling_unit", "town_street"]).order_by("pk"))
    session = PlenarySession.current()
    category = ProposalCategory.objects.first()
    author = Member.objects.filter(user__isnull=False).first()
    staff = User.objects.get(username="staff")
    per_proposal = len(units)
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
    far = workdays.add_working_days(TODAY, 120)  # outside every reminder window
    overdue = workdays.add_working_days(TODAY, -2)  # escalation level 1 owed
    soon = workdays.add_working_days(TODAY, 3)  # the 3-working-day reminder owed
    assigned = TODAY - timedelta(days=200)

    def rows():
        for n in range(open_count):
            due = far
            if n % (open_count // due_count) == 0:
                due = overdue if (n // (open_count // due_count)) % 2 else soon
            yield Assignment(
                proposal=proposals[n // per_proposal],
                unit=units[n % per_proposal],
                kind=AssignmentKind.SPLIT,
                state=AssignmentState.ACCEPTED,
                assigned_on=assigned,
                assigned_by=staff,
                accept_due=assigned + timedelta(days=7),
                handling_due=due,
            )

    Assignment.objects.bulk_create(rows(), batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would have them after a bulk load; without them
        # PostgreSQL guesses a few rows and picks nested loops over the whole table.
        cursor.execute("ANALYZE")


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    setup()
    from django.db import connection
    from django.utils import timezone

    from cppcc_portal.deadlines.sweep import run_sweep
    from proposals.models import Assignment

    started = time.perf_counter()
    build(OPEN, DUE)
    built = time.perf_counter() - started
    open_count = Assignment.objects.filter(state="accepted", handling_due__isnull=False).count()
    now = timezone.make_aware(datetime.combine(TODAY, clock(9)))
    print(f"database: {connection.vendor}; {open_count:,} open assignments built in {built:.1f} s")

    lines = []
    for label in ("first sweep (owed work)", "second sweep (nothing owed)"):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            result = run_sweep(now, deliver=False)
            elapsed = time.perf_counter() - started
        lines.append((label, result, counter.count, elapsed))
    for label, result, queries, elapsed in lines:
        print(
            f"{label:<28} {elapsed:7.2f} s  {queries:>6,} queries  "
            f"{result.stages:>5,} stages  {result.notices:>5,} notices  "
            f"({queries / max(result.stages, 1):.1f} queries per stage)"
        )
    handling = lines[0][1].by_clock.get("proposal.handling", 0)
    print(f"handling clock: {handling:,} of {DUE:,} due items handled; {OPEN - DUE:,} not-due items never read")


if __name__ == "__main__":
    main()
