"""Load test: 50 people at once for 2 minutes against gunicorn on PostgreSQL and Redis.

Members file and submit proposals, staff (with their second factor) register and assign them,
handling units accept, record the contact and reply. Everything goes through the real pages
(forms, CSRF, version checks), on 127.0.0.1 only, bounded in time. At the end it reports
throughput, p95 and the 5xx count, then checks in the database that every proposal a member
was told was submitted is there exactly once, and that the registered numbers of the session
run without gaps or duplicates.

    .venv/bin/python bench/load.py                          # 50 sessions, 120 s
    .venv/bin/python bench/load.py --sessions 10 --duration 20
    LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cppcc_load LOAD_REDIS_URL=redis://127.0.0.1:6379/4 \
        LOAD_PORT=8400 .venv/bin/python bench/load.py

The load database is dropped and rebuilt (migrate + demo + load accounts); nothing else is touched.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"  # never anything else
PASSWORD = "load-Test-2026"
SETTINGS = """
from cppcc_portal.settings.production import *  # noqa: F403

# Production, except that the load client talks plain HTTP to 127.0.0.1 (no TLS proxy here).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PORTAL_PROXY_COUNT = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
"""
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
ASSIGNMENT = re.compile(r'name="assignment"[^>]*>\s*<option value="(\d+)"', re.S)
PROPOSAL_LINK = re.compile(r'href="/proposals/(\d+)/"')


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    done: Counter = field(default_factory=Counter)
    submitted: dict[str, int] = field(default_factory=dict)  # title -> pk, as the member was told
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1


class Browser:
    """One person's session: cookies, CSRF, timing of every request."""

    def __init__(self, base: str, stats: Stats):
        self.base, self.stats, self.http = base, stats, requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self._do("GET", path, **kwargs)

    def post(self, path: str, data: dict, page: str | None = None) -> requests.Response:
        csrf = CSRF.search(page or self.get(path).text)
        return self._do("POST", path, data={**data, "csrfmiddlewaretoken": csrf.group(1) if csrf else ""})

    def _do(self, method: str, path: str, **kwargs) -> requests.Response:
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, allow_redirects=False, timeout=60, **kwargs)
        except requests.RequestException:
            self.stats.record(time.perf_counter() - started, 0)  # no answer at all: counted apart
            raise
        self.stats.record(time.perf_counter() - started, response.status_code)
        if response.status_code in (301, 302) and method == "GET":
            return self.get(response.headers["Location"].replace(self.base, ""))
        return response

    def login(self, username: str, totp_key: str | None = None) -> None:
        page = self.get("/accounts/login/").text
        self.post("/accounts/login/", {"username": username, "password": PASSWORD}, page)
        if totp_key:
            from django_otp.oath import TOTP

            verify = self.get("/accounts/2fa/verify/").text
            code = f"{TOTP(bytes.fromhex(totp_key)).token():06d}"
            self.post("/accounts/2fa/verify/", {"token": code, "next": "/"}, verify)


def member_step(browser: Browser, name: str, category: int, numbers) -> None:
    """File a proposal, then submit it; remember it when the page confirms the submission."""
    title = f"关于压测场景{name}第{next(numbers)}件的建议"
    form = browser.get("/proposals/new/").text
    token = FORM_TOKEN.search(form)
    created = browser.post(
        "/proposals/new/",
        {
            "title": title,
            "category": category,
            "period": "plenary",
            "background": "压测：情况分析。" * 20,
            "suggestions": "压测：具体建议。" * 20,
            "form_token": token.group(1) if token else "",
            "publish_consent": "on",
        },
        form,
    )
    if created.status_code != 302 or not re.match(r".*/proposals/\d+/$", created.headers.get("Location", "")):
        return
    pk = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    page = browser.get(f"/proposals/{pk}/submit/").text
    version = VERSION.search(page)
    done = browser.post(f"/proposals/{pk}/submit/", {"version": version.group(1) if version else ""}, page)
    if done.status_code == 302 and "提案已提交" in browser.get(f"/proposals/{pk}/").text:
        with browser.stats.lock:
            browser.stats.submitted[title] = pk
            browser.stats.done["submitted"] += 1


def staff_step(browser: Browser, units: list[int]) -> None:
    """From the review queue: register one proposal, then assign it to a unit."""
    candidates = PROPOSAL_LINK.findall(browser.get("/proposals/review/").text)
    if not candidates:
        time.sleep(0.5)
        return
    pk = random.choice(candidates[:10])  # nosec B311
    page = browser.get(f"/proposals/{pk}/register/").text
    version = VERSION.search(page)
    if not version:
        return  # somebody else registered it meanwhile: the page says so
    registered = browser.post(f"/proposals/{pk}/register/", {"version": version.group(1), "note": ""}, page)
    if registered.status_code != 302 or "已立案" not in browser.get(f"/proposals/{pk}/").text:
        browser.stats.done["register-lost-race"] += 1
        return
    browser.stats.done["registered"] += 1
    page = browser.get(f"/proposals/{pk}/assign/").text
    version = VERSION.search(page)
    if version:
        data = {"version": version.group(1), "lead_unit": random.choice(units), "note": ""}  # nosec B311
        if browser.post(f"/proposals/{pk}/assign/", data, page).status_code == 302:
            browser.stats.done["assigned"] += 1


def unit_step(browser: Browser) -> None:
    """One of the unit's proposals: accept, record the contact with the proposer, reply."""
    pks = PROPOSAL_LINK.findall(browser.get("/proposals/?state=handling").text)
    if not pks:
        time.sleep(0.5)
        return
    pk = random.choice(pks[:10])  # nosec B311
    for action, data in (
        ("accept", {}),
        ("contact", {"on": time.strftime("%Y-%m-%d"), "method": "电话", "summary": "与提案人电话沟通办理方案。"}),
        ("reply", {"reply_class": "B", "reply_text": "压测答复：已列入计划。", "publishable": "on"}),
    ):
        page = browser.get(f"/proposals/{pk}/{action}/").text
        version, assignment = VERSION.search(page), ASSIGNMENT.search(page)
        if not version:
            continue  # not this unit's turn for this step (already done, or not yet possible)
        payload = {"version": version.group(1), **data}
        if assignment:
            payload["assignment"] = assignment.group(1)
        if browser.post(f"/proposals/{pk}/{action}/", payload, page).status_code == 302:
            browser.stats.done[action] += 1


def prepare(sessions: int) -> dict:
    """Fresh load database: migrations, the demo, and accounts for the load (staff with a phone)."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cppcc_portal.roles import Office, Role
    from members.enums import OrganizationKind
    from members.models import Member, Organization, User
    from proposals.models import ProposalCategory

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--force", stdout=io.StringIO())
    staff_n, unit_n = max(1, sessions // 10), max(1, sessions // 5)
    member_n = sessions - staff_n - unit_n
    groups = {role: Group.objects.get(name=role.value) for role in (Role.MEMBER, Role.STAFF, Role.UNIT)}
    units = list(Organization.objects.filter(kind=OrganizationKind.HANDLING_UNIT, is_active=True)[:unit_n])
    template = Member.objects.filter(user__username="member2").first()
    people: dict[str, list] = defaultdict(list)
    for i in range(member_n):
        user = User.objects.create_user(f"load_member_{i:02d}", password=PASSWORD, name=f"压测委员{i:02d}")
        user.groups.add(groups[Role.MEMBER])
        Member.objects.create(
            user=user, name=f"压测委员{i:02d}", gender=template.gender, sector=template.sector, party=template.party
        )
        people["member"].append((user.username, None))
    for i in range(staff_n):
        user = User.objects.create_user(f"load_staff_{i:02d}", password=PASSWORD, name=f"压测工作人员{i:02d}")
        user.is_staff = True
        user.save()
        user.groups.add(groups[Role.STAFF], Group.objects.get(name=Office.ALL))  # acts for every division
        device = TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=True)
        people["staff"].append((user.username, device.key))
    for i, unit in enumerate(units):
        user = User.objects.create_user(f"load_unit_{i:02d}", password=PASSWORD, name=f"压测经办人{i:02d}")
        user.organization = unit
        user.save()
        user.groups.add(groups[Role.UNIT])
        people["unit"].append((user.username, None))
    return {
        "people": people,
        "units": [unit.pk for unit in units],
        "category": ProposalCategory.objects.filter(is_active=True).first().pk,
    }


def verify_exactly_once(submitted: dict[str, int]) -> dict:
    from django.db.models import Count

    from members.models import PlenarySession
    from proposals.models import Proposal

    rows = Counter(Proposal.objects.filter(title__startswith="关于压测场景").values_list("title", flat=True))
    missing = [title for title in submitted if rows[title] == 0]
    duplicated = [title for title, count in rows.items() if count > 1]
    wrong_state = Proposal.objects.filter(pk__in=submitted.values(), state="draft").count()
    session = PlenarySession.current()
    # 大会 and 平时 proposals are numbered in series of their own, each gap-free from 1.
    series = defaultdict(list)
    for period, sequence in Proposal.objects.filter(session=session, sequence__isnull=False).values_list(
        "period", "sequence"
    ):
        series[period].append(sequence)
    sequences = [number for numbers in series.values() for number in numbers]
    gap_free = all(sorted(numbers) == list(range(1, len(numbers) + 1)) for numbers in series.values())
    numbers = Proposal.objects.filter(session=session).exclude(number="").values("number")
    repeated_numbers = numbers.annotate(n=Count("id")).filter(n__gt=1).count()
    return {
        "submitted (told the member)": len(submitted),
        "in database": sum(rows[t] for t in submitted),
        "missing": len(missing),
        "duplicated": len(duplicated),
        "still draft": wrong_state,
        "registered numbers": len(sequences),
        "gap-free 1..N per series": gap_free,
        "duplicate numbers": repeated_numbers,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load (bounded)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker")
    args = parser.parse_args()
    database = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cppcc_load")
    redis_url = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/4")
    port = int(os.environ.get("LOAD_PORT", "8400"))
    for url in (database, redis_url):
        if urlparse(url).hostname not in ("127.0.0.1", "localhost"):
            sys.exit(f"load tests run against this machine only, not {url}")
    args.duration = min(args.duration, 600)

    import psycopg
    from psycopg import sql

    parsed = urlparse(database)
    admin = f"postgresql://{parsed.username or 'postgres'}@{parsed.hostname}:{parsed.port or 5432}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(parsed.path[1:])))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(parsed.path[1:])))
    import redis

    redis.Redis.from_url(redis_url).flushdb()

    workdir = tempfile.mkdtemp(prefix="cppcc-load-")
    Path(workdir, "load_settings.py").write_text(SETTINGS)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([workdir, str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "PORTAL_VAR_DIR": workdir,
    }
    os.environ.update(env)
    sys.path.insert(0, workdir)
    print(f"== preparing {database} (migrate, demo, {args.sessions} load accounts)", flush=True)
    setup = prepare(args.sessions)
    from django.db import connections

    connections.close_all()
    server = subprocess.Popen(  # nosec B603
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "cppcc_portal.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://{HOST}:{port}"
    try:
        for _ in range(120):  # workers import Django and warm up
            try:
                requests.get(base + "/accounts/login/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.5)
        stats = Stats()
        threads = []

        def keep_going(step, browser, *args):
            while time.time() < stop:
                try:
                    step(browser, *args)
                except requests.RequestException:
                    time.sleep(0.5)

        print(f"== {args.sessions} sessions for {args.duration} s against {base}", flush=True)
        logged_in = []
        for kind, accounts in setup["people"].items():
            for username, key in accounts:
                browser = Browser(base, stats)
                browser.login(username, key)
                logged_in.append((kind, username, browser))
        with stats.lock:  # measure the work, not the sign-ins
            stats.latencies.clear()
            stats.statuses.clear()
        started = time.time()
        stop = started + args.duration
        for kind, username, browser in logged_in:
            if kind == "member":
                step, extra = member_step, (username, setup["category"], itertools.count(1))
            elif kind == "staff":
                step, extra = staff_step, (setup["units"],)
            else:
                step, extra = unit_step, ()
            thread = threading.Thread(target=keep_going, args=(step, browser, *extra), daemon=True)
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join(timeout=args.duration + 90)
        elapsed = time.time() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    latencies = sorted(stats.latencies)
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0.0
    errors = sum(count for status, count in stats.statuses.items() if status >= 500)
    print("\n== results")
    print(f"requests             {len(latencies)} in {elapsed:.0f} s  →  {len(latencies) / elapsed:.1f} req/s")
    print(f"latency              median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"status codes         {dict(sorted(stats.statuses.items()))}")
    print(f"5xx                  {errors}")
    print(f"no answer (reset)    {stats.statuses.get(0, 0)}")
    print(f"work done            {dict(stats.done)}")
    print("\n== exactly once")
    check = verify_exactly_once(stats.submitted)
    for name, value in check.items():
        print(f"{name:27}  {value}")
    ok = (
        errors == 0
        and stats.statuses.get(0, 0) == 0
        and check["missing"] == 0
        and check["duplicated"] == 0
        and check["still draft"] == 0
        and check["gap-free 1..N per series"]
        and check["duplicate numbers"] == 0
    )
    print("\nOK" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
