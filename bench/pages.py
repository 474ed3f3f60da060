"""Every page, every role that may open it: p50/p95 and queries; then throughput under gunicorn.

Part 1 takes every named GET URL from the access table (``tests/<app>/access_rules.py``,
the rules ``tests/test_access.py`` checks), with the real object ids the rules look up,
and requests it as every demo role the rule lets in (status 200): one warm-up request,
then 10 timed ones with Django's test client, on the configured database
(``DATABASE_URL``: run ``seed_demo``, and ``seed_scale`` for the large district, first).
It prints p50 and p95 and the number of queries, slowest first, and flags pages over
budget (HTML p95 > 100 ms; exports and PDFs > 3 s).

Part 2 starts gunicorn with 2 workers on 127.0.0.1 (``bench/bench_settings.py``: the demo
settings plus a trivial logged-in view at ``/bench/trivial/``) and loads a trivial view
and ``/``, ``/proposals/``, ``/proposals/<id>/``, ``/members/``, ``/deadlines/``,
``/stats/`` as ``staff`` with ``wrk`` (Debian package ``wrk``), one after the other,
then stops gunicorn. Pages under 10 % of the trivial view's requests a second are flagged.

Each result is printed as soon as it is measured, then the whole table again, slowest first.

    DATABASE_URL=postgres://… .venv/bin/python bench/pages.py [--repeat 10] [--only proposals]
                               [--files with|skip|only] [--no-throughput] [--seconds 10]
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from math import ceil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(BENCH)]

HTML_BUDGET_MS = 100
SLOW_MS = 10_000
FILE_BUDGET_MS = 3000
THROUGHPUT_SHARE = 0.10
# The admin changelist of the same data: /proposals/ must stay faster than it.
EXTRA_CASES = [("/admin/proposals/proposal/", "admin")]
# /stats/ only redirects to its first section (wrk does not follow redirects): load the section.
THROUGHPUT_PAGES = ["/", "/proposals/", "proposal-detail", "/members/", "/deadlines/", "/stats/proposals/"]
# URL names that answer with a file (exports, PDFs, .docx, attachments), or URLs that end in a file's
# suffix (e.g. proposals/documents/<session>/catalogue.xlsx): `--files skip|only` selects on either.
FILE_NAME = re.compile(r"export|pdf|docx|-file|attachment|photo|-download")
FILE_SUFFIX = re.compile(r"\.(xlsx|xls|csv|pdf|docx|ics|zip)$", re.IGNORECASE)
URL_WIDTH = 64


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + os.urandom(16).hex())
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()
    from django.conf import settings

    settings.PORTAL_PDF_PER_MINUTE = 10**9  # the per-person PDF limit would stop the 11 requests
    from cppcc_portal.warmup import warm_up_and_freeze

    warm_up_and_freeze()  # as each gunicorn worker does on start-up (cppcc_portal/wsgi.py)


def access_rules() -> list:
    """Every ``access_rules.py`` under tests/, at any depth (as ``tests/test_access.py`` collects them)."""
    import tests

    root = Path(tests.__path__[0])
    rules = []
    for path in sorted(root.rglob("access_rules.py")):
        dotted = ".".join(("tests", *path.relative_to(root).with_suffix("").parts))
        rules += importlib.import_module(dotted).RULES
    return rules


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, ceil(share * len(ordered)) - 1)]


def is_file(name: str, url: str = "") -> bool:
    """A file download: by its URL name, or by the reversed URL's suffix (before any query string)."""
    return bool(FILE_NAME.search(name) or FILE_SUFFIX.search(url.split("?", 1)[0]))


def measure_pages(repeat: int, only: str, files: str = "with") -> list[dict]:
    """Time every case, printing each result as soon as it is measured (a run at scale takes long)."""
    from django.core.exceptions import ObjectDoesNotExist
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from members.models import User
    from tests.access import ROLES

    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    missing = sorted(set(ROLES) - {"anonymous"} - set(users))
    if missing:
        sys.exit(f"demo logins missing ({', '.join(missing)}): run `manage.py seed_demo` on this database first")
    clients: dict[str, Client] = {}
    results = []
    cases: list[tuple[str, str]] = []
    for rule in access_rules():
        if rule.method != "get" or (only and only not in rule.name):
            continue
        try:
            kwargs = rule.kwargs() if callable(rule.kwargs) else rule.kwargs
        except (ObjectDoesNotExist, AttributeError, IndexError, TypeError) as error:  # no such demo object here
            print(f"{rule.name}: skipped, no demo object ({type(error).__name__})", flush=True)
            continue
        path = reverse(rule.name, kwargs=kwargs)
        if (files == "skip" and is_file(rule.name, path)) or (files == "only" and not is_file(rule.name, path)):
            continue
        url = path + (f"?{rule.query}" if rule.query else "")
        cases += [(url, role) for role in ROLES if rule.status_for(role) == 200]
    if (not only or only in "admin:proposals_proposal_changelist") and files != "only":
        cases += EXTRA_CASES  # not in the access table (the admin is exempt), compared in the issue
    print(f"\n== Pages as measured: p50 / p95 over {repeat} warm requests (Django test client), queries per request")
    print_header()
    for url, role in cases:
        if role not in clients:
            clients[role] = Client()
            if role != "anonymous":
                clients[role].force_login(users[role])
        client = clients[role]
        started = time.perf_counter()
        response = client.get(url)  # warm-up
        warm_up = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            results.append({"url": url, "role": role, "status": response.status_code})
            print_row(results[-1], repeat)
            continue
        timings = []
        # A page far over every budget is timed once more, not `repeat` times (it would take hours).
        for _ in range(repeat if warm_up < SLOW_MS else 1):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)
                timings.append((time.perf_counter() - started) * 1000)
        kind = "html" if response.get("Content-Type", "").startswith("text/html") else "file"
        results.append(
            {
                "url": url,
                "role": role,
                "status": response.status_code,
                "kind": kind,
                "queries": len(queries),
                "p50": statistics.median(timings),
                "p95": nearest_rank(timings, 0.95),
                "n": len(timings),
            }
        )
        print_row(results[-1], repeat)
    return results


def print_header() -> None:
    print(
        f"{'URL':<{URL_WIDTH}}  {'role':<11} {'kind':<4} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}  budget", flush=True
    )


def over_budget(r: dict) -> bool:
    if "p95" not in r:
        return True
    return r["p95"] > (HTML_BUDGET_MS if r["kind"] == "html" else FILE_BUDGET_MS)


def print_row(r: dict, repeat: int) -> None:
    if "p95" not in r:
        print(f"{r['url']:<{URL_WIDTH}}  {r['role']:<11} status {r['status']} (expected 200)", flush=True)
        return
    note = "" if r["n"] == repeat else f" (timed {r['n']}×)"
    print(
        f"{r['url']:<{URL_WIDTH}}  {r['role']:<11} {r['kind']:<4} {r['queries']:>7} "
        f"{r['p50']:>8.1f} {r['p95']:>8.1f}  {'OVER' if over_budget(r) else 'ok'}{note}",
        flush=True,
    )


def print_pages(results: list[dict], repeat: int) -> None:
    """The whole table again, slowest first."""
    print(f"\n== Pages, slowest first: p50 / p95 over {repeat} warm requests, queries per request")
    print_header()
    for r in sorted(results, key=lambda r: -r.get("p95", 10**9)):
        print_row(r, repeat)
    over = sum(over_budget(r) for r in results)
    print(
        f"{len(results)} URL × role pairs; {over} over budget (HTML p95 ≤ {HTML_BUDGET_MS} ms, files ≤ {FILE_BUDGET_MS} ms)"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, cookie: str, timeout: float = 120) -> None:
    """Until both workers answer: gunicorn listens before its workers have loaded Django."""
    from concurrent.futures import ThreadPoolExecutor
    from urllib.request import Request, urlopen

    def answered(_) -> bool:
        request = Request(f"http://127.0.0.1:{port}/bench/trivial/", headers={"Cookie": cookie})
        try:
            with urlopen(request, timeout=30) as response:  # nosec
                return response.status == 200
        except OSError:
            return False

    deadline = time.monotonic() + timeout
    with ThreadPoolExecutor(4) as pool:
        while time.monotonic() < deadline:
            if all(pool.map(answered, range(4))):
                return
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer")


def staff_cookie() -> str:
    from django.test import Client

    from members.models import User

    client = Client()
    client.force_login(User.objects.get(username="staff"))
    return f"sessionid={client.cookies['sessionid'].value}"


def throughput_urls() -> list[str]:
    from django.urls import reverse

    from proposals.models import Proposal

    detail = Proposal.objects.filter(number__gt="", is_key=True).order_by("-pk").values_list("pk", flat=True).first()
    urls = ["/bench/trivial/"]
    for page in THROUGHPUT_PAGES:
        urls.append(reverse("proposals:detail", kwargs={"pk": detail}) if page == "proposal-detail" else page)
    return urls


def run_wrk(url: str, cookie: str, seconds: int) -> tuple[float, int]:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    if os.environ.get("BENCH_VERBOSE"):
        print(out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return rate, (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)


def throughput(seconds: int) -> None:
    if not shutil.which("wrk"):
        print("\n== Throughput: skipped, `wrk` is not installed (Debian: apt-get install wrk)")
        return
    if connection_vendor() != "postgresql":
        print("\n== Throughput: note, SQLite serialises writes; figures are for PostgreSQL")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)])}
    gunicorn = [sys.executable, "-m", "gunicorn", "cppcc_portal.wsgi:application"]
    server = subprocess.Popen(
        [*gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    print(f"\n== Throughput as staff: gunicorn 2 workers, wrk -t2 -c8 -d{seconds}s --timeout 30s, 127.0.0.1")
    print(f"{'URL':<24} {'req/s':>9} {'share':>7}  failed   budget (≥ {THROUGHPUT_SHARE:.0%} of trivial)", flush=True)
    rows = []
    try:
        cookie = staff_cookie()
        wait_for(port, cookie)
        for url in throughput_urls():
            run_wrk(f"http://127.0.0.1:{port}{url}", cookie, 2)  # warm both workers
            rate, bad = run_wrk(f"http://127.0.0.1:{port}{url}", cookie, seconds)
            rows.append((url, rate, bad))
            trivial = rows[0][1]
            share = rate / trivial if trivial else 0
            flag = "" if len(rows) == 1 else ("ok" if share >= THROUGHPUT_SHARE else "UNDER")
            print(f"{url:<24} {rate:>9.1f} {share:>7.1%}  {bad:>7}  {flag}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    if any(rate == 0 for _, rate, _ in rows):
        print("(0 req/s: no response finished within the run; the machine is loaded, try --seconds 30)")


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per URL and role (10)")
    parser.add_argument("--only", default="", help="only URL names containing this text")
    parser.add_argument("--no-throughput", action="store_true", help="skip the gunicorn + wrk table")
    parser.add_argument(
        "--files",
        choices=["with", "skip", "only"],
        default="with",
        help="file downloads (exports, PDFs, .docx): measure them too (default), skip them, or only them",
    )
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per URL (10)")
    args = parser.parse_args()
    setup_django()
    from members.models import Member
    from proposals.models import Proposal

    print(
        f"database: {connection_vendor()}, {Proposal.objects.count()} proposals, {Member.objects.count()} members",
        flush=True,
    )
    results = measure_pages(args.repeat, args.only, args.files)
    print_pages(results, args.repeat)
    if not args.no_throughput:
        throughput(args.seconds)


if __name__ == "__main__":
    main()
