"""The platform's own nav entries and workbench panels."""

from django.urls import reverse

from .hooks import NavItem, Panel, register
from .models import Notification


@register("nav_items")
def platform_nav(user):
    yield NavItem("工作台", reverse("home"), order=0)


@register("workbench_panels")
def notifications_panel(request):
    latest = list(Notification.objects.filter(recipient=request.user, read_at__isnull=True).order_by("-created_at")[:5])
    return Panel(
        "cppcc_portal/panels/notifications.html", {"latest_notifications": latest}, order=900, title="未读通知"
    )
