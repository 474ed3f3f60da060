"""重点提案遴选 pages: the rounds, one round (nominate, drop, the 主席会议's decision, the key proposals),
and the session's 重点提案办理情况 report (PDF and .docx)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from cppcc_portal import generated_views
from cppcc_portal.access import permission_required, require
from cppcc_portal.errors import ApplicationError
from cppcc_portal.forms import report_form_errors, run_service
from cppcc_portal.paging import paginate
from cppcc_portal.writeversion import cached

from . import kept_documents, selectors, services
from .forms_key import DecideForm, DropForm, KeySelectionOpenForm, NominateForm
from .models import KeySelection
from .views import session_or_404

ROUNDS_PAGE_SIZE = 20


@permission_required("proposals.see_key_proposals")
def key_selections(request: HttpRequest) -> HttpResponse:
    form = None
    if request.user.has_perm("proposals.nominate_key"):
        form = KeySelectionOpenForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "proposals.nominate_key")
        if form.is_valid():
            selection = run_service(
                request,
                services.key_selection_open,
                "已发起重点提案遴选，请推荐候选提案。",
                session=form.cleaned_data["session"],
                title=form.cleaned_data["title"],
            )
            if selection:
                return redirect(selection)
    page = paginate(request, selectors.key_selections(), ROUNDS_PAGE_SIZE)
    return render(request, "proposals/key_selections.html", {"page": page, "form": form})


OPS = {
    # op: (its form, the rule the user must hold)
    "nominate": (NominateForm, "proposals.nominate_key"),
    "drop": (DropForm, "proposals.nominate_key"),
    "decide": (DecideForm, "proposals.decide_key"),
}


def _perform(request: HttpRequest, selection: KeySelection, op: str, data: dict) -> str:
    version = data["version"]
    if op == "nominate":
        count = services.key_selection_nominate(
            selection=selection,
            actor=request.user,
            version=version,
            proposals=list(data["proposals"]),
            reason=data["reason"],
        )
        return f"已推荐{count}件候选提案，已通知主席会议成员。"
    if op == "drop":
        services.key_selection_drop(selection=selection, actor=request.user, version=version, proposal=data["proposal"])
        return "已撤出候选名单。"
    made = services.key_selection_decide(
        selection=selection,
        actor=request.user,
        version=version,
        meeting_on=data["meeting_on"],
        chosen=list(data["chosen"]),
        note=data["note"],
    )
    return f"主席会议决定已录入：确定重点提案{len(made)}件。请为每件重点提案安排督办领导。"


@permission_required("proposals.see_key_proposals")
def key_selection(request: HttpRequest, pk: int) -> HttpResponse:
    selection = get_object_or_404(KeySelection.objects.select_related("session", "opened_by", "decided_by"), pk=pk)
    nominable = selectors.key_nominable(selection)
    forms = {
        "nominate": NominateForm(selection=selection, nominable=nominable),
        "decide": DecideForm(selection=selection),
    }
    if request.method == "POST":
        op = request.POST.get("op", "")
        if op not in OPS:
            messages.error(request, "请选择要进行的操作。")
            return redirect(selection)
        form_class, perm = OPS[op]
        require(request.user, perm)
        extra = {"nominable": nominable} if op == "nominate" else {}
        form = form_class(request.POST, selection=selection, **extra)
        if form.is_valid():
            try:
                messages.success(request, _perform(request, selection, op, form.cleaned_data))
            except ApplicationError as error:
                messages.error(request, error.message)
            return redirect(selection)
        report_form_errors(request, form)
        if op in forms:
            forms[op] = form
    can_nominate = request.user.has_perm("proposals.nominate_key")
    can_set_leaders = request.user.has_perm("proposals.set_key_leaders")

    def candidates_part() -> tuple[str, int]:
        candidates = list(selectors.key_candidates(selection))
        counted = len(candidates) if selection.is_open else sum(1 for c in candidates if c.chosen)
        context = {
            "selection": selection,
            "candidates": candidates,
            "share": selectors.key_share(selection.session, counted),
            "can_nominate": can_nominate,
            "can_set_leaders": can_set_leaders,
        }
        if can_nominate and selection.is_open:  # each row's 撤出 form carries this request's CSRF token
            context["csrf_token"] = get_token(request)
        return render_to_string("proposals/partials/key_candidates.html", context), len(candidates)

    if can_nominate and selection.is_open:
        candidates_html, candidate_count = candidates_part()
    else:  # no form in the rows: the same for everyone who may set leaders (or not), per write version
        asked = (selection.pk, can_nominate, can_set_leaders)
        candidates_html, candidate_count = cached("key-candidates", asked, candidates_part, request=request)
    return render(
        request,
        "proposals/key_selection.html",
        {
            "selection": selection,
            "candidates_html": mark_safe(candidates_html),  # nosec B308 (our own render)
            "candidate_count": candidate_count,
            "nominate_form": forms["nominate"] if can_nominate else None,
            "decide_form": forms["decide"] if request.user.has_perm("proposals.decide_key") else None,
            "drop_form": DropForm(selection=selection),
        },
    )


@permission_required("proposals.see_key_proposals")
def key_report_pdf(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = session_or_404(session_pk)
    return generated_views.offer(request, kept_documents.KEY_REPORT_PDF.key, {"session": session.pk})


@permission_required("proposals.see_key_proposals")
def key_report_docx(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = session_or_404(session_pk)
    return generated_views.offer(request, kept_documents.KEY_REPORT_DOCX.key, {"session": session.pk})
