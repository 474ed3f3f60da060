"""Every URL, every role: generated from the URL patterns and the per-app rules."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access import ROLES, Rule

# URLs that are not views of this project: Django's own auth pages and the admin.
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_NAMES = {"login", "logout", "password_change", "password_change_done"}


def collect_rules() -> list[Rule]:
    """Every ``access_rules.py`` under tests/, at any depth (tests/proposals/opinions/ has its own)."""
    root = Path(tests.__path__[0])
    rules: list[Rule] = []
    for path in sorted(root.rglob("access_rules.py")):
        dotted = ".".join(("tests", *path.relative_to(root).with_suffix("").parts))
        rules.extend(importlib.import_module(dotted).RULES)
    return rules


def url_names(patterns=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


RULES = collect_rules()


def test_every_url_has_an_access_rule():
    declared = {rule.name for rule in RULES}
    missing = sorted(url_names() - declared - EXEMPT_NAMES)
    assert not missing, f"URLs without an access rule in tests/<app>/access_rules.py: {missing}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.name}{rule.query}")
def test_access(rule: Rule, demo):
    """The URL as every role, each request in its own savepoint that is rolled back, so one
    role's POST never changes what the next role sees; every mismatch is reported at once."""
    mismatches = []
    for role in ROLES:
        with transaction.atomic():
            client = Client()
            if role != "anonymous":
                client.force_login(demo[role])
            kwargs = rule.kwargs() if callable(rule.kwargs) else rule.kwargs
            url = reverse(rule.name, kwargs=kwargs) + (f"?{rule.query}" if rule.query else "")
            response = getattr(client, rule.method)(url)
            expected = rule.status_for(role)
            if response.status_code != expected:
                mismatches.append(f"{role} {rule.method.upper()} {url}: {response.status_code} != {expected}")
            elif expected == 302 and role == "anonymous" and not response["Location"].startswith("/accounts/login/"):
                mismatches.append(f"anonymous {url}: sent to {response['Location']}, not to the login page")
            transaction.set_rollback(True)
    assert not mismatches, "\n".join(mismatches)
