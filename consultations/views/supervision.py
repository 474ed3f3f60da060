"""Democratic supervision: the plan, inspections and 特邀监督员."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cppcc_portal.access import objectgetter, permission_required
from cppcc_portal.forms import run_service

from .. import selectors, services
from ..forms import (
    AppointmentForm,
    InspectionFeedbackForm,
    InspectionForm,
    SupervisionTopicForm,
)
from ..models import (
    Inspection,
    SupervisionPlan,
    SupervisorAppointment,
)
from ..supervision import selectors as supervision_selectors
from .common import _form_page, _save_page, _submit


@permission_required("consultations.see_supervision")
def supervision_current(request: HttpRequest) -> HttpResponse:
    return redirect("consultations:supervision", year=timezone.localdate().year)


@permission_required("consultations.see_supervision")
def supervision(request: HttpRequest, year: int) -> HttpResponse:
    plan = SupervisionPlan.objects.filter(year=year).first()
    topics = (
        plan.topics.select_related("form", "lead_committee").prefetch_related(
            "departments", Prefetch("inspections", queryset=Inspection.objects.order_by("inspected_on"))
        )
        if plan
        else []
    )
    inspections = selectors.inspections_for(request.user).filter(inspected_on__year=year).order_by("-inspected_on")
    key_share, key_share_before = supervision_selectors.key_topic_shares(year)
    return render(
        request,
        "consultations/supervision.html",
        {
            "year": year,
            "plan": plan,
            "topics": topics,
            "inspections": inspections,
            "supervisors": selectors.current_supervisors(),
            "items": supervision_selectors.items_for(request.user).filter(plan__year=year).order_by("stage_due", "pk"),
            "key_share": key_share,
            "key_share_before": key_share_before,
            "can_manage": request.user.has_perm("consultations.manage"),
        },
    )


@permission_required("consultations.manage")
def supervision_topic_new(request: HttpRequest, year: int) -> HttpResponse:
    form = SupervisionTopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan, _ = SupervisionPlan.objects.get_or_create(year=year, defaults={"title": f"{year}年度民主监督计划"})
        if run_service(
            request, services.supervision_topic_save, "监督议题已加入年度计划。", plan=plan, data=form.cleaned_data
        ):
            return redirect("consultations:supervision", year=year)
    return _form_page(
        request, title=f"新增{year}年度民主监督议题", form=form, back=reverse("consultations:supervision", args=[year])
    )


@permission_required("consultations.manage")
def inspection_new(request: HttpRequest) -> HttpResponse:
    form = InspectionForm(request.POST or None)
    return _save_page(
        request,
        form,
        services.inspection_save,
        "视察已记录。",
        title="记录视察",
        back=reverse("consultations:supervision-current"),
    )


@permission_required("consultations.manage", fn=objectgetter(Inspection, "pk"))
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection, pk=pk)
    form = InspectionForm(request.POST or None, instance=Inspection.objects.get(pk=pk))
    return _save_page(
        request,
        form,
        services.inspection_save,
        "视察已保存。",
        title="修改视察记录",
        back=inspection.get_absolute_url(),
        inspection=inspection,
    )


@permission_required("consultations.see_inspection", fn=objectgetter(Inspection, "pk"))
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(
        Inspection.objects.select_related("topic").prefetch_related("departments", "participants", "committees"), pk=pk
    )
    can_answer = request.user.has_perm("consultations.answer_inspection", inspection)
    return render(
        request,
        "consultations/inspection.html",
        {
            "inspection": inspection,
            "can_manage": request.user.has_perm("consultations.manage", inspection),
            "can_answer": can_answer,
            "feedback_form": InspectionFeedbackForm(initial={"text": inspection.feedback_text}) if can_answer else None,
        },
    )


@require_POST
@permission_required("consultations.answer_inspection", fn=objectgetter(Inspection, "pk"))
def inspection_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection, pk=pk)
    return _submit(
        request,
        InspectionFeedbackForm(request.POST),
        services.inspection_feedback,
        "部门反馈已保存。",
        back=inspection,
        inspection=inspection,
    )


@permission_required("consultations.see_supervision")
def supervisors(request: HttpRequest) -> HttpResponse:
    appointments = (
        SupervisorAppointment.objects.select_related("member", "organization")
        .annotate(
            task_count=Count("tasks"),
            report_count=Count("tasks", filter=Q(tasks__reported_on__isnull=False)),
        )
        .order_by("-ends_on", "organization__order")
    )
    return render(
        request,
        "consultations/supervisors.html",
        {
            "appointments": appointments,
            "today": timezone.localdate(),
            "can_manage": request.user.has_perm("consultations.manage"),
        },
    )


@permission_required("consultations.manage")
def supervisor_new(request: HttpRequest) -> HttpResponse:
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(request, services.appointment_save, "特邀监督员已聘任。", data=form.cleaned_data):
            return redirect("consultations:supervisors")
    return _form_page(request, title="聘任特邀监督员", form=form, back=reverse("consultations:supervisors"))
