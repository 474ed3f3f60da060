"""社情民意's contributions to shared pages: navigation, the workbench, the member profile
and the stations' counts (registered from ``proposals.apps.REGISTERING_MODULES``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from cppcc_portal.hooks import NavItem, Panel, register
from cppcc_portal.roles import is_unit_user

from .enums import OpinionStatus
from .models import PublicOpinion
from .selectors import (
    micro_counts,
    opinion_counts_by_station,
    review_queue_counts,
    visible_micro,
    visible_opinions,
)


@register("nav_items")
def opinions_nav(user):
    if user.has_perm("proposals.browse_opinions"):
        group = "社情民意"
        yield NavItem("社情民意信息", reverse("opinions:list"), order=30, group=group)
        if user.has_perm("proposals.browse_micro"):
            yield NavItem("微建议 · 微监督", reverse("opinions:micro-list"), order=31, group=group)
        if user.has_perm("proposals.see_opinion_issues"):
            yield NavItem("社情民意刊物", reverse("opinions:issues"), order=32, group=group)
    elif user.has_perm("proposals.browse_micro"):  # a unit user: the 微建议 addressed to the unit
        yield NavItem("微建议", reverse("opinions:micro-list"), order=31)


@register("workbench_panels")
def opinions_panel(request):
    user = request.user
    if user.has_perm("proposals.handle_opinion"):
        return Panel(
            "proposals/opinions/panels/queue.html", {"queue": review_queue_counts()}, order=25, title="社情民意审核"
        )
    member = getattr(user, "member", None)
    if member is None or not user.has_perm("proposals.file_opinion"):
        return None
    mine = list(visible_opinions(user).order_by("-submitted_on", "-id")[:5])
    return Panel("proposals/opinions/panels/mine.html", {"opinions": mine}, order=26, title="我的社情民意")


@register("workbench_panels")
def micro_panel(request):
    """The 微建议 waiting for an answer: a unit's own, or all of them for staff."""
    user = request.user
    if not (is_unit_user(user) or user.has_perm("proposals.raise_micro")):
        return None
    counts = micro_counts(visible_micro(user))
    if not counts["waiting"] and is_unit_user(user):
        return None
    return Panel("proposals/opinions/panels/micro.html", {"counts": counts}, order=27, title="微建议")


@register("member_profile_panels")
def member_opinions_panel(request, member):
    if not (
        request.user.has_perm("members.see_contact_details", member)
        or request.user.has_perm("proposals.handle_opinion")
    ):
        return None
    counts = PublicOpinion.objects.filter(author=member).aggregate(
        filed=Count("id"),
        adopted=Count("id", filter=Q(status=OpinionStatus.ADOPTED)),
        instructed=Count("id", filter=Q(instructions__isnull=False), distinct=True),
    )
    return Panel("proposals/opinions/panels/member.html", {"counts": counts}, order=60, title="社情民意")


@register("station_opinion_counts")
def station_opinion_counts(year: int) -> dict[int, tuple[int, int]]:
    return opinion_counts_by_station(year=year)
