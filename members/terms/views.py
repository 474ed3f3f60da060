"""Pages: a member's term memberships with the mid-term change form, and the 换届 import."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cppcc_portal.access import permission_required
from cppcc_portal.forms import run_service

from .. import spreadsheets
from ..models import Member, Term
from . import selectors, services
from .forms import MembershipChangeForm, TermImportForm


@permission_required("members.manage_registry")
def member_memberships(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("sector", "position"), pk=pk)
    form = MembershipChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(request, services.membership_change, "任职变动已登记。", member=member, **form.cleaned_data):
            return redirect("members:memberships", pk=pk)
    return render(
        request,
        "members/terms/memberships.html",
        {"member": member, "spans": selectors.memberships_of(member), "form": form, "term": Term.current()},
    )


@permission_required("members.manage_registry")
def term_import(request: HttpRequest) -> HttpResponse:
    form = TermImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = spreadsheets.import_new_term_xlsx(form.cleaned_data["file"], actor=request.user, **form.term_fields())
        if result.ok:
            messages.success(
                request,
                f"{form.cleaned_data['name']}已开启：新增 {result.created} 人，连任 {result.updated} 人，"
                f"未列入新一届名册的 {result.left} 人转为离任。上一届的任职记录全部保留。",
            )
            return redirect("members:list")
        messages.error(request, f"发现 {len(result.errors)} 处错误，未导入任何数据，届次未变。请修改后重新上传。")
    return render(
        request, "members/terms/term_import.html", {"form": form, "result": result, "terms": Term.objects.all()}
    )
