"""Thin views: look up what the user may see, validate, call one service, redirect with a message."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from consultations import selectors as consultation_selectors
from cppcc_portal import generated_views, uploads
from cppcc_portal.access import objectgetter, permission_required, require
from cppcc_portal.deadlines import rule_text
from cppcc_portal.errors import ApplicationError, StaleObjectError
from cppcc_portal.exports import attachment_response, xlsx_streaming_response
from cppcc_portal.paging import paginate, query_without_page
from cppcc_portal.writeversion import DAY, cached
from members.models import Organization, PlenarySession

from . import documents as documents_module
from . import forms, kept_documents, picker, selectors, services, spreadsheets
from .actions import ACTION_PAGES
from .enums import ProposalState
from .forms import FilterForm, ProposalForm
from .list_count import list_count, list_counts
from .models import Assignment, Attachment, Proposal
from .pdf import proposal_pdf_bytes
from .similarity import similar_proposals
from .workflow import TRANSITIONS, available_actions, blocked_reason

PAGE_SIZE = 30
DUE_RULES = {
    "review": "proposal.review",
    "accept": "proposal.accept",
    "handling": "proposal.handling",
    "views": "proposal.co_views",
    "evaluation": "proposal.evaluation",
    "rehandling": "proposal.rehandling",
    "followup": "proposal.followup",
}


def due_rules() -> dict[str, str]:
    return {name: rule_text(key) for name, key in DUE_RULES.items()}


@permission_required("proposals.browse_proposals")
def proposal_list(request: HttpRequest) -> HttpResponse:
    """The list's filter bar and its table are each rendered once per write version
    (``writeversion``): the filter bar, the same for everyone, per query string; the table per
    user (whose visibility it shows), date (overdue) and query string, page included."""
    user = request.user
    today = timezone.localdate()
    query_string = query_without_page(request)

    def filter_part() -> tuple[str, str | None]:
        form = FilterForm(request.GET or None)
        current = form.current_session
        html = render_to_string("proposals/partials/list_filter.html", {"filter_form": form})
        return html, current.short_name if current else None

    def table_html() -> str:
        queryset = selectors.proposal_list(user=user, params=request.GET)
        page = paginate(request, queryset, PAGE_SIZE, count=list_count(queryset))
        return render_to_string("proposals/partials/list_table.html", {"page": page, "query_string": query_string})

    # Both read the date (the current session, the overdue flags), never the clock.
    filter_html, current_session = cached(
        "proposals-filter",
        (bool(request.GET), query_string, today.isoformat()),
        filter_part,
        request=request,
        seconds=DAY,
    )
    table = cached(
        "proposals-table",
        (user.pk, today.isoformat(), request.GET.urlencode()),
        table_html,
        request=request,
        seconds=DAY,
    )
    return render(
        request,
        "proposals/proposal_list.html",
        {
            "filter_html": mark_safe(filter_html),  # nosec B308 (our own render)
            "table_html": mark_safe(table),  # nosec B308 (our own render)
            "query_string": query_string,
            "can_file": user.has_perm("proposals.file_proposal"),
            "export_session": None if "session" in request.GET else current_session,
        },
    )


def export_params(params):
    """The export's filters: the page's, but bounded by default. Without a ``session`` it is the
    current session's (a whole district's history, 100k proposals, takes 10-20 s to write);
    ``session=all`` (or the filter's 全部, an empty value) exports every session."""
    if "session" in params:
        return params
    current = PlenarySession.current()
    if current is None:
        return params
    params = params.copy()
    params["session"] = str(current.pk)
    return params


@permission_required("proposals.browse_proposals")
def proposal_export(request: HttpRequest) -> HttpResponse:
    queryset = selectors.proposal_list(user=request.user, params=export_params(request.GET))
    return xlsx_streaming_response(
        "提案列表.xlsx", "提案", spreadsheets.COLUMNS, spreadsheets.rows(queryset), spreadsheets.WIDTHS
    )


REVIEW_PAGE_SIZE = 100


@permission_required("proposals.see_review_queue")
def review_queue(request: HttpRequest) -> HttpResponse:
    """立案审查与交办: the submitted and the registered-but-unassigned proposals; ticked ones are
    registered or handed to units in one action, each in its own transaction, each reported."""
    register_form, assign_form = forms.BulkRegisterForm(), forms.BulkAssignForm()
    outcomes, outcome_label = [], ""
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "register":
                register_form = forms.BulkRegisterForm(request.POST)
                if register_form.is_valid():
                    outcome_label = "批量立案"
                    outcomes = services.proposals_register_bulk(
                        picks=register_form.cleaned_data["picks"],
                        actor=request.user,
                        note=register_form.cleaned_data["note"],
                    )
                    register_form = forms.BulkRegisterForm()
            elif op == "assign":
                assign_form = forms.BulkAssignForm(request.POST)
                if assign_form.is_valid():
                    data = assign_form.cleaned_data
                    outcome_label = "批量交办"
                    outcomes = services.proposals_assign_bulk(
                        picks=data["picks"],
                        actor=request.user,
                        lead_unit=data["lead_unit"],
                        co_units=list(data["co_units"]),
                        split_units=list(data["split_units"]),
                        note=data["note"],
                    )
                    assign_form = forms.BulkAssignForm()
            else:
                messages.error(request, "请选择要进行的操作。")
        except ApplicationError as error:
            messages.error(request, error.message)
    queue, waiting = selectors.review_queue_rows(), selectors.awaiting_assignment()
    queue_count, waiting_count = list_counts(queue, waiting)
    page = paginate(request, queue, REVIEW_PAGE_SIZE, count=queue_count)
    awaiting = paginate(request, waiting, REVIEW_PAGE_SIZE, param="apage", count=waiting_count)
    today = timezone.localdate()

    def rows() -> tuple[str, str]:
        # The pages' rows are read here only (a page's rows are a lazy slice until rendered).
        context = {"page": page, "awaiting": awaiting, "today": today}
        return (
            render_to_string("proposals/partials/review_register_rows.html", context),
            render_to_string("proposals/partials/review_assign_rows.html", context),
        )

    # The same for everyone who may see the queues: per page of each, date (overdue) and write version.
    register_rows, assign_rows = cached(
        "proposals-review-rows", (page.number, awaiting.number, today.isoformat()), rows, request=request, seconds=DAY
    )
    return render(
        request,
        "proposals/review_queue.html",
        {
            "page": page,
            "awaiting": awaiting,
            "register_rows": mark_safe(register_rows),  # nosec B308 (our own render)
            "assign_rows": mark_safe(assign_rows),  # nosec B308 (our own render)
            "register_form": register_form,
            "assign_form": assign_form,
            "outcomes": outcomes,
            "outcome_label": outcome_label,
            "done_count": sum(1 for o in outcomes if o.done),
            "refused_count": sum(1 for o in outcomes if not o.done),
            "review_rule": rule_text("proposal.review"),
        },
    )


# --- 交办单, 目录 and 汇编 -----------------------------------------------------------------------


@permission_required("proposals.compile_documents")
def documents(request: HttpRequest) -> HttpResponse:
    """The session picker and its units' counts (a grouping of the session's assignments) are the
    same for everyone who may see the page: rendered once per session asked for, per write version."""

    def body() -> str:
        form = forms.DocumentsForm(request.GET or None)
        session = form.cleaned_data.get("session") if form.is_valid() else None
        session = session or PlenarySession.current()
        return render_to_string(
            "proposals/partials/documents_body.html",
            {"form": form, "session": session, "units": selectors.handover_units(session) if session else []},
        )

    # Only ``session`` is read of the query string (absent, empty and unknown all mean the current one).
    asked = request.GET.get("session", "")[:20]
    html = cached("proposals-documents", asked, body, request=request)
    return render(request, "proposals/documents.html", {"body_html": mark_safe(html)})  # nosec B308 (our own render)


def session_or_404(pk: int) -> PlenarySession:
    return get_object_or_404(PlenarySession, pk=pk)


@permission_required("proposals.compile_documents")
def catalogue_xlsx(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = session_or_404(session_pk)
    rows = documents_module.catalogue_rows(selectors.session_registered(session))
    return xlsx_streaming_response(
        f"{session.short_name}提案目录.xlsx",
        "提案目录",
        documents_module.CATALOGUE_COLUMNS,
        rows,
        documents_module.CATALOGUE_WIDTHS,
    )


# The session's large documents are built in the background and kept (proposals/kept_documents.py).


@permission_required("proposals.compile_documents")
def compilation_docx(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = session_or_404(session_pk)
    return generated_views.offer(request, kept_documents.COMPILATION.key, {"session": session.pk})


@permission_required("proposals.compile_documents")
def replies_docx(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = session_or_404(session_pk)
    return generated_views.offer(request, kept_documents.REPLIES.key, {"session": session.pk})


def _replied_assignment(request: HttpRequest, pk: int):
    """A unit's signed reply, if the user may see its proposal."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("unit", "signed_by", "proposal__session"), pk=pk, replied_at__isnull=False
    )
    proposal = selectors.proposal_detail_queryset().get(pk=assignment.proposal_id)
    require(request.user, "proposals.see_proposal", proposal)
    assignment.proposal = proposal
    return assignment


@permission_required("proposals.browse_proposals")
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _replied_assignment(request, pk)
    name = f"答复函-{assignment.proposal.number}-{assignment.unit.name}.pdf"
    return attachment_response(documents_module.letter_pdf_bytes(assignment), name, "application/pdf")


@permission_required("proposals.browse_proposals")
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _replied_assignment(request, pk)
    name = f"答复函-{assignment.proposal.number}-{assignment.unit.name}.docx"
    return attachment_response(documents_module.letter_docx(assignment), name, documents_module.DOCX_TYPE)


def handover_pdf(request: HttpRequest, session_pk: int, unit_pk: int) -> HttpResponse:
    """A unit's 交办单: staff print it for every unit; a unit's own users may print theirs."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    unit = get_object_or_404(Organization, pk=unit_pk)
    require(request.user, "proposals.print_handover", unit)
    session = session_or_404(session_pk)
    return generated_views.offer(request, kept_documents.HANDOVER.key, {"session": session.pk, "unit": unit.pk})


@permission_required("proposals.see_followups")
def followups(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.followup_assignments(request.user), PAGE_SIZE)
    return render(
        request,
        "proposals/followups.html",
        {"page": page, "today": timezone.localdate(), "followup_rule": rule_text("proposal.followup")},
    )


def _proposal_fields(data: dict) -> dict:
    """The proposal form's fields as ``proposal_create`` and ``proposal_update`` both take them."""
    return {
        "title": data["title"],
        "category": data["category"],
        "background": data["background"],
        "suggestions": data["suggestions"],
        "co_signers": list(data["co_signers"]),
        "suggested_units": data["suggested_units"],
        "files": data["attachments"],
        "publish_consent": data["publish_consent"],
    }


def _change(request: HttpRequest, proposal: Proposal, perform: Callable[[], str]) -> HttpResponse | None:
    """Change ``proposal`` (``perform`` returns what to tell the user) and go back to it, as also when
    the page was stale (its form no longer fits); ``None`` when refused: the form again, with why."""
    try:
        message = perform()
    except StaleObjectError as error:
        messages.error(request, error.message)
        return redirect(proposal)
    except ApplicationError as error:
        messages.error(request, error.message)
        return None
    messages.success(request, message)
    return redirect(proposal)


def _form_page(request: HttpRequest, form: ProposalForm, proposal: Proposal | None) -> HttpResponse:
    return render(request, "proposals/proposal_form.html", {"form": form, "proposal": proposal})


@permission_required("proposals.file_proposal")
def proposal_new(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                actor=request.user,
                **_proposal_fields(data),
                proposer_org=data.get("proposer_org"),
                author=data.get("author"),
                form_token=data.get("form_token"),
            )
        except StaleObjectError as error:
            messages.error(request, error.message)
            return redirect("proposals:list")
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "提案草稿已保存。" + ("已通知附议人确认。" if data["co_signers"] else ""))
            return redirect(proposal)
    return _form_page(request, form, None)


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Read once with what the rules read, then checked (404 before 403, as ``objectgetter`` would).
    proposal = get_object_or_404(selectors.proposal_action_queryset(), pk=pk)
    require(request.user, "proposals.edit_proposal", proposal)
    reason = blocked_reason(TRANSITIONS["edit"], proposal, request.user)
    if reason:
        messages.error(request, reason)
        return redirect(proposal)
    initial = {
        "title": proposal.title,
        "category": proposal.category_id,
        "background": proposal.background,
        "suggestions": proposal.suggestions,
        "co_signers": [s.member_id for s in proposal.signers.all()],
        "suggested_units": list(proposal.suggested_units.values_list("pk", flat=True)),
        "version": proposal.version,
        "author": proposal.author_id,
        "publish_consent": proposal.publish_consent,
    }
    form = ProposalForm(
        request.POST or None, request.FILES or None, user=request.user, proposal=proposal, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save() -> str:
            services.proposal_update(
                proposal=proposal,
                actor=request.user,
                version=data["version"],
                **_proposal_fields(data),
                author=data.get("author"),
            )
            return "修改已保存。"

        done = _change(request, proposal, save)
        if done:
            return done
    return _form_page(request, form, proposal)


@permission_required("proposals.file_proposal")
@require_GET
def similar_hint(request: HttpRequest) -> HttpResponse:
    """The similar-proposal hint (htmx): proposals already filed in this or an earlier session (历届)
    that look alike, among those this user may open (titles, states and authors of the others stay hidden)."""
    title = request.GET.get("title", "")[:200]
    text = " ".join(request.GET.get(f, "")[:5000] for f in ("background", "suggestions"))
    exclude = request.GET.get("exclude", "")
    if len(title.strip()) < 4:
        return render(request, "proposals/partials/similar.html", {"matches": []})

    def hint_html() -> str:
        matches = similar_proposals(
            title=title,
            text=text,
            among=selectors.visible_proposals(request.user),
            exclude_pk=int(exclude) if exclude.isdigit() else None,
        )
        return render_to_string("proposals/partials/similar.html", {"matches": matches})

    # Scoring scans every filed proposal's words: the same hint (a form shown again, the title
    # typed back) is answered once per write version and user (whose visibility it shows).
    parts = (request.user.pk, title, text, exclude)
    return HttpResponse(cached("proposals-similar", parts, hint_html, request=request))


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The page below the navigation bar is rendered once per user (what it shows depends on the
    user's access and actions), proposal and date, per write version (``writeversion``); a 404
    or a 403 is raised again on every request, never cached."""
    user = request.user
    today = timezone.localdate()
    title, body = cached(
        "proposal-page",
        (user.pk, pk, today.isoformat()),
        lambda: _detail_body(request, pk, today),
        request=request,
        seconds=DAY,
    )
    return render(
        request,
        "proposals/proposal_detail.html",
        {"title": title, "body_html": mark_safe(body)},  # nosec B308 (our own render)
    )


def _detail_body(request: HttpRequest, pk: int, today) -> tuple[str, str]:
    # Read once, with what the page shows, then checked (404 before 403, as ``objectgetter`` would;
    # the rule reads the prefetched co-signers, units and merged proposals).
    proposal = get_object_or_404(selectors.proposal_page_queryset(), pk=pk)
    attachments = selectors.proposal_page_relations(proposal)
    user = request.user
    require(user, "proposals.see_proposal", proposal)
    actions = available_actions(proposal, user)
    signers = list(proposal.signers.all())
    # 转为社情民意 after 不予立案: the page names it only then.
    opinion = getattr(proposal, "public_opinion", None) if proposal.state == ProposalState.NOT_REGISTERED else None
    # Rendered without the context processors: the page's body reads only what is passed here.
    body = render_to_string(
        "proposals/partials/detail_body.html",
        {
            "proposal": proposal,
            "attachments": attachments,
            "opinion": opinion if opinion and user.has_perm("proposals.see_opinion", opinion) else None,
            "actions": [a for a in actions if a.action != "edit" and a.on_detail_page],
            "can_edit": any(a.action == "edit" for a in actions),
            "signers": signers,
            "waiting_signers": [s for s in signers if s.status == "invited"],
            "assignments": list(proposal.assignments.all()),
            "today": today,
            "rules": due_rules(),
            "show_contacts": user.has_perm("members.see_contact_details", proposal.author),
            "consultations": [
                (s, user.has_perm("consultations.see_session", s))
                for s in consultation_selectors.sessions_for_proposal(proposal.pk)
            ],
        },
    )
    return proposal.title, body


@permission_required("proposals.see_proposal", fn=objectgetter(Proposal, "pk"))
def proposal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(selectors.proposal_detail_queryset(), pk=pk)
    filename = f"提案-{proposal.number or proposal.pk}.pdf"
    response = attachment_response(proposal_pdf_bytes(proposal), filename, "application/pdf")
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    return response


def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET shows the action's form or confirmation; POST performs it and goes back to the detail page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    transition = TRANSITIONS.get(action)
    page = ACTION_PAGES.get(action)
    if transition is None or page is None:
        raise Http404
    proposal = get_object_or_404(selectors.proposal_action_queryset(), pk=pk)
    require(request.user, transition.perm, proposal)
    posted_version = request.POST.get("version", "") if request.method == "POST" else ""
    if posted_version and posted_version != str(proposal.version):
        messages.error(request, services.STALE_MESSAGE)
        return redirect(proposal)
    reason = blocked_reason(transition, proposal, request.user, check_perm=False)
    if reason:
        messages.error(request, reason)
        return redirect(proposal)
    chosen = request.GET.get("assignment", "")
    form = page.form(
        request.POST or None,
        request.FILES or None,
        proposal=proposal,
        user=request.user,
        transition=transition,
        initial={"assignment": int(chosen)} if chosen.isdigit() else None,
    )
    if request.method == "POST" and form.is_valid():
        done = _change(request, proposal, lambda: page.perform(proposal, request.user, form.cleaned_data))
        if done:
            return done
    return render(
        request,
        "proposals/action.html",
        {"proposal": proposal, "transition": transition, "page": page, "form": form, "rules": due_rules()},
    )


def merge_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """The 并案 picker's search (htmx): the first proposals this one may be merged into whose
    提案编号 or 案由 contain the words typed, as radios named for the form's field."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    transition = TRANSITIONS["merge"]
    proposal = get_object_or_404(Proposal.objects.only("pk", "session_id", "state"), pk=pk)
    require(request.user, transition.perm, proposal)
    field = request.GET.get("field", "")
    if not field.replace("_", "").replace("-", "").isalnum():
        field = ""
    text = request.GET.get("target_q", "").strip()[:100]
    reason = blocked_reason(transition, proposal, request.user, check_perm=False)
    found = field and not reason
    return render(
        request,
        "proposals/widgets/proposal_matches.html",
        {
            "matches": picker.search(selectors.merge_targets(proposal), text) if found else [],
            "text": text,
            "field": field,
            "reason": reason,
            "limit": picker.MATCHES,
        },
    )


def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream an attachment after checking the user may see its proposal."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = get_object_or_404(Attachment.objects.select_related("proposal"), pk=pk)
    proposal = selectors.proposal_detail_queryset().get(pk=attachment.proposal_id)
    if not request.user.has_perm("proposals.see_proposal", proposal):
        raise PermissionDenied
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在")
    kind = uploads.BY_MIME.get(attachment.content_type)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=uploads.named_as(attachment.original_name, kind),
        content_type=kind.mime if kind else "application/octet-stream",
    )


# --- public ----------------------------------------------------------------------------------


PUBLIC_PAGE_SIZE = 20


def public_list(request: HttpRequest) -> HttpResponse:
    """The published proposals are the same for everyone: their cards and pager are rendered once
    per write version (``writeversion``) and query string, page included, for every visitor; the
    total (共 N 条) is counted once per write to the proposals and their replies (``list_count``)."""
    query_string = query_without_page(request)

    def results_html() -> str:
        queryset = selectors.public_proposal_list(request.GET)
        page = paginate(request, queryset, PUBLIC_PAGE_SIZE, count=list_count(queryset))
        return render_to_string(
            "proposals/partials/public_list_results.html", {"page": page, "query_string": query_string}
        )

    parts = (request.GET.urlencode(), timezone.localdate().isoformat())
    results = cached("public-proposals", parts, results_html, request=request, seconds=DAY)
    return render(
        request,
        "proposals/public_list.html",
        {"results_html": mark_safe(results), "q": request.GET.get("q", "")},  # nosec B308 (our own render)
    )


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(selectors.public_proposals({}), pk=pk)
    return render(request, "proposals/public_detail.html", {"proposal": proposal})


__all__ = ["ProposalState"]
