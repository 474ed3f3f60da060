"""社情民意's contributions to shared pages, registered once from ``ProposalsConfig.ready()``:
rules, clocks, navigation, workbench panels, the member profile, station counts and demo data."""

from __future__ import annotations

from django.urls import reverse

from cppcc_portal.hooks import NavItem, Panel, register

from . import admin, clocks, demo, permissions  # noqa: F401  (register on import)


@register("nav_items")
def opinions_nav(user):
    if user.has_perm("proposals.browse_opinions"):
        yield NavItem("社情民意", reverse("opinions:list"), order=30)


@register("workbench_panels")
def opinions_panel(request):
    user = request.user
    from .selectors import review_queue_counts, visible_opinions

    if user.has_perm("proposals.handle_opinion"):
        return Panel(
            "proposals/opinions/panels/queue.html", {"queue": review_queue_counts()}, order=25, title="社情民意审核"
        )
    member = getattr(user, "member", None)
    if member is None or not user.has_perm("proposals.file_opinion"):
        return None
    mine = list(visible_opinions(user).order_by("-submitted_on", "-id")[:5])
    return Panel("proposals/opinions/panels/mine.html", {"opinions": mine}, order=26, title="我的社情民意")


@register("member_profile_panels")
def member_opinions_panel(request, member):
    from django.db.models import Count, Q

    from .enums import OpinionStatus
    from .models import PublicOpinion

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
    from .selectors import opinion_counts_by_station

    return opinion_counts_by_station(year=year)
