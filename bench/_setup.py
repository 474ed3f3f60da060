"""Shared set-up for benchmark scripts: a throw-away database with the demo district.

By default a temporary SQLite file; set ``BENCH_DATABASE_URL`` (e.g.
``postgres://postgres@127.0.0.1:5432/cppcc_bench``) to measure on PostgreSQL —
that database is flushed and rebuilt.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cppcc_portal.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault(
        "DJANGO_SECRET_KEY", "bench-only-" + os.urandom(16).hex()
    )  # local refuses DEBUG off without one
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.pop("REDIS_URL", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["PORTAL_VAR_DIR"] = tempfile.mkdtemp(prefix="cppcc-bench-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if os.environ.get("BENCH_DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("seed_demo", "--force", stdout=io.StringIO())


@contextmanager
def measure(label: str, results: list):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
    results.append((label, len(queries), elapsed * 1000))


def report(results: list) -> None:
    width = max(len(label) for label, *_ in results)
    for label, queries, ms in results:
        print(f"{label:<{width}}  {queries:>4} queries  {ms:8.1f} ms")
