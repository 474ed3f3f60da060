"""The .xlsx export of any filtered proposal list."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

COLUMNS = ["编号", "案由", "类别", "提案人", "提案类型", "会次", "状态", "提交时间", "承办单位", "重点提案"]
WIDTHS = [24, 50, 14, 16, 10, 18, 10, 18, 40, 10]


def rows(proposals: Iterable) -> Iterator[list]:
    for p in proposals:
        units = "、".join(f"{a.unit.name}（{a.get_kind_display()}）" for a in p.assignments.all())
        yield [
            p.number,
            p.title,
            p.category.name,
            p.proposer_label,
            p.get_period_display(),
            p.session.short_name,
            p.get_state_display(),
            p.submitted_at,
            units,
            "是" if p.is_key else "",
        ]
