from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cppcc_portal.access import objectgetter, permission_required
from cppcc_portal.errors import ApplicationError
from cppcc_portal.exports import xlsx_response
from cppcc_portal.hooks import collect_panels
from cppcc_portal.paging import render_list

from . import selectors, services, spreadsheets
from .forms import MemberContactForm, MemberFilterForm, MemberImportForm, NotificationPreferencesForm
from .models import Member

PAGE_SIZE = 50


@permission_required("members.browse_directory")
def member_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.member_directory(params=request.GET, user=request.user)
    return render_list(
        request,
        "members/member_list.html",
        queryset,
        PAGE_SIZE,
        filter_form=MemberFilterForm(request.GET or None),
        show_contacts=request.user.has_perm("members.manage_registry"),
    )


@permission_required("members.manage_registry")
def member_export(request: HttpRequest) -> HttpResponse:
    members = selectors.member_directory(params=request.GET, user=request.user)
    return xlsx_response(
        "委员名册.xlsx",
        "委员名册",
        spreadsheets.COLUMNS,
        spreadsheets.member_rows(members.iterator(chunk_size=500)),
        spreadsheets.COLUMN_WIDTHS,
    )


@permission_required("members.manage_registry")
def member_import(request: HttpRequest) -> HttpResponse:
    form = MemberImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = spreadsheets.import_members_xlsx(form.cleaned_data["file"])
        if result.ok:
            messages.success(request, f"导入完成：新增 {result.created} 人，更新 {result.updated} 人。")
            return redirect("members:list")
        messages.error(request, f"文件中有 {len(result.errors)} 处错误，未导入任何数据。请修改后重新上传。")
    return render(request, "members/member_import.html", {"form": form, "result": result})


@permission_required("members.see_member", fn=objectgetter(Member, "pk"))
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.with_profile(), pk=pk)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "show_contacts": request.user.has_perm("members.see_contact_details", member),
            "panels": collect_panels("member_profile_panels", request, member),
        },
    )


@login_required
def member_me(request: HttpRequest) -> HttpResponse:
    member = getattr(request.user, "member", None)
    if member is None or not request.user.has_perm("members.edit_own_contact"):
        raise PermissionDenied("只有委员本人可以修改自己的联系方式。")
    form = MemberContactForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update_contact(member=member, actor=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "联系方式已保存。")
            return redirect("members:me")
    return render(
        request,
        "members/member_me.html",
        {"member": member, "form": form, "panels": collect_panels("member_profile_panels", request, member)},
    )


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Everyone chooses how non-urgent notices reach them; deadline notices always go out."""
    form = NotificationPreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_notification_preferences(actor=request.user, **form.cleaned_data)
        messages.success(request, "通知设置已保存。")
        return redirect("notification-preferences")
    return render(request, "members/notification_preferences.html", {"form": form})
