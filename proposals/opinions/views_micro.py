"""微建议 / 微监督 pages: the board (staff: all; a unit: its own; a member: theirs), filing,
the unit's answer and the office raising one to a report or a proposal draft."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cppcc_portal.access import objectgetter, permission_required
from cppcc_portal.deadlines import rule_text
from cppcc_portal.errors import ApplicationError
from cppcc_portal.forms import report_form_errors
from cppcc_portal.paging import render_list

from ..models import ProposalCategory
from . import selectors, services
from .clocks import MICRO_ANSWER
from .forms import MicroAnswerForm, MicroFilterForm, MicroForm, MicroRaiseForm
from .models import MicroSuggestion
from .workflow import MICRO_TRANSITIONS

PAGE_SIZE = 30


def _categories():
    return ProposalCategory.objects.filter(is_active=True)


@permission_required("proposals.browse_micro")
def micro_list(request: HttpRequest) -> HttpResponse:
    visible = selectors.visible_micro(request.user)
    return render_list(
        request,
        "proposals/opinions/micro_list.html",
        selectors.micro_list(user=request.user, params=request.GET),
        PAGE_SIZE,
        filter_form=MicroFilterForm(request.GET or None),
        counts=selectors.micro_counts(visible),
        today=timezone.localdate(),
        can_file=request.user.has_perm("proposals.file_micro"),
    )


@permission_required("proposals.file_micro")
def micro_new(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "member", None) is None:
        raise PermissionDenied("只有委员可以提出微建议。")
    form = MicroForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.micro_file(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                place=data["place"],
                problem=data["problem"],
                suggestion=data["suggestion"],
                unit=data["unit"],
                station=data.get("station"),
                form_token=data.get("form_token"),
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            if suggestion.replayed:
                messages.info(request, "这条微建议已经提交过了，未重复提交。")
            else:
                messages.success(
                    request, f"微建议已送{suggestion.unit.name}，答复期限 {suggestion.answer_due:%Y-%m-%d}。"
                )
            return redirect(suggestion)
    return render(request, "proposals/opinions/micro_form.html", {"form": form, "rule": rule_text(MICRO_ANSWER.key)})


@permission_required("proposals.see_micro", fn=objectgetter(MicroSuggestion, "pk"))
def micro_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.micro_detail(pk)
    open_moves = MICRO_TRANSITIONS.get(suggestion.status, frozenset())
    can_answer = request.user.has_perm("proposals.answer_micro", suggestion) and "answered" in open_moves
    can_raise = request.user.has_perm("proposals.raise_micro") and bool(open_moves - {"answered"})
    return render(
        request,
        "proposals/opinions/micro_detail.html",
        {
            "s": suggestion,
            "rule": rule_text(MICRO_ANSWER.key),
            "overdue": suggestion.status == "submitted" and suggestion.answer_due < timezone.localdate(),
            "answer_form": MicroAnswerForm() if can_answer else None,
            "raise_form": MicroRaiseForm(categories=_categories()) if can_raise else None,
            "can_see_opinion": bool(suggestion.opinion_id)
            and request.user.has_perm("proposals.see_opinion", suggestion.opinion),
            "can_see_proposal": bool(suggestion.proposal_id)
            and request.user.has_perm("proposals.see_proposal", suggestion.proposal),
        },
    )


@permission_required("proposals.answer_micro", fn=objectgetter(MicroSuggestion, "pk"))
def micro_answer(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(MicroSuggestion, pk=pk)
    form = MicroAnswerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.micro_answer(suggestion=suggestion, actor=request.user, answer=form.cleaned_data["answer"])
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "答复已提交，已告知委员。")
        else:
            report_form_errors(request, form)
        return redirect(suggestion)
    return render(request, "proposals/opinions/micro_step.html", {"s": suggestion, "form": form, "title": "答复"})


@permission_required("proposals.raise_micro")
def micro_raise(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(MicroSuggestion, pk=pk)
    form = MicroRaiseForm(request.POST or None, categories=_categories())
    if request.method == "POST":
        if form.is_valid():
            try:
                if form.cleaned_data["target"] == "opinion":
                    services.micro_raise_to_opinion(suggestion=suggestion, actor=request.user)
                    done = "已转为社情民意信息，进入研究室审核。"
                else:
                    services.micro_raise_to_proposal(
                        suggestion=suggestion, actor=request.user, category=form.cleaned_data["category"]
                    )
                    done = "已为委员起草提案草稿，待委员完善后提交。"
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, done)
        else:
            report_form_errors(request, form)
        return redirect(suggestion)
    return render(request, "proposals/opinions/micro_step.html", {"s": suggestion, "form": form, "title": "转化"})
