"""社情民意 issues (《社情民意》第N期, 专报): the list, compiling one, its PDF and .docx, sending it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cppcc_portal.access import permission_required
from cppcc_portal.errors import ApplicationError
from cppcc_portal.exports import attachment_response
from cppcc_portal.forms import report_form_errors
from cppcc_portal.paging import render_list

from ..documents import DOCX_TYPE
from . import documents, selectors, services
from .enums import IssueKind
from .forms import IssueForm, IssueSendForm
from .models import OpinionIssue


@permission_required("proposals.see_opinion_issues")
def issue_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        "proposals/opinions/issue_list.html",
        selectors.issue_list(params=request.GET),
        30,
        kinds=IssueKind.choices,
        can_manage=request.user.has_perm("proposals.manage_opinion_issues"),
    )


@permission_required("proposals.manage_opinion_issues")
def issue_new(request: HttpRequest) -> HttpResponse:
    form = IssueForm(request.POST or None, opinions=selectors.opinions_for_issue())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issue = services.issue_create(
                actor=request.user,
                kind=data["kind"],
                opinions=data["opinions"],
                compiled_on=data["compiled_on"],
                editor_note=data["editor_note"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{issue.label}已编成，收录 {len(data['opinions'])} 篇。")
            return redirect(issue)
    return render(request, "proposals/opinions/issue_form.html", {"form": form})


@permission_required("proposals.see_opinion_issues")
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(OpinionIssue, pk=pk)
    issue = selectors.issue_detail(issue.pk)
    can_manage = request.user.has_perm("proposals.manage_opinion_issues")
    return render(
        request,
        "proposals/opinions/issue_detail.html",
        {"issue": issue, "send_form": IssueSendForm() if can_manage else None},
    )


@permission_required("proposals.manage_opinion_issues")
def issue_send(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(OpinionIssue, pk=pk)
    form = IssueSendForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.issue_send(
                    actor=request.user, issue=issue, recipients=form.recipient_names(), on=form.cleaned_data["sent_on"]
                )
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "报送记录已保存。")
        else:
            report_form_errors(request, form)
        return redirect(issue)
    return render(request, "proposals/opinions/issue_send.html", {"issue": issue, "form": form})


@permission_required("proposals.see_opinion_issues")
def issue_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.issue_detail(get_object_or_404(OpinionIssue, pk=pk).pk)
    return attachment_response(documents.issue_pdf_bytes(issue), f"{issue.label}.pdf", "application/pdf")


@permission_required("proposals.see_opinion_issues")
def issue_docx(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.issue_detail(get_object_or_404(OpinionIssue, pk=pk).pk)
    return attachment_response(documents.issue_docx(issue), f"{issue.label}.docx", DOCX_TYPE)
