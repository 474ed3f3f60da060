"""The 逾期与预警 board: every open clock due within N working days or overdue.

One query per registered clock (a range on its indexed due-date column, the
escalation level reached annotated from the ledger), whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from cppcc_portal import workdays

from .registry import all_sources, policy_for
from .sweep import reminder_bound

DEFAULT_WITHIN = 5
MAX_WITHIN = 60
LEVEL_ANNOTATION = "deadline_level_reached"


@dataclass
class BoardRow:
    key: str
    clock: str
    title: str
    link: str
    unit: Any
    due: date
    rule: str
    today: date
    overdue: bool
    days: int  # working days left, or (when overdue) working days overdue
    level: int
    item: Any

    @property
    def status(self) -> str:
        if self.overdue:
            return f"逾期{self.days}个工作日" if self.days else "已逾期"
        if self.due == self.today:
            return "今天到期"
        return f"剩{self.days}个工作日"

    @property
    def signed_days(self) -> int:
        return -self.days if self.overdue else self.days

    @property
    def level_label(self) -> str:
        return f"第{self.level}级" if self.level else "—"


def board_rows(
    *,
    user,
    today: date,
    within: int = DEFAULT_WITHIN,
    unit_id: int | None = None,
    clock: str = "",
    level: int | None = None,
) -> list[BoardRow]:
    """Rows the user may see, sorted by due date (most overdue first)."""
    from cppcc_portal.models import DeadlinePolicy, NoticeLedger

    horizon = reminder_bound(today, max(0, min(within, MAX_WITHIN)))
    sees_all = user.has_perm("cppcc_portal.see_all_deadlines")
    organization_id = None if sees_all else getattr(user, "organization_id", None)
    if not sees_all and organization_id is None:
        return []
    sources = [source for source in all_sources() if not clock or source.key == clock]
    for source in sources:
        policy_for(source.key)  # make sure every policy row exists before the one read below
    policies = {policy.key: policy for policy in DeadlinePolicy.objects.filter(key__in=[s.key for s in sources])}
    rows: list[BoardRow] = []
    for source in sources:
        policy = policies[source.key]
        model = source.get_model()
        content_type = ContentType.objects.get_for_model(model)
        due_field = source.due_field
        queryset = source.queryset().filter(**{f"{due_field}__isnull": False, f"{due_field}__lte": horizon})
        if organization_id is not None:
            queryset = queryset.filter(source.unit_filter(organization_id))
        elif unit_id:
            queryset = queryset.filter(source.unit_filter(unit_id))
        reached = (
            NoticeLedger.objects.filter(
                content_type=content_type,
                object_id=OuterRef("pk"),
                clock=source.key,
                due_on=OuterRef(due_field),
                recipient__isnull=True,
                level__gt=0,
            )
            .order_by("-level")
            .values("level")[:1]
        )
        queryset = queryset.annotate(
            **{LEVEL_ANNOTATION: Coalesce(Subquery(reached, output_field=IntegerField()), Value(0))}
        )
        if level is not None:
            queryset = queryset.filter(**{LEVEL_ANNOTATION: level})
        if source.related:
            queryset = queryset.select_related(*source.related)
        for item in queryset.order_by(due_field, "pk"):
            due = getattr(item, due_field)
            rows.append(
                BoardRow(
                    key=source.key,
                    clock=policy.name,
                    title=source.title(item),
                    link=source.link(item),
                    unit=source.unit(item),
                    due=due,
                    rule=source.rule_text(item, policy),
                    today=today,
                    overdue=due < today,
                    days=abs(workdays.working_days_between(today, due)),
                    level=getattr(item, LEVEL_ANNOTATION),
                    item=item,
                )
            )
    rows.sort(key=lambda row: (row.due, row.key, row.title))
    return rows


def summary(rows: list[BoardRow]) -> dict[str, int]:
    return {
        "total": len(rows),
        "overdue": sum(1 for row in rows if row.overdue),
        "escalated": sum(1 for row in rows if row.level),
        "due_soon": sum(1 for row in rows if not row.overdue),
    }
