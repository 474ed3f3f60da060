"""Access rules for every URL, declared per app in ``tests/<app>/access_rules.py``.

Each module defines ``RULES``: a list of ``Rule``. ``tests/test_access.py``
checks that every named URL in the project has a rule (so a new view without
one fails) and requests each URL as every demo role, expecting the status the
rule names. ``kwargs`` may be a callable run inside the test database, to look
up a demo object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# ``staff`` acts for every division of the office; each ``staff_*`` login for one (cppcc_portal.roles.Office):
# 提案委员会办公室, 研究室, 办公室, and the 专委会办公室 of 经济委员会.
OFFICES = ("staff_proposals", "staff_opinions", "staff_meetings", "staff_committee")
ROLES = [
    "anonymous",
    "admin",
    "staff",
    *OFFICES,
    "leader",
    "member1",
    "member2",
    "unit_edu",
    "unit_health",
    "party_minjin",
]
LOGIN = 302  # anonymous users are sent to the login page


@dataclass
class Rule:
    name: str
    expect: dict[str, int]
    kwargs: Callable[[], dict] | dict = field(default_factory=dict)
    query: str = ""
    method: str = "get"

    def status_for(self, role: str) -> int:
        if role in self.expect:
            return self.expect[role]
        if role == "anonymous" and "anonymous" not in self.expect:
            return self.expect.get("anonymous", LOGIN)
        return self.expect["*"]


def everyone(status: int = 200, **overrides: int) -> dict[str, int]:
    """Every logged-in role gets ``status``; anonymous is sent to log in."""
    return {"*": status, **overrides}


def only(*roles: str, ok: int = 200) -> dict[str, int]:
    """Only the named roles get ``ok``; other logged-in roles get 403."""
    return {"*": 403, **{role: ok for role in roles}}
