"""What proposals contribute to the navigation and the workbench."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cppcc_portal.hooks import NavItem, Panel, register
from cppcc_portal.roles import is_leader, is_member, is_proposer_org_user, is_unit_user
from members.models import Organization, PlenarySession

from . import selectors
from .enums import AssignmentState, ProposalState, RequestState, SignerStatus
from .models import Assignment, Proposal, Signer


@register("nav_items")
def proposals_nav(user):
    yield NavItem("提案列表", reverse("proposals:list"), order=20, group="提案")
    if user.has_perm("proposals.see_review_queue"):
        yield NavItem("立案审查", reverse("proposals:review-queue"), order=21, group="提案")
    if user.has_perm("proposals.see_key_proposals"):
        yield NavItem("重点提案遴选", reverse("proposals:key-selections"), order=22, group="提案")


@register("workbench_panels")
def member_panel(request):
    user = request.user
    if not is_member(user):
        return None

    member = user.member
    drafts = list(
        Proposal.objects.filter(
            author=member, proposer_org__isnull=True, state__in=[ProposalState.DRAFT, ProposalState.RETURNED]
        ).order_by("-updated_at")[:5]
    )
    invites = list(
        Signer.objects.filter(member=member, status=SignerStatus.INVITED)
        .select_related("proposal__author")
        .order_by("-invited_at")[:5]
    )
    to_evaluate = list(
        Assignment.objects.filter(state=AssignmentState.REPLIED, proposal__author=member)
        .exclude(evaluations__member=member)
        .select_related("proposal", "unit")
        .order_by("evaluation_due")[:5]
    )
    return Panel(
        "proposals/panels/member.html",
        {"drafts": drafts, "invites": invites, "to_evaluate": to_evaluate, "today": timezone.localdate()},
        order=10,
        title="我的提案",
    )


@register("workbench_panels")
def staff_panel(request):
    if not request.user.has_perm("proposals.see_review_queue"):
        return None

    queue = selectors.review_queue()
    return Panel(
        "proposals/panels/staff.html",
        {
            "queue": list(queue[:6]),
            "queue_count": queue.count(),
            "reassign_count": Assignment.objects.filter(state=AssignmentState.REASSIGN_REQUESTED).count(),
            "extension_count": Assignment.objects.filter(extension_requests__state=RequestState.PENDING).count(),
            "today": timezone.localdate(),
        },
        order=10,
        title="提案审查与交办",
    )


@register("workbench_panels")
def unit_panel(request):
    user = request.user
    if not is_unit_user(user):
        return None

    return Panel(
        "proposals/panels/unit.html",
        {"assignments": list(selectors.unit_open_assignments(user)[:10]), "today": timezone.localdate()},
        order=10,
        title="本单位待办提案",
    )


@register("workbench_panels")
def organization_panel(request):
    """A proposer organisation's own proposals: what waits for its head, what it may submit."""
    user = request.user
    if not is_proposer_org_user(user):
        return None

    open_ = Proposal.objects.filter(
        proposer_org_id=user.organization_id, state__in=[ProposalState.DRAFT, ProposalState.RETURNED]
    ).order_by("-updated_at")
    return Panel(
        "proposals/panels/organization.html",
        {
            "awaiting_head": list(open_.filter(head_confirmed_at__isnull=True)[:5]),
            "ready": list(open_.filter(head_confirmed_at__isnull=False)[:5]),
            "is_head": user.is_unit_head,
            "organization": user.organization,
        },
        order=10,
        title="本单位集体提案",
    )


@register("workbench_panels")
def leader_panel(request):
    user = request.user
    if not is_leader(user):
        return None

    key = list(
        Proposal.objects.filter(is_key=True, key_leader=user).select_related("session").order_by("sequence")[:10]
    )
    return Panel("proposals/panels/leader.html", {"key_proposals": key}, order=15, title="我督办的重点提案")


@register("workspace_panels")
def workspace_proposals_panel(request, workspace):
    """A committee's proposals of the year: those filed in its name, and those its members lead;
    an 活动组's: those its members lead. Only what the user may see."""
    user = request.user
    # Plain id lists, not subqueries: PostgreSQL then ORs two index scans (author, proposer
    # organisation) instead of reading the whole year's proposals to test each one.
    mine = Q(author_id__in=list(workspace.member_ids().values_list("member_id", flat=True)))
    if workspace.committee is not None:
        orgs = Organization.objects.filter(committee=workspace.committee).values_list("pk", flat=True)
        mine |= Q(proposer_org_id__in=list(orgs))
    sessions = list(PlenarySession.objects.filter(year=workspace.year).values_list("pk", flat=True))
    queryset = (
        selectors.visible_proposals(user)
        .filter(mine, session_id__in=sessions)
        .select_related("author")
        .order_by("-created_at", "-id")
    )
    # The matches' ids first (index scans on author and organisation), then the newest 15 of
    # them: ordered by created_at, PostgreSQL would walk the whole table's newest rows instead.
    keys = sorted(queryset.values_list("created_at", "pk"), reverse=True)
    # (An empty list still asks, so the page's query count never depends on whether anything matched.)
    newest = queryset.filter(pk__in=[pk for _created, pk in keys[:15]] or [0])
    return Panel(
        "proposals/panels/workspace.html",
        {"proposals": list(newest), "total": len(keys)},
        order=30,
        title="提案",
    )
