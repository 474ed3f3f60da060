"""Outcomes: suggestions, sending, 批示 and each department's adoption."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cppcc_portal.access import objectgetter, permission_required
from cppcc_portal.deadlines import rule_text
from cppcc_portal.forms import report_form_errors, run_service
from members.models import Organization

from .. import clocks, selectors, services
from ..forms import (
    AdoptionForm,
    DeliveryForm,
    InstructionForm,
    OutcomeForm,
    SuggestionForm,
)
from ..models import (
    Outcome,
    Suggestion,
)
from .common import _save_page, _submit


@permission_required("consultations.see_outcome_list")
def outcome_list(request: HttpRequest) -> HttpResponse:
    awaiting = request.GET.get("awaiting") == "1"
    if awaiting:
        outcomes = selectors.outcomes_awaiting_feedback(request.user)
    else:
        outcomes = selectors.outcomes_for(request.user).order_by("-created_at")
    return render(
        request,
        "consultations/outcome_list.html",
        {
            "outcomes": outcomes,
            "awaiting": awaiting,
            "today": timezone.localdate(),
            "can_manage": request.user.has_perm("consultations.manage"),
            "rule": rule_text(clocks.FEEDBACK),
        },
    )


@permission_required("consultations.manage")
def outcome_new(request: HttpRequest) -> HttpResponse:
    form = OutcomeForm(
        request.POST or None, initial={"session": request.GET.get("session"), "topic": request.GET.get("topic")}
    )
    return _save_page(
        request,
        form,
        services.outcome_save,
        "协商成果已建立，请逐条录入建议。",
        title="新建协商成果",
        back=reverse("consultations:outcomes"),
    )


@permission_required("consultations.manage", fn=objectgetter(Outcome, "pk"))
def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk)
    form = OutcomeForm(request.POST or None, instance=Outcome.objects.get(pk=pk))
    return _save_page(
        request,
        form,
        services.outcome_save,
        "协商成果已保存。",
        title="修改协商成果",
        back=outcome.get_absolute_url(),
        outcome=outcome,
    )


@permission_required("consultations.see_outcome", fn=objectgetter(Outcome, "pk"))
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = selectors.outcome_detail(pk)
    user = request.user
    can_manage = user.has_perm("consultations.manage", outcome)
    can_answer = user.has_perm("consultations.answer_outcome", outcome) and outcome.first_sent_on is not None
    for suggestion in outcome.suggestions.all():
        departments = {department.pk for department in suggestion.departments.all()}
        suggestion.answerable = can_answer and (can_manage or user.organization_id in departments)
    return render(
        request,
        "consultations/outcome.html",
        {
            "outcome": outcome,
            "can_manage": can_manage,
            "can_answer": can_answer,
            "my_org": user.organization_id,
            "suggestion_form": SuggestionForm(),
            "delivery_form": DeliveryForm(),
            "instruction_form": InstructionForm(),
            "adoption_choices": AdoptionForm.base_fields["adoption"].choices,
            "today": timezone.localdate(),
            "rule": rule_text(clocks.FEEDBACK),
        },
    )


@require_POST
@permission_required("consultations.manage", fn=objectgetter(Outcome, "pk"))
def suggestion_add(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk)
    return _submit(
        request, SuggestionForm(request.POST), services.suggestion_add, "建议已添加。", back=outcome, outcome=outcome
    )


@require_POST
@permission_required("consultations.manage", fn=objectgetter(Outcome, "pk"))
def delivery_add(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk)
    return _submit(
        request,
        DeliveryForm(request.POST),
        services.delivery_add,
        "报送记录已添加，反馈时限开始计算。",
        back=outcome,
        outcome=outcome,
    )


@require_POST
@permission_required("consultations.manage", fn=objectgetter(Outcome, "pk"))
def instruction_add(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk)
    return _submit(
        request,
        InstructionForm(request.POST),
        services.instruction_add,
        "领导批示已记录。",
        back=outcome,
        as_data=True,
        outcome=outcome,
    )


@require_POST
@permission_required("consultations.answer_outcome", fn=objectgetter(Outcome, "pk"))
def adoption(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk)
    form = AdoptionForm(request.POST)
    if not request.user.has_perm("consultations.manage"):
        form.fields["organization"].queryset = Organization.objects.filter(pk=request.user.organization_id)
    if form.is_valid():
        suggestion = get_object_or_404(Suggestion, pk=form.cleaned_data["suggestion"], outcome=outcome)
        run_service(
            request,
            services.adoption_record,
            "采纳落实情况已反馈。",
            suggestion=suggestion,
            organization=form.cleaned_data["organization"],
            adoption=form.cleaned_data["adoption"],
            text=form.cleaned_data["text"],
            replied_on=form.cleaned_data["replied_on"],
        )
    else:
        report_form_errors(request, form)
    return redirect(outcome)
