"""Pages: the plenary's days and discussion groups, and attendance per day (staff)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cppcc_portal.access import permission_required
from cppcc_portal.forms import run_service

from ..models import PlenarySession
from . import plenary
from .enums import AttendanceStatus
from .forms import PlenaryDayForm, PlenaryGroupForm
from .models import PlenaryDay
from .views_study import _attendance_saved, _posted_members, _roll_page


@require_POST
@permission_required("members.manage_attendance")
def plenary_day_new(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(PlenarySession, pk=pk)
    form = PlenaryDayForm(request.POST, prefix="day")
    if form.is_valid():
        day = run_service(request, plenary.plenary_day_add, "大会日程已添加。", session=session, **form.cleaned_data)
        if day:
            return redirect(day)
    else:
        messages.error(request, "请填写日期和议程。")
    return redirect("members:plenary-attendance", pk=pk)


@require_POST
@permission_required("members.manage_attendance")
def plenary_group_new(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(PlenarySession, pk=pk)
    form = PlenaryGroupForm(request.POST, prefix="group")
    if form.is_valid():
        run_service(request, plenary.plenary_group_add, "讨论小组已添加。", session=session, **form.cleaned_data)
    else:
        messages.error(request, "请填写小组名称。")
    return redirect("members:plenary-attendance", pk=pk)


@permission_required("members.manage_attendance")
def plenary_day(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_object_or_404(PlenaryDay.objects.select_related("session"), pk=pk)
    members = plenary.day_roll(day)
    if request.method == "POST":
        rows = {}
        for member_id in _posted_members(request, members):
            group = request.POST.get(f"g{member_id}", "")
            rows[member_id] = (request.POST.get(f"m{member_id}", ""), int(group) if group.isdigit() else None)
        if _attendance_saved(request, plenary.plenary_record_day, day=day, rows=rows):
            return redirect(request.get_full_path())
    page = _roll_page(request, members, sector_field="sector_then_id")
    return render(
        request,
        "members/performance/plenary_day.html",
        {
            **page,
            "day": day,
            "session": day.session,
            "roll": plenary.roll_for_day(day, page["page"]),
            "statuses": AttendanceStatus.choices,
            "groups": list(day.session.groups.order_by("order", "id")),
            "days": plenary.days_of(day.session),
        },
    )
