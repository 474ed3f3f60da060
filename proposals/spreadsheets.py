"""The .xlsx export of any filtered proposal list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.db.models import QuerySet

from .enums import AssignmentKind, AssignmentState, Period, ProposalState
from .models import Assignment

COLUMNS = ["编号", "案由", "类别", "提案人", "提案类型", "会次", "状态", "提交时间", "承办单位", "重点提案"]
WIDTHS = [24, 50, 14, 16, 10, 18, 10, 18, 40, 10]
EXPORT_CHUNK = 2000
FIELDS = (
    "pk",
    "number",
    "title",
    "category__name",
    "collective_name",
    "author__name",
    "period",
    "session__short_name",
    "state",
    "submitted_at",
    "is_key",
)


def rows(proposals: QuerySet) -> Iterator[list]:
    """The export's rows from plain values, never model objects: the proposals through one
    server-side cursor, and the units of each chunk of them in one query."""
    values = proposals.prefetch_related(None).values_list(*FIELDS).iterator(chunk_size=EXPORT_CHUNK)
    periods, states, kinds = dict(Period.choices), dict(ProposalState.choices), dict(AssignmentKind.choices)
    while chunk := list(islice(values, EXPORT_CHUNK)):
        units = defaultdict(list)
        assignments = (
            Assignment.objects.filter(proposal_id__in=[row[0] for row in chunk])
            .exclude(state=AssignmentState.REASSIGNED)
            .order_by("proposal_id", "kind", "id")
            .values_list("proposal_id", "unit__name", "kind")
        )
        for proposal_id, unit, kind in assignments:
            units[proposal_id].append(f"{unit}（{kinds.get(kind, kind)}）")
        for pk, number, title, category, collective, author, period, session, state, submitted, key in chunk:
            yield [
                number,
                title,
                category,
                collective or author,
                periods.get(period, period),
                session,
                states.get(state, state),
                submitted,
                "、".join(units[pk]),
                "是" if key else "",
            ]
