"""通知公告 in the top bar; ``liaison_stations`` and others add recipient groups through hooks."""

from django.urls import reverse

from cppcc_portal.hooks import NavItem, register


@register("nav_items")
def notices_nav(user):
    if user.has_perm("members.browse_notices"):
        yield NavItem("通知公告", reverse("notices:list"), order=95)
