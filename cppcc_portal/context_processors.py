from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from .hooks import NavItem, get_hooks
from .notifications import unread_count
from .writeversion import DAY, cached


def nav_entries(items: list[NavItem], active_url: str) -> list[dict]:
    """The bar's entries in order: links, and dropdown menus for grouped items."""
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items:
        link = {"label": item.label, "url": item.url, "active": item.url == active_url}
        if not item.group:
            entries.append(link)
        elif item.group in groups:
            groups[item.group]["children"].append(link)
        else:
            groups[item.group] = {"label": item.group, "children": [link]}
            entries.append(groups[item.group])
    for group in groups.values():
        group["active"] = any(child["active"] for child in group["children"])
        if len(group["children"]) == 1:  # one entry: a plain link, named after the group
            group.update(url=group["children"][0]["url"])
            del group["children"]
    return entries


def nav_items(user) -> list[NavItem]:
    """The bar's items for ``user``, in order. Asking every app's rules costs more than the rest of
    a cached page, so ``portal`` keeps them per user and write version (``writeversion``): a
    change of the user's roles, permissions or profile is a write and shows on the next page."""
    return sorted((item for fn in get_hooks("nav_items") for item in fn(user)), key=lambda item: item.order)


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    context = {"PORTAL_NAME": settings.PORTAL_NAME}
    if user is None or not user.is_authenticated:
        return context

    def nav():
        # The bar reads the user's roles (writes), never the clock: it stands until a write or midnight.
        items = cached(
            "nav", (user.pk, timezone.localdate().isoformat()), lambda: nav_items(user), request=request, seconds=DAY
        )
        # The active entry is the one whose URL is the longest prefix of this page's path.
        matching = [
            item.url
            for item in items
            if request.path == item.url or (item.url != "/" and request.path.startswith(item.url))
        ]
        active = max(matching, key=len, default="")
        return nav_entries(items, active)

    context["nav_items"] = nav
    context["unread_notifications"] = lambda: unread_count(user)
    return context
