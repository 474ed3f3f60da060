"""Navigation, workbench and profile panels for the performance pages."""

from django.urls import reverse
from django.utils import timezone

from cppcc_portal.hooks import NavItem, Panel, register

from . import scoring, selectors


@register("nav_items")
def performance_nav(user):
    if getattr(user, "member", None) is not None and user.has_perm("members.write_annual_report"):
        yield NavItem("履职档案", reverse("members:my-record"), order=86, group="委员履职")
    if user.has_perm("members.see_study") and not user.has_perm("members.see_scoring"):
        yield NavItem("学习培训", reverse("members:study"), order=87, group="委员履职")  # staff reach it from 履职管理
    if user.has_perm("members.see_scoring"):
        yield NavItem("履职管理", reverse("members:scoring"), order=88, group="委员履职")
    if user.has_perm("cppcc_portal.see_stats"):
        yield NavItem("统计", reverse("stats"), order=95)


@register("workbench_panels")
def five_ones_panel(request):
    member = getattr(request.user, "member", None)
    if member is None or not request.user.has_perm("members.write_annual_report"):
        return None
    year = timezone.localdate().year
    progress = scoring.five_ones_progress(member.pk, year)
    total, band, rank, size = selectors.year_score(member, year)
    return Panel(
        "members/performance/panels/five_ones.html",
        {
            "member": member,
            "year": year,
            "progress": progress,
            "total": total,
            "band": band,
            "rank": rank,
            "size": size,
            "done": sum(1 for line in progress if line.met),
        },
        order=20,
        title=f"{year}年度“五个一”与履职得分",
    )


@register("member_profile_panels")
def score_panel(request, member):
    year = timezone.localdate().year
    can_see = request.user.has_perm("members.see_record", member)
    awards = selectors.honours(member)
    if not can_see and not awards:
        return None
    context = {"member": member, "year": year, "awards": awards, "can_see": can_see}
    if can_see:
        total, band, rank, size = selectors.year_score(member, year)
        context.update(total=total, band=band, rank=rank, size=size)
    return Panel("members/performance/panels/score.html", context, order=30, title="履职情况")


def _register_backfill() -> None:
    from .study import backfill

    register("performance_backfill", backfill)


_register_backfill()


@register("workbench_panels")
def review_panel(request):
    """Staff: 述职 waiting for review; staff and leaders: the way to the numbers."""
    user = request.user
    if not user.has_perm("members.see_scoring"):
        return None
    from .enums import ReportStatus
    from .models import AnnualReport

    waiting = (
        AnnualReport.objects.filter(status=ReportStatus.SUBMITTED).count()
        if user.has_perm("members.review_annual_reports")
        else None
    )
    return Panel(
        "members/performance/panels/review.html",
        {"waiting": waiting, "year": timezone.localdate().year},
        order=60,
        title="委员履职",
    )
