"""The board in the navigation and on the workbench (first thing a unit user sees)."""

from django.urls import reverse
from django.utils import timezone

from cppcc_portal.hooks import NavItem, Panel, register

PANEL_ROWS = 8


@register("nav_items")
def deadlines_nav(user):
    if user.has_perm("cppcc_portal.see_deadline_board"):
        yield NavItem("逾期与预警", reverse("deadlines:board"), order=60)


@register("workbench_panels")
def deadlines_panel(request):
    from .board import board_rows, summary

    user = request.user
    if not user.has_perm("cppcc_portal.see_deadline_board"):
        return None
    rows = board_rows(user=user, today=timezone.localdate())
    unit_view = not user.has_perm("cppcc_portal.see_all_deadlines")
    return Panel(
        "deadlines/panels/board.html",
        {"rows": rows[:PANEL_ROWS], "summary": summary(rows), "more": len(rows) > PANEL_ROWS, "wide": unit_view},
        # A unit user's workbench opens with the board; staff see it after their profile.
        order=-10 if unit_view else 20,
        title="逾期与预警" + ("（本单位）" if unit_view else ""),
    )
