"""Fuzz every POST form reachable from the access table, as every role that may submit it.

Each page of the access table is opened as each role that gets it (200); every POST form on
it is read from the HTML (fields, types, choices, limits, hidden version). Then, from the
form's own values with its required fields filled in, one kind of bad value at a time:

- empty:            the required fields (and the hidden version) blank;
- over-long:        one character past each field's ``maxlength``;
- wrong-type:       text where numbers, dates, e-mails or choices belong;
- unknown-choice:   a value that is none of the offered options;
- huge-file:        a 21 MB file in every file field (over every upload limit);
- mismatched-version: the page's version number, one behind (a stale page).

For each: no 5xx, a Chinese message (the form's errors, a message after the redirect, or a
Chinese error page), and no change in the database: a per-transaction row-change counter
(PostgreSQL's ``pg_stat_xact_user_tables``, SQLite's ``total_changes()``) must not move, and
where it does (a service that wrote and then rolled back), the touched tables must hash the
same as before the POST.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access import Rule
from tests.test_access import RULES

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
HUGE = 21 * 1024 * 1024
SKIP_ACTIONS = ("/accounts/logout/", "/accounts/2fa/")  # signing out; the 2FA pages have their own tests
IGNORED_TABLES = {"django_session"}  # every request may touch the session (last seen, messages)
VARIANTS = ("empty", "over-long", "wrong-type", "unknown-choice", "huge-file", "mismatched-version")


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, multiselect, radio, checkbox, hidden, file, number, date, email …
    value: str | list[str] = ""
    required: bool = False
    maxlength: int | None = None
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)


class FormParser(HTMLParser):
    """The POST forms of a page, with what a person could type or choose in each field."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url, self.forms, self.current = page_url, [], None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                action = urlparse(urljoin(self.page_url, a.get("action") or self.page_url)).path
                self.current = Form(action, (a.get("enctype") or "") == "multipart/form-data")
            return
        if self.current is None or not a.get("name") or a.get("name") == "csrfmiddlewaretoken":
            return
        name = a["name"]
        required, maxlength = "required" in a, int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            existing = self.current.fields.get(name)
            if kind in ("radio", "checkbox") and existing:
                existing.options.append(a.get("value") or "on")
                if "checked" in a:
                    existing.value = a.get("value") or "on"
                return
            value = (a.get("value") or "on") if kind not in ("radio", "checkbox") or "checked" in a else ""
            if kind in ("radio", "checkbox") and "checked" not in a:
                value = ""
            options = [a.get("value") or "on"] if kind in ("radio", "checkbox") else []
            self.current.fields[name] = Field(name, kind, unescape(value), required, maxlength, options)
        elif tag == "select":
            kind = "multiselect" if "multiple" in a else "select"
            self.select = Field(name, kind, [] if kind == "multiselect" else "", required)
            self.current.fields[name] = self.select
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select.options.append(value)
            if "selected" in a:
                if self.select.kind == "multiselect":
                    self.select.value.append(value)
                else:
                    self.select.value = value
        elif tag == "textarea":
            self.textarea = Field(name, "textarea", "", required, maxlength)
            self.current.fields[name] = self.textarea

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea.value = self.textarea.value.lstrip("\n")
            self.textarea = None


def plausible(form: Form) -> dict:
    """The form as rendered, with its required fields filled in the way a person might."""
    data: dict = {}
    for f in form.fields.values():
        value = f.value
        if not value and f.required:
            value = {
                "select": next((o for o in f.options if o), ""),
                "multiselect": [o for o in f.options if o][:1],
                "radio": f.options[0] if f.options else "",
                "number": "1",
                "date": "2026-06-01",
                "datetime-local": "2026-06-01T09:00",
                "email": "someone@example.org",
                "file": None,
            }.get(f.kind, "测试内容")
        if f.kind == "file" or value is None:
            continue
        if value != "" and value != []:
            data[f.name] = value
    return data


def bad_submissions(form: Form) -> Iterator[tuple[str, dict]]:
    base = plausible(form)
    fields = form.fields.values()
    required = [f for f in fields if f.required or f.name == "version"]
    if required:
        yield "empty", {**base, **{f.name: "" for f in required}}
    limited = [f for f in fields if f.maxlength]
    if limited:
        yield "over-long", {**base, **{f.name: "长" * (f.maxlength + 1) for f in limited}}
    typed = [f for f in fields if f.kind in ("number", "date", "datetime-local", "email", "select", "multiselect")]
    if typed:
        yield "wrong-type", {**base, **{f.name: "不是这个类型" for f in typed}}
    choices = [f for f in fields if f.kind in ("select", "multiselect", "radio")]
    if choices:
        yield "unknown-choice", {**base, **{f.name: "987654321" for f in choices}}
    files = [f for f in fields if f.kind == "file"]
    if files:
        huge = {f.name: SimpleUploadedFile("巨大文件.pdf", b"%PDF-1.4\n" + b"0" * HUGE) for f in files}
        yield "huge-file", {**base, **huge}
    version = form.fields.get("version")
    if version and str(version.value).isdigit():
        yield "mismatched-version", {**base, "version": str(int(version.value) - 1)}


# --- "did anything change?" ------------------------------------------------------------------


def changed_tables() -> dict[str, int]:
    """Row changes made in this transaction so far, per table (cheap: one query)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
                "WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
            )
            return {name: n for name, n in cursor.fetchall() if name not in IGNORED_TABLES}
        cursor.execute("SELECT total_changes()")
        return {"*": cursor.fetchone()[0]}


def table_digest(tables) -> dict[str, str]:
    names = (
        [t for t in connection.introspection.table_names() if t not in IGNORED_TABLES]
        if "*" in tables
        else sorted(tables)
    )
    digests = {}
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")  # names from introspection
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def assert_unchanged(post, label: str) -> object:
    """Run ``post``; fail if it left a change in the database (a written-then-rolled-back service
    moves the counters but not the rows: the touched tables are compared with their state before)."""
    before = changed_tables()
    savepoint = transaction.savepoint()
    response = post()
    after = changed_tables()
    moved = {name for name in after if after[name] != before.get(name)}
    if moved:
        now = table_digest(moved)
        transaction.savepoint_rollback(savepoint)
        then = table_digest(moved)
        differ = sorted(name for name in moved if now[name] != then[name])
        assert not differ, f"{label}: the database changed ({', '.join(differ)})"
    else:
        transaction.savepoint_commit(savepoint)
    return response


# --- "did the person get told, in Chinese?" ----------------------------------------------------

MESSAGE = re.compile(
    r'class="[^"]*\b(invalid-feedback|errorlist|alert-danger|alert-warning|alert-info|alert-success)\b[^"]*"[^>]*>(.*?)</',
    re.S,
)


def chinese_message(client, response) -> str:
    if response.status_code in (301, 302):
        response = client.get(response["Location"])
    html = response.content.decode(errors="replace")
    if response.status_code >= 400:
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        return heading.group(1) if heading and CJK.search(heading.group(1)) else ""
    return next((text for _, text in MESSAGE.findall(html) if CJK.search(text)), "")


# --- the walk ----------------------------------------------------------------------------------


def rule_key(rule: Rule) -> tuple:
    return rule.name, repr(rule.kwargs)


def view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


# The demo logins by role (member1 is also a station head). Two logins of one role see the same
# forms, so each form is fuzzed once per role, as the first login of that role that opens its page.
ROLE_OF = {
    "admin": "superuser",
    "staff": "staff",
    "leader": "leader",
    "member1": "member + station head",
    "member2": "member",
    "unit_edu": "unit",
    "unit_health": "unit",
}


def form_pages() -> list[tuple[Rule, str]]:
    """(page rule, login) for every page and every role that opens it; list filters add no forms."""
    seen, pages = set(), []
    for rule in RULES:
        if rule.method != "get" or rule.query:
            continue
        for login_name, role in ROLE_OF.items():
            key = (rule.name, repr(rule.kwargs), role)
            if rule.status_for(login_name) == 200 and key not in seen:
                seen.add(key)
                pages.append((rule, login_name))
    return pages


def test_every_post_form_refuses_bad_input_politely_and_changes_nothing(client, demo):
    tried, problems, forms_seen = 0, [], set()
    formless: set = set()
    for rule, role in form_pages():
        if rule_key(rule) in formless:
            continue
        client.force_login(demo[role])
        kwargs = rule.kwargs() if callable(rule.kwargs) else rule.kwargs
        url = reverse(rule.name, kwargs=kwargs) + (f"?{rule.query}" if rule.query else "")
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        parser = FormParser(url)
        parser.feed(page.content.decode())
        forms = [form for form in parser.forms if not form.action.startswith(SKIP_ACTIONS)]
        if not forms:  # no POST form here for the first role that opens it: none for the others
            formless.add(rule_key(rule))
        for form in forms:
            # The same form on another proposal or session adds nothing: once per view, fields and role.
            key = (view_name(form.action), tuple(sorted(form.fields)), ROLE_OF[role])
            if key in forms_seen:
                continue
            forms_seen.add(key)
            for variant, data in bad_submissions(form):
                if variant == "huge-file":  # the size limit is the form's, whoever sends it: once per form
                    if (key[:2], variant) in forms_seen:
                        continue
                    forms_seen.add((key[:2], variant))
                label = f"{role} POST {form.action} [{variant}] (form on {url})"
                tried += 1
                try:
                    response = assert_unchanged(lambda d=data, a=form.action: client.post(a, d), label)
                except AssertionError as error:
                    problems.append(str(error))
                    continue
                if response.status_code >= 500:
                    problems.append(f"{label}: {response.status_code}")
                elif not chinese_message(client, response):
                    problems.append(f"{label}: no Chinese message ({response.status_code})")
    assert tried > 100, f"only {tried} bad submissions: the walk found too few forms"
    assert not problems, "\n".join(problems)


# --- Hypothesis: whatever a person types into the proposal form ------------------------------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, background=TEXT, category=TEXT, period=TEXT, co_signers=st.lists(TEXT, max_size=3))
def test_whatever_is_typed_into_the_proposal_form_never_breaks_it(
    client, demo, title, background, category, period, co_signers
):
    client.force_login(demo["member1"])
    data = {
        "title": title,
        "background": background,
        "suggestions": background,
        "category": category,
        "period": period,
        "co_signers": co_signers,
    }
    response = client.post("/proposals/new/", data)
    assert response.status_code < 500
    if response.status_code == 200:
        assert chinese_message(client, response), "a refused form says why, in Chinese"
