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
        items = sorted((item for fn in get_hooks("nav_items") for item in fn(user)), key=lambda item: item.order)
        # The active entry is the one whose URL is the longest prefix of this page's path.
        matching = [
            item.url
            for item in items
            if request.path == item.url or (item.url != "/" and request.path.startswith(item.url))
        ]
        active = max(matching, key=len, default="")
        return [{"label": item.label, "url": item.url, "active": item.url == active} for item in items]

    context["nav_items"] = nav
    context["unread_notifications"] = lambda: unread_count(user)
    return context
