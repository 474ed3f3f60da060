"""List and board pages do not grow in query count with rows: N more rows, then 5N, same count.

The cases come from the access table (``tests/<app>/access_rules.py``, as in
``tests/test_access.py``): every GET rule whose URL name is in ``BUILDERS`` is a
list or board page, requested as every role that may open it. Each builder adds
N rows of what its list shows; most lists grow through the app's own
``seed_scale`` seeders (proposals with assignments and ratings, members with
stations, 社情民意, station activities, consultation sessions with invitations).
``test_every_list_in_the_table_has_a_builder`` keeps the table and this file in step.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cppcc_portal.hooks import get_hooks
from cppcc_portal.scale import Scale
from tests.access import ROLES, Rule
from tests.test_access import RULES

N = 12


def grow_history(n: int) -> None:
    """n more proposals (in every state, with assignments), members, reports, activities, sessions."""
    scale = Scale(proposals=n * 4, members=n, ledger=0)
    scale.consultations = scale.activities = scale.opinions = n
    for seeder in sorted(get_hooks("scale_seeders"), key=lambda fn: getattr(fn, "seed_order", 100)):
        seeder(scale)


def grow_notifications(n: int) -> None:
    from cppcc_portal.models import Notification
    from members.models import User

    Notification.objects.bulk_create(
        Notification(recipient=user, kind="test", subject=f"通知{k}", body="正文" * 50, link="/")
        for user in User.objects.all()
        for k in range(n)
    )
    grow_history(n)


def grow_trainings(n: int) -> None:
    from datetime import date

    from members.performance.models import Training

    Training.objects.bulk_create(Training(title=f"培训{k}", held_on=date(2026, 1 + k % 12, 1)) for k in range(n))


BUILDERS = {
    "notifications": grow_notifications,
    "proposals:list": grow_history,
    "proposals:review-queue": grow_history,
    "proposals:followups": grow_history,
    "public_proposals:list": grow_history,
    "opinions:list": grow_history,
    "members:list": grow_history,
    "members:trainings": grow_trainings,
    "stations:list": grow_history,
    "stations:overview": grow_history,
    "consultations:index": grow_history,
    # The workbench and the deadline board count and page their open clocks in SQL.
    "home": grow_history,
    "deadlines:board": grow_history,
}

# List-like pages of the table not covered yet: they need a builder of their own rows
# (reports, reflections, matters, outcomes, ...).
NOT_YET = {
    "members:reports", "members:reflections", "members:five-ones", "members:scoring", "members:study",
    "members:selection", "members:contacts", "members:visits", "stations:matters", "consultations:outcomes",
    "consultations:research-list", "consultations:supervisors",
}  # fmt: skip

CASES = [rule for rule in RULES if rule.method == "get" and rule.name in BUILDERS]


def count_queries(client, url: str) -> int:
    client.get(url)  # warm: per-process caches (settings rows, content types) are not per-row work
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_list_in_the_table_has_a_builder():
    names = {rule.name for rule in RULES if rule.method == "get"}
    listish = {n for n in names if n.endswith(("list", "board", "queue", "followups")) or n in BUILDERS}
    assert listish - set(BUILDERS) - NOT_YET == set()
    assert set(BUILDERS) <= names


@pytest.mark.parametrize("rule", CASES, ids=lambda rule: f"{rule.name}{rule.query}")
def test_query_count_does_not_grow_with_rows(rule: Rule, client, demo):
    roles = [role for role in ROLES if rule.status_for(role) == 200]
    kwargs = rule.kwargs() if callable(rule.kwargs) else rule.kwargs
    url = reverse(rule.name, kwargs=kwargs) + (f"?{rule.query}" if rule.query else "")

    def counts() -> dict[str, int]:
        result = {}
        for role in roles:
            client.logout()
            if role != "anonymous":
                client.force_login(demo[role])
            result[role] = count_queries(client, url)
        return result

    BUILDERS[rule.name](N)
    at_n = counts()
    BUILDERS[rule.name](4 * N)
    at_5n = counts()
    assert at_5n == at_n, f"{url}: queries with {N} rows {at_n}, with {5 * N} rows {at_5n}"
