"""Pages: the 履职档案, scoring, 五个一 and 年度述职."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from cppcc_portal import generated_views
from cppcc_portal.access import objectgetter, permission_required, require
from cppcc_portal.errors import ApplicationError
from cppcc_portal.exports import xlsx_streaming_response
from cppcc_portal.paging import paginate, render_list
from cppcc_portal.writeversion import DAY, cached
from cppcc_portal.years import chosen_year

from ..models import Member, Term
from . import kept_documents, scoring, selectors, services
from .enums import ReportStatus
from .forms import AnnualReportForm, ReviewForm
from .models import AnnualReport, FiveOnesRequirement, ScoreBand, ScoringRule
from .workflow import EDITABLE_STATES


def _term_for(request: HttpRequest, member: Member) -> tuple[Term, list[Term]]:
    terms = list(member.terms.all()) or list(Term.objects.filter(is_current=True))
    if not terms:
        raise Http404("尚未设置届次。")
    wanted = request.GET.get("term", "")
    term = next((t for t in terms if str(t.pk) == wanted), None) or next((t for t in terms if t.is_current), terms[0])
    return term, terms


def _record_member(request: HttpRequest, pk: int) -> Member:
    """The member whose file is asked for, read once: for the permission check and the page."""
    member = getattr(request, "_record_member", None)
    if member is None or member.pk != pk:
        member = get_object_or_404(Member.objects.select_related("sector", "party", "position"), pk=pk)
        request._record_member = member
    return member


@permission_required("members.see_record", fn=_record_member)
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The file below its header is the same for everyone who may open it (the check runs on every
    request, before): rendered once per member, term asked for and date (the years shown end with
    this one), per write version (``writeversion``). A 404 (no term) is raised in the build, never cached."""
    member = _record_member(request, pk)
    wanted = request.GET.get("term", "")
    wanted = wanted if wanted.isdigit() else ""
    today = timezone.localdate()
    part = cached(
        "member-record",
        (member.pk, wanted, today.isoformat()),
        lambda: _record_body(request, member),
        request=request,
        seconds=DAY,
    )
    return render(
        request,
        "members/performance/record.html",
        {
            "member": member,
            **part,
            "body_html": mark_safe(part["body_html"]),  # nosec B308 (our own render)
            "is_self": member.user_id == request.user.pk,
        },
    )


def _record_body(request: HttpRequest, member: Member) -> dict:
    term, terms = _term_for(request, member)
    awards = selectors.honours(member)
    years = selectors.member_record(member, term, awards=awards)
    # Rendered without the context processors: the body reads only what is passed here.
    body = render_to_string(
        "members/performance/_record_body.html",
        {"member": member, "term": term, "years": years, "honours": awards},
    )
    return {
        "term_pk": term.pk,
        "terms": [(t.pk, t.name) for t in terms],
        "first_year": years[0].year if years else None,
        "body_html": body,
    }


@permission_required("members.see_record", fn=_record_member)
def record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One PDF per member per term: the whole 履职档案, built in the background and kept
    (performance/kept_documents.py)."""
    member = _record_member(request, pk)
    term, _ = _term_for(request, member)
    return generated_views.offer(request, kept_documents.RECORD_PDF.key, {"member": member.pk, "term": term.pk})


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied
    return redirect("members:record", pk=member.pk)


@login_required
def my_report(request: HttpRequest, year: int) -> HttpResponse:
    member = getattr(request.user, "member", None)
    require(request.user, "members.write_annual_report")
    if member is None:
        raise PermissionDenied
    if year not in selectors.record_years():
        raise Http404("该年度不能填写述职。")
    report = selectors.report_for(member, year)
    editable = report.status in EDITABLE_STATES
    form = AnnualReportForm(request.POST or None, instance=report)
    if request.method == "POST":
        if not editable:
            messages.error(request, "述职已提交，不能修改。")
            return redirect("members:my-report", year=year)
        if form.is_valid():
            try:
                services.report_save(
                    actor=request.user,
                    member=member,
                    year=year,
                    summary=form.cleaned_data["summary"],
                    body=form.cleaned_data["body"],
                    submit="submit" in request.POST,
                )
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "述职已提交，请等待审核。" if "submit" in request.POST else "草稿已保存。")
                return redirect("members:my-report", year=year)
    log = report.log.select_related("actor") if report.pk else []
    return render(
        request,
        "members/performance/my_report.html",
        {
            "member": member,
            "year": year,
            "report": report,
            "form": form,
            "editable": editable,
            "log": log,
            "years": selectors.record_years(),
        },
    )


@permission_required("members.review_annual_reports")
def report_list(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request, selectors.record_years())
    queryset = AnnualReport.objects.filter(year=year).select_related("member__sector", "reviewed_by")
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        queryset = queryset.filter(status=status)
    return render_list(
        request,
        "members/performance/report_list.html",
        queryset.order_by("status", "member__name"),
        50,
        year=year,
        years=selectors.record_years(),
        status=status,
        statuses=ReportStatus.choices,
    )


@permission_required("members.see_annual_report", fn=objectgetter(AnnualReport, "pk"))
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(AnnualReport.objects.select_related("member__sector"), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "members.review_annual_reports")
        if form.is_valid():
            try:
                services.report_review(
                    actor=request.user, report=report, accept="accept" in request.POST, note=form.cleaned_data["note"]
                )
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "述职已审核通过。" if "accept" in request.POST else "述职已退回修改。")
                return redirect("members:report-review", pk=pk)
    return render(
        request,
        "members/performance/report_review.html",
        {
            "report": report,
            "form": form,
            "log": report.log.select_related("actor"),
            "can_review": request.user.has_perm("members.review_annual_reports")
            and report.status == ReportStatus.SUBMITTED,
        },
    )


@permission_required("members.see_scoring")
def scoring_overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "members/performance/scoring.html",
        {
            "rules": ScoringRule.objects.order_by("act", "-valid_from"),
            "bands": ScoreBand.objects.all(),
            "requirements": FiveOnesRequirement.objects.all(),
            "years": selectors.record_years(),
            "can_manage": request.user.has_perm("members.manage_scoring"),
        },
    )


@require_POST
@permission_required("members.manage_scoring")
def scoring_recompute(request: HttpRequest) -> HttpResponse:
    year = request.POST.get("year", "")
    if not year.isdigit() or int(year) not in selectors.record_years():
        messages.error(request, "请选择要重算的年度。")
    else:
        count = scoring.recompute_scores(int(year))
        messages.success(request, f"已按现行规则重算{year}年度得分：{count}名委员有履职记录。")
    return redirect("members:scoring")


def _gap_rows(year: int):
    reqs = scoring.requirements()
    return reqs, scoring.members_with_gaps(year, reqs)


@permission_required("members.see_five_ones_list")
def five_ones_list(request: HttpRequest) -> HttpResponse:
    """The list is the same for everyone who may see it: rendered once per query string (year and
    page) and date (the years offered end with this one), per write version (``writeversion``)."""
    body = cached(
        "five-ones",
        (request.GET.urlencode(), timezone.localdate().isoformat()),
        lambda: _five_ones_body(request),
        request=request,
        seconds=DAY,
    )
    return render(
        request,
        "members/performance/five_ones.html",
        {"body_html": mark_safe(body)},  # nosec B308 (our own render)
    )


def _five_ones_body(request: HttpRequest) -> str:
    year = chosen_year(request, selectors.record_years())
    reqs, members = _gap_rows(year)
    page = paginate(request, members, 50)
    rows = [(member, [(getattr(member, f"r{req.pk}"), req.minimum) for req in reqs]) for member in page]
    return render_to_string(
        "members/performance/_five_ones_body.html",
        {
            "year": year,
            "years": selectors.record_years(),
            "reqs": reqs,
            "rows": rows,
            "page": page,
            "query_string": f"year={year}",
        },
    )


@permission_required("members.see_five_ones_list")
def five_ones_export(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request, selectors.record_years())
    reqs, members = _gap_rows(year)
    headers = ["姓名", "界别", *[req.name for req in reqs]]
    # Plain values through one server-side cursor, no model objects.
    values = members.values_list("name", "sector__name", *[f"r{req.pk}" for req in reqs]).iterator(chunk_size=2000)
    rows = ([name, sector or "", *counts] for name, sector, *counts in values)
    return xlsx_streaming_response(
        f"{year}年度五个一未完成名单.xlsx", "五个一未完成", headers, rows, [12, 20] + [14] * len(reqs)
    )
