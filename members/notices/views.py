"""通知公告 pages: the 办公室 publishes and follows the receipts; recipients read."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cppcc_portal import uploads
from cppcc_portal.access import objectgetter, permission_required
from cppcc_portal.errors import ApplicationError
from cppcc_portal.forms import run_service
from cppcc_portal.paging import render_list
from cppcc_portal.roles import in_general_office

from ..recipients import audience_label, chosen_groups, users_in_groups
from . import selectors, services
from .forms import NoticeForm
from .models import Notice, NoticeAttachment

PER_PAGE = 30


@permission_required("members.browse_notices")
def notice_list(request: HttpRequest) -> HttpResponse:
    """The 办公室 sees every notice with its read count; everyone else the notices sent to them."""
    if in_general_office(request.user):
        return render_list(request, "members/notices/list.html", selectors.notices_published(), PER_PAGE)
    if request.user.has_perm("members.publish_notice"):  # a committee office: the notices it sent
        notices = selectors.notices_published().filter(published_by=request.user)
        return render_list(request, "members/notices/list.html", notices, PER_PAGE)
    return render_list(request, "members/notices/inbox.html", selectors.notices_received(request.user), PER_PAGE)


@permission_required("members.publish_notice")
def notice_new(request: HttpRequest) -> HttpResponse:
    """Write, preview the number of recipients (``preview``), publish."""
    form = NoticeForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            try:
                chosen = chosen_groups(data["groups"])
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                people = users_in_groups(chosen)
                preview = {"labels": audience_label(chosen), "count": people.count(), "sample": list(people[:30])}
        else:
            notice = run_service(
                request,
                services.notice_publish,
                "通知已发布。",
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                groups=data["groups"],
                attachments=data["attachments"],
            )
            if notice:
                return redirect("notices:receipts", pk=notice.pk)
    return render(request, "members/notices/form.html", {"form": form, "preview": preview})


@permission_required("members.see_notice", fn=objectgetter(Notice, "pk"))
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.select_related("published_by"), pk=pk)
    services.notice_mark_read(notice=notice, actor=request.user)
    can_follow = request.user.has_perm("members.see_notice_receipts", notice)
    return render(
        request,
        "members/notices/detail.html",
        {
            "notice": notice,
            "attachments": list(notice.attachments.all()),
            "can_follow": can_follow,
            "counts": selectors.receipt_counts(notice) if can_follow else None,
        },
    )


@permission_required("members.see_notice_receipts", fn=objectgetter(Notice, "pk"))
def notice_receipts(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice, pk=pk)
    state = request.GET.get("state", "")
    state = state if state in ("read", "unread") else ""
    return render_list(
        request,
        "members/notices/receipts.html",
        selectors.receipts_of(notice, state=state),
        100,
        notice=notice,
        state=state,
        counts=selectors.receipt_counts(notice),
    )


@require_POST
@permission_required("members.see_notice_receipts", fn=objectgetter(Notice, "pk"))
def notice_remind(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice, pk=pk)
    reminded = run_service(request, services.notice_remind, "已提醒未读人员。", notice=notice)
    if reminded:
        messages.info(request, f"共提醒 {reminded} 人。")
    return redirect("notices:receipts", pk=notice.pk)


@permission_required("members.download_notice_attachment", fn=objectgetter(NoticeAttachment, "pk"))
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(NoticeAttachment, pk=pk)
    return uploads.file_response(attachment.file, attachment.original_name)
