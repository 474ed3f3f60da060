"""A throwaway clock over ``members.Member`` for engine tests (due date: ``birth_date``).

It lets the engine be tested without any domain app: each test member's
``birth_date`` stands in for a due date, ``status`` for "still open", and the
member's login's organisation for the handling unit. The real-worker test loads
it in the worker too (``tests/cppcc_portal/deadlines/worker_main.py``).
"""

from __future__ import annotations

import os
import time

from django.db.models import Q

from cppcc_portal.deadlines import ClockSource, ClockSpec, Escalation, register_clock, register_source
from cppcc_portal.deadlines.registry import _clocks, unregister_source
from cppcc_portal.roles import whole_office_staff

KEY = "test.member_clock"

SPEC = ClockSpec(
    key=KEY,
    label="测试时限",
    start_label="登记后",
    length=10,
    reminders=(5, 2),
    remind=("self",),
    escalations=(
        Escalation(after_days=1, notify=("self", "staff"), label="告知本人和机关"),
        Escalation(after_days=10, notify=("leaders",), label="主席会议成员督办"),
    ),
)


class MemberClock(ClockSource):
    key = KEY
    model = "members.Member"
    due_field = "birth_date"
    unit_field = "user__organization"
    related = ("user__organization",)
    export_fields = ("name",)
    relations = {"self": "委员本人"}
    overdue_calls: list[tuple[int, int]] = []

    def open_filter(self) -> Q:
        return Q(status="active", employer_title__startswith="测试")

    def recipients(self, item, relation: str) -> list:
        from cppcc_portal.roles import Role
        from members.models import User

        pause = float(os.environ.get("FAKE_CLOCK_PAUSE", "0") or 0)
        if pause:
            time.sleep(pause)  # the worker test kills the worker while it sits here
        if relation == "self":
            return [item.user] if item.user_id else []
        if relation == "staff":
            return list(whole_office_staff())
        if relation == "leaders":
            return list(User.objects.filter(groups__name=Role.LEADER, is_active=True))
        return []

    def title(self, item) -> str:
        return f"测试事项：{item.name}"

    def link(self, item) -> str:
        return f"/members/{item.pk}/"

    def on_overdue(self, item, *, level: int) -> None:
        self.overdue_calls.append((item.pk, level))


def install() -> MemberClock:
    register_clock(SPEC)
    source = MemberClock()
    source.overdue_calls = []
    register_source(source)
    return source


def uninstall() -> None:
    unregister_source(KEY)
    _clocks.pop(KEY, None)
