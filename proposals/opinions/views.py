"""社情民意 pages: thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from datetime import date

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cppcc_portal.access import objectgetter, permission_required, require
from cppcc_portal.deadlines import rule_text
from cppcc_portal.errors import ApplicationError
from cppcc_portal.paging import paginate, query_without_page
from cppcc_portal.roles import is_proposer_org_user
from cppcc_portal.writeversion import DAY, cached

from . import selectors, services
from .clocks import clock_key
from .enums import OpinionStatus
from .forms import (
    ChannelForm,
    DecisionForm,
    EditForReportForm,
    FeedbackForm,
    HeadConfirmForm,
    HigherAdoptionForm,
    InstructionForm,
    OpinionFilterForm,
    OpinionForm,
    ReportingForm,
)
from .models import PublicOpinion
from .workflow import decisions_from

PAGE_SIZE = 30
STEP_TEMPLATE = "proposals/opinions/opinion_step.html"


@permission_required("proposals.browse_opinions")
def opinion_list(request: HttpRequest) -> HttpResponse:
    """The table and its pager are rendered once per write version (``writeversion``), user (whose
    visibility they show) and query string, page included."""
    user = request.user
    can_handle = user.has_perm("proposals.handle_opinion")

    def table_html() -> str:
        page = paginate(request, selectors.opinion_list(user=user, params=request.GET), PAGE_SIZE)
        return render_to_string(
            "proposals/opinions/partials/opinion_table.html",
            {"page": page, "query_string": query_without_page(request)},
        )

    # Overdue flags and counts read the date, never the clock.
    parts = (user.pk, request.GET.urlencode(), date.today().isoformat())
    table = cached("opinion-table", parts, table_html, request=request, seconds=DAY)
    return render(
        request,
        "proposals/opinions/opinion_list.html",
        {
            "table_html": mark_safe(table),  # nosec B308 (our own render)
            "filter_form": OpinionFilterForm(request.GET or None),
            "can_handle": can_handle,
            "can_file": user.has_perm("proposals.file_opinion"),
            "queue": selectors.review_queue_counts() if can_handle else None,
            "in_queue": bool(request.GET.get("queue")),
        },
    )


@permission_required("proposals.file_opinion")
def opinion_new(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "member", None) is None and not is_proposer_org_user(request.user):
        raise PermissionDenied("只有委员和集体提案单位可以报送社情民意。")  # e.g. a superuser without a profile
    activity_id = request.GET.get("activity", "")
    initial = {"activity": activity_id} if activity_id.isdigit() else {}
    form = OpinionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion = services.opinion_file(
                actor=request.user,
                title=data["title"],
                situation=data["situation"],
                suggestion=data["suggestion"],
                urgent=data["urgent"],
                activity=data.get("activity"),
                station=data.get("station"),
                author=data.get("author"),
                form_token=data.get("form_token"),
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            if opinion.replayed:
                messages.info(request, "这份社情民意已经报送过了，未重复报送。")
            elif opinion.status == OpinionStatus.AWAITING_HEAD:
                messages.success(request, "社情民意已保存，待本单位负责人确认后报送研究室。")
            else:
                messages.success(request, f"社情民意已报送，研究室将于 {opinion.review_due:%Y-%m-%d} 前审核。")
            return redirect(opinion)
    return render(
        request,
        "proposals/opinions/opinion_form.html",
        {"form": form, "rule": rule_text("opinion.review"), "urgent_rule": rule_text("opinion.urgent_review")},
    )


@login_required
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report is read once for the permission check and the page (``objectgetter`` read it
    apart). What it shows of the report and its history (no form inside) is rendered once per
    write version and what the viewer's rights change in it (``writeversion``); so are the staff's
    step forms, the same for every report with the same 报送去向 and channel, per day (no CSRF
    token inside them: each form's token is the request's own)."""
    user = request.user
    opinion = get_object_or_404(selectors.opinion_for_detail(), pk=pk)
    require(user, "proposals.see_opinion", opinion)
    can_handle = user.has_perm("proposals.handle_opinion")
    shown = {
        "opinion": opinion,
        "rule": rule_text(clock_key(urgent=opinion.urgent)),
        "can_confirm": user.has_perm("proposals.confirm_opinion", opinion),
        "can_see_activity": bool(opinion.activity_id)
        and user.has_perm("liaison_stations.see_activity", opinion.activity),
        "sees_issues": can_handle or user.has_perm("proposals.see_opinion_issues"),
    }

    def parts() -> tuple[str, str]:
        selectors.with_opinion_history(opinion)
        return (
            render_to_string("proposals/opinions/partials/opinion_main.html", shown),
            render_to_string("proposals/opinions/partials/opinion_timeline.html", shown),
        )

    key = (
        opinion.pk,
        shown["rule"],
        shown["can_confirm"],
        shown["can_see_activity"],
        shown["sees_issues"],
        date.today().isoformat(),
    )
    main_html, timeline_html = cached("opinion-detail", key, parts, request=request, seconds=DAY)
    context = {
        "opinion": opinion,
        "can_handle": can_handle,
        "main_html": mark_safe(main_html),  # nosec B308 (our own render)
        "timeline_html": mark_safe(timeline_html),  # nosec B308 (our own render)
    }
    if can_handle:
        context.update({"can_decide": bool(decisions_from(opinion.status)), **_step_forms(request, opinion)})
    return render(request, "proposals/opinions/opinion_detail.html", context)


def _step_forms(request: HttpRequest, opinion: PublicOpinion) -> dict[str, SafeString | None]:
    """The detail page's step forms as crispy renders them (None: not offered for this report)."""
    adopted = opinion.status == OpinionStatus.ADOPTED
    reported = (opinion.reported_to_party_committee, opinion.reported_to_government, opinion.reported_to_city_cppcc)

    def build() -> dict[str, str | None]:
        forms = {
            "decision_form": DecisionForm(auto_id="decision_%s"),
            "reporting_form": ReportingForm(
                auto_id="reporting_%s",
                initial={"to_party_committee": reported[0], "to_government": reported[1], "to_city_cppcc": reported[2]},
            )
            if adopted
            else None,
            "instruction_form": InstructionForm(auto_id="instruction_%s") if adopted else None,
            "feedback_form": FeedbackForm(auto_id="feedback_%s") if adopted else None,
            "higher_form": HigherAdoptionForm(auto_id="higher_%s") if adopted else None,
            "channel_form": ChannelForm(auto_id="channel_%s", initial={"channel": opinion.channel}),
        }
        return {name: None if form is None else str(as_crispy_form(form)) for name, form in forms.items()}

    # The date forms start at today (``date.today``, as the forms do).
    parts = (adopted, reported, opinion.channel, date.today().isoformat())
    rendered = cached("opinion-step-forms", parts, build, request=request, seconds=DAY)
    return {name: None if html is None else mark_safe(html) for name, html in rendered.items()}  # nosec B308 (our own render)


def _handle(request: HttpRequest, pk: int, form_class, template: str, call, success: str):
    """One research-office step: a form page on GET, the service on POST."""
    opinion = get_object_or_404(PublicOpinion.objects.select_related("author"), pk=pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call(opinion, form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success)
            return redirect(opinion)
    return render(request, template, {"opinion": opinion, "form": form})


@permission_required("proposals.confirm_opinion", fn=objectgetter(PublicOpinion, "pk"))
def opinion_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's head confirms its report (GET: the page, POST: confirm)."""

    def call(opinion, data):
        services.opinion_confirm_by_head(opinion=opinion, actor=request.user, note=data["note"])

    return _handle(request, pk, HeadConfirmForm, STEP_TEMPLATE, call, "已确认，社情民意已报送研究室。")


@permission_required("proposals.handle_opinion")
def opinion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = get_object_or_404(PublicOpinion, pk=pk)
    initial = {
        "report_title": opinion.report_title or opinion.title,
        "report_text": opinion.report_text or f"{opinion.situation}\n\n{opinion.suggestion}",
    }
    form = EditForReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_edit_for_report(opinion=opinion, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "编报稿已保存，原稿保留不变。")
            return redirect(opinion)
    return render(request, "proposals/opinions/opinion_edit.html", {"opinion": opinion, "form": form})


@permission_required("proposals.handle_opinion")
def opinion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    def call(opinion, data):
        services.opinion_decide(
            opinion=opinion,
            actor=request.user,
            adopt=data["decision"] == "adopt",
            reason=data["reason"],
            to_party_committee=data["to_party_committee"],
            to_government=data["to_government"],
            to_city_cppcc=data["to_city_cppcc"],
        )

    return _handle(request, pk, DecisionForm, STEP_TEMPLATE, call, "审核意见已保存。")


def _step_view(form_class, service, success: str):
    """A research-office step whose form's fields go to ``service`` as they are."""

    @permission_required("proposals.handle_opinion")
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        def call(opinion, data):
            service(opinion=opinion, actor=request.user, **data)

        return _handle(request, pk, form_class, STEP_TEMPLATE, call, success)

    return view


opinion_reporting = _step_view(ReportingForm, services.opinion_update_reporting, "报送去向已更新。")
opinion_instruction = _step_view(InstructionForm, services.opinion_record_instruction, "领导批示已登记。")
opinion_feedback = _step_view(FeedbackForm, services.opinion_record_feedback, "部门反馈已登记。")
opinion_channel = _step_view(ChannelForm, services.opinion_set_channel, "报送渠道已登记。")
opinion_higher_adoption = _step_view(
    HigherAdoptionForm, services.opinion_record_higher_adoption, "上级政协采用已登记，已计入委员履职。"
)
