"""Content-Security-Policy without inline scripts, session time limits, and the PDF throttle."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cppcc_portal.middleware import is_pdf_url, pdf_throttle_key
from proposals.models import Proposal
from tests.access import Rule
from tests.test_access import RULES, url_names

pytestmark = pytest.mark.django_db


class InlineScripts(HTMLParser):
    """Collects what a strict script-src would block: inline <script> and on… handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        self.found += [f"<{tag} {name}=…>" for name in names if name.startswith("on")]
        self.found += [
            f"<{tag} {n}=javascript:…>" for n, v in attrs if (v or "").strip().lower().startswith("javascript:")
        ]


def inline_scripts(html: str) -> list[str]:
    parser = InlineScripts()
    parser.feed(html)
    return parser.found


def test_every_response_carries_a_policy_that_forbids_inline_scripts(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"


def _first_page_rules() -> list[tuple[Rule, str]]:
    seen, chosen = set(), []
    for rule in RULES:
        role = next(
            (r for r in ("admin", "staff", "member1", "unit_edu", "anonymous") if rule.status_for(r) == 200), None
        )
        key = (rule.name, rule.query)
        if rule.method == "get" and role and key not in seen:
            seen.add(key)
            chosen.append((rule, role))
    return chosen


def test_no_page_in_the_access_table_has_an_inline_script(client, demo):
    offenders = {}
    for rule, role in _first_page_rules():
        client.logout()
        if role != "anonymous":
            client.force_login(demo[role])
        kwargs = rule.kwargs() if callable(rule.kwargs) else rule.kwargs
        response = client.get(reverse(rule.name, kwargs=kwargs) + (f"?{rule.query}" if rule.query else ""))
        if "text/html" in response.get("Content-Type", ""):
            found = inline_scripts(response.content.decode())
            if found:
                offenders[rule.name] = sorted(set(found))
    assert not offenders, offenders


def test_staff_are_signed_out_after_half_an_hour_of_quiet_members_later(login):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        staff = login("staff")
        assert staff.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = staff.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert staff.get("/").status_code == 302, "the session is gone, not just this request"


def test_members_get_a_longer_quiet_spell(client, demo):
    start = timezone.now()
    client.force_login(demo["member1"])
    with time_machine.travel(start, tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=31 + 121), tick=False):
        assert client.get("/").status_code == 302


def test_even_an_active_session_ends_after_the_absolute_limit(client, demo):
    start = timezone.now()
    client.force_login(demo["member1"])
    for minutes in range(0, 12 * 60 + 1, 60):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=30), tick=False):
        assert client.get("/").status_code == 302


def test_pdf_generation_is_throttled_per_person(login, settings, demo):
    settings.PORTAL_PDF_PER_MINUTE = 2
    proposal = Proposal.objects.get(title="关于推进义务教育优质均衡发展缓解择校热的建议")
    client = login("staff")
    with time_machine.travel(timezone.now(), tick=False):
        cache.delete_many([pdf_throttle_key(demo[name].pk) for name in ("staff", "leader")])  # earlier runs
        for _ in range(2):
            assert client.get(f"/proposals/{proposal.pk}/pdf/").status_code == 200
        refused = client.get(f"/proposals/{proposal.pk}/pdf/")
        assert refused.status_code == 429 and "每人每分钟最多生成 2 份" in refused.content.decode()
        assert login("leader").get(f"/proposals/{proposal.pk}/pdf/").status_code == 200, "per person"


def test_every_pdf_url_is_covered_by_the_throttle():
    pdf_views = {name for name in url_names() if "pdf" in name.split(":")[-1]}
    assert pdf_views and all(is_pdf_url(name.split(":")[-1]) for name in pdf_views)
