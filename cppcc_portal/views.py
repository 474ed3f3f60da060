from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from .hooks import collect_panels
from .models import Notification
from .paging import paginate
from .writeversion import cached


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The workbench: each app contributes the panels this person needs now.

    The panels are rendered once per person, date and write version (``writeversion``): a
    warm workbench asks the database only for the version, and any write shows at once."""
    user = request.user

    def panels_html() -> str:
        panels = collect_panels("workbench_panels", request)
        # Rendered without the context processors: the panels use only the request and the user.
        return render_to_string(
            "cppcc_portal/workbench_panels.html", {"panels": panels, "request": request, "user": user}
        )

    html = cached("workbench", (user.pk, timezone.localdate().isoformat()), panels_html)
    return render(request, "cppcc_portal/home.html", {"panels_html": mark_safe(html)})  # nosec B308 (our own render)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    queryset = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    if request.GET.get("unread"):
        queryset = queryset.filter(read_at__isnull=True)
    page = paginate(request, queryset, 30)
    return render(request, "cppcc_portal/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()}):
        return redirect(notification.link)
    return redirect("notifications")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notifications")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)
