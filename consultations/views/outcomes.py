"""Outcomes: suggestions, sending, 批示 and each department's adoption."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cppcc_portal.access import objectgetter, permission_required
from cppcc_portal.deadlines import rule_text
from cppcc_portal.forms import report_form_errors
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
from .common import _attempt, _form_page


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
    if request.method == "POST" and form.is_valid():
        outcome = _attempt(request, services.outcome_save, "协商成果已建立，请逐条录入建议。", data=form.cleaned_data)
        if outcome:
            return redirect(outcome)
    return _form_page(request, title="新建协商成果", form=form, back=reverse("consultations:outcomes"))


@permission_required("consultations.manage")
def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk)
    form = OutcomeForm(request.POST or None, instance=Outcome.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        if _attempt(request, services.outcome_save, "协商成果已保存。", outcome=outcome, data=form.cleaned_data):
            return redirect(outcome)
    return _form_page(request, title="修改协商成果", form=form, back=outcome.get_absolute_url())


@permission_required("consultations.see_outcome", fn=objectgetter(Outcome, "pk"))
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = selectors.outcome_detail(pk)
    user = request.user
    can_manage = user.has_perm("consultations.manage")
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
@permission_required("consultations.manage")
def suggestion_add(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk)
    form = SuggestionForm(request.POST)
    if form.is_valid():
        _attempt(request, services.suggestion_add, "建议已添加。", outcome=outcome, **form.cleaned_data)
    else:
        report_form_errors(request, form)
    return redirect(outcome)


@require_POST
@permission_required("consultations.manage")
def delivery_add(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        _attempt(
            request, services.delivery_add, "报送记录已添加，反馈时限开始计算。", outcome=outcome, **form.cleaned_data
        )
    else:
        report_form_errors(request, form)
    return redirect(outcome)


@require_POST
@permission_required("consultations.manage")
def instruction_add(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk)
    form = InstructionForm(request.POST)
    if form.is_valid():
        _attempt(request, services.instruction_add, "领导批示已记录。", outcome=outcome, data=form.cleaned_data)
    else:
        report_form_errors(request, form)
    return redirect(outcome)


@require_POST
@permission_required("consultations.answer_outcome", fn=objectgetter(Outcome, "pk"))
def adoption(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk)
    form = AdoptionForm(request.POST)
    if not request.user.has_perm("consultations.manage"):
        form.fields["organization"].queryset = Organization.objects.filter(pk=request.user.organization_id)
    if form.is_valid():
        suggestion = get_object_or_404(Suggestion, pk=form.cleaned_data["suggestion"], outcome=outcome)
        _attempt(
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
