from django.conf import settings
from django.http import HttpRequest

from .hooks import get_hooks
from .notifications import unread_count


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    context = {"PORTAL_NAME": settings.PORTAL_NAME}
    if user is None or not user.is_authenticated:
        return context

    def nav():
        items = [item for fn in get_hooks("nav_items") for item in fn(user)]
        return sorted(items, key=lambda item: item.order)

    context["nav_items"] = nav
    context["unread_notifications"] = lambda: unread_count(user)
    return context
