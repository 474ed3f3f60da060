"""What consultations contributes to the navigation, the workbench and member profiles."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cppcc_portal.hooks import NavItem, Panel, register
from cppcc_portal.roles import sees_everything

from .ledger import ACTS
from .models import Inspection, Session
from .selectors import (
    committee_work,
    online_awaiting_moderation,
    outcomes_awaiting_feedback,
    outcomes_owed_by,
    pending_invitations,
    pending_leave_requests,
)


@register("nav_items")
def consultations_nav(user):
    if user.has_perm("consultations.browse_sessions"):
        yield NavItem("协商议政", reverse("consultations:index"), order=40)
    if user.has_perm("consultations.browse_online"):
        yield NavItem("网络议政", reverse("consultations:online-list"), order=41)


@register("workbench_panels")
def invitations_panel(request):
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    invitations = list(pending_invitations(member)[:10])
    if not invitations:
        return None
    return Panel(
        "consultations/panels/invitations.html", {"invitations": invitations}, order=20, title="待回复的会议邀请"
    )


@register("workbench_panels")
def staff_sessions_panel(request):
    if not request.user.has_perm("consultations.manage"):
        return None
    now = timezone.now()
    upcoming = list(Session.objects.filter(ends_at__gt=now).select_related("form").order_by("starts_at")[:8])
    awaiting = list(outcomes_awaiting_feedback()[:8])
    return Panel(
        "consultations/panels/staff.html",
        {
            "upcoming": upcoming,
            "awaiting": awaiting,
            "leave_requests": pending_leave_requests().count(),
            "moderation": list(online_awaiting_moderation()[:5]),
            "today": timezone.localdate(),
        },
        order=25,
        title="协商议政",
    )


@register("member_profile_panels")
def member_record_panel(request, member):
    """The member's consultation, inspection and research record (from the ledger)."""
    user = request.user
    if not (sees_everything(user) or (member.user_id and member.user_id == user.pk)):
        return None
    records = list(member.performance.filter(act__in=ACTS).order_by("-on", "-id")[:30])
    return Panel(
        "consultations/panels/member_record.html",
        {"records": records},
        order=40,
        title="协商议政履职记录",
    )


@register("workbench_panels")
def unit_feedback_panel(request):
    """A handling unit's owed answers: suggestions of sent outcomes and inspections of the unit."""
    user = request.user
    if not user.organization_id or user.has_perm("consultations.manage"):
        return None
    outcomes = list(outcomes_owed_by(user.organization_id)[:10])
    inspections = list(
        Inspection.objects.filter(departments=user.organization_id, feedback_on__isnull=True).order_by("inspected_on")[
            :10
        ]
    )
    if not outcomes and not inspections:
        return None
    return Panel(
        "consultations/panels/unit_feedback.html",
        {"outcomes": outcomes, "inspections": inspections, "today": timezone.localdate()},
        order=22,
        title="协商成果与视察待反馈",
    )


@register("workspace_panels")
def committee_work_panel(request, workspace):
    """A committee's (or an 活动组's 对口专委会's) topics, sessions, research and inspections of the year,
    including those it organises jointly with other committees."""
    if workspace.committee_id is None:
        return None
    work = committee_work(request.user, committee_id=workspace.committee_id, year=workspace.year)
    return Panel(
        "consultations/panels/committee_work.html",
        {**work, "committee_id": workspace.committee_id, "for_group": workspace.group is not None},
        order=20,
        title="协商议政与民主监督" + ("（对口专委会）" if workspace.group is not None else ""),
    )
