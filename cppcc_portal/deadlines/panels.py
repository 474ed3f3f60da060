"""The board in the navigation and on the workbench (first thing a unit user sees)."""

from django.urls import reverse
from django.utils import timezone

from cppcc_portal.hooks import NavItem, Panel, register

from .board import Board

PANEL_ROWS = 8


@register("nav_items")
def deadlines_nav(user):
    if user.has_perm("cppcc_portal.see_deadline_board"):
        yield NavItem("逾期与预警", reverse("deadlines:board"), order=60)


@register("workbench_panels")
def deadlines_panel(request):
    user = request.user
    if not user.has_perm("cppcc_portal.see_deadline_board"):
        return None
    board = Board(user=user, today=timezone.localdate(), window=(0, PANEL_ROWS))
    summary = board.summary
    unit_view = not user.has_perm("cppcc_portal.see_all_deadlines")
    return Panel(
        "deadlines/panels/board.html",
        {
            "rows": board[:PANEL_ROWS] if summary["total"] else [],
            "summary": summary,
            "more": summary["total"] > PANEL_ROWS,
            "wide": unit_view,
        },
        # A unit user's workbench opens with the board; staff see it after their profile.
        order=-10 if unit_view else 20,
        title="逾期与预警" + ("（本单位）" if unit_view else ""),
    )
