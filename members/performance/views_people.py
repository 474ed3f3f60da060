"""Pages: outstanding-member selection, contact duties and visits."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cppcc_portal.access import permission_required, require
from cppcc_portal.errors import ApplicationError
from cppcc_portal.exports import xlsx_streaming_response
from cppcc_portal.forms import manager_form, run_service
from cppcc_portal.paging import paginate
from cppcc_portal.years import chosen_year

from . import scoring, selectors, services
from .enums import CandidateStatus, RoundStatus
from .forms import CpcContactForm, LeaderSectorForm, RecommendForm, RoundForm, VisitForm
from .models import CpcContactDuty, LeaderSectorDuty, MemberYearScore, SelectionCandidate, SelectionRound, Visit


@permission_required("members.see_selection")
def selection_list(request: HttpRequest) -> HttpResponse:
    form = manager_form(request, "members.review_selection", RoundForm)
    if form and form.is_valid():
        round_ = run_service(request, services.round_create, "评选已发起，进入推荐阶段。", **form.cleaned_data)
        if round_:
            return redirect(round_)
    rounds = SelectionRound.objects.annotate(
        candidate_count=Count("candidates"),
        approved_count=Count("candidates", filter=Q(candidates__status=CandidateStatus.APPROVED)),
    ).order_by("-year")
    return render(
        request,
        "members/performance/selection_list.html",
        {"rounds": rounds, "form": form, "can_manage": form is not None},
    )


@permission_required("members.see_selection")
def selection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(SelectionRound, pk=pk)
    eligible = selectors.eligible_members().exclude(selections__round=round_).order_by("name")
    can_recommend = request.user.has_perm("members.recommend_outstanding") and round_.status == RoundStatus.RECOMMENDING
    form = RecommendForm(request.POST or None, eligible=eligible) if can_recommend else None
    if request.method == "POST":
        require(request.user, "members.recommend_outstanding")
        if form is not None and form.is_valid():
            try:
                services.candidate_recommend(actor=request.user, round_=round_, **form.cleaned_data)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "推荐已录入。")
                return redirect(round_)
    band_list = scoring.bands()
    candidates = (
        SelectionCandidate.objects.filter(round=round_)
        .select_related("member__sector", "member__position", "committee", "sector", "recommended_by")
        .annotate(
            score=Coalesce(
                Subquery(
                    MemberYearScore.objects.filter(member=OuterRef("member"), year=round_.year).values("total")[:1]
                ),
                Value(scoring.ZERO),
            )
        )
        .order_by("-score", "member__name")
    )
    rows = [(c, c.score, scoring.band_for(c.score, band_list)) for c in candidates]
    return render(
        request,
        "members/performance/selection_detail.html",
        {
            "round": round_,
            "rows": rows,
            "form": form,
            "cap": selectors.round_cap(round_),
            "can_review": request.user.has_perm("members.review_selection"),
            "next_label": {RoundStatus.RECOMMENDING: "结束推荐，进入审核", RoundStatus.REVIEWING: "公布评选结果"}.get(
                round_.status
            ),
        },
    )


@require_POST
@permission_required("members.review_selection")
def selection_advance(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(SelectionRound, pk=pk)
    try:
        round_ = services.round_advance(actor=request.user, round_=round_)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"评选已进入“{round_.get_status_display()}”阶段。")
    return redirect(round_)


@require_POST
@permission_required("members.review_selection")
def candidate_review(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(SelectionCandidate.objects.select_related("round"), pk=pk)
    try:
        services.candidate_review(
            actor=request.user,
            candidate=candidate,
            approve=request.POST.get("approve") == "1",
            note=request.POST.get("note", ""),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已审核：{candidate.member.name}。")
    return redirect(candidate.round)


@permission_required("members.see_contacts")
def contacts(request: HttpRequest) -> HttpResponse:
    can_manage = request.user.has_perm("members.manage_contacts")
    leader_form = (
        LeaderSectorForm(request.POST if "leader" in request.POST else None, prefix="") if can_manage else None
    )
    cpc_form = CpcContactForm(request.POST if "cpc_member" in request.POST else None) if can_manage else None
    if request.method == "POST":
        require(request.user, "members.manage_contacts")
        try:
            if leader_form is not None and leader_form.is_bound and leader_form.is_valid():
                services.leader_sector_assign(actor=request.user, **leader_form.cleaned_data)
                messages.success(request, "已分配领导联系界别。")
                return redirect("members:contacts")
            if cpc_form is not None and cpc_form.is_bound and cpc_form.is_valid():
                services.cpc_contact_assign(actor=request.user, **cpc_form.cleaned_data)
                messages.success(request, "已分配联系党外委员。")
                return redirect("members:contacts")
        except ApplicationError as error:
            messages.error(request, error.message)
    return render(
        request,
        "members/performance/contacts.html",
        {
            "leader_duties": LeaderSectorDuty.objects.select_related("leader", "sector"),
            "cpc_duties": CpcContactDuty.objects.select_related("cpc_member", "non_cpc_member__party"),
            "leader_form": leader_form,
            "cpc_form": cpc_form,
            "can_manage": can_manage,
        },
    )


@require_POST
@permission_required("members.manage_contacts")
def duty_remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = {"sector": LeaderSectorDuty, "cpc": CpcContactDuty}.get(kind)
    if model is None:
        raise Http404
    duty = get_object_or_404(model, pk=pk)
    services.duty_remove(actor=request.user, duty=duty)
    messages.success(request, "联系任务已删除。")
    return redirect("members:contacts")


@permission_required("members.see_contacts")
def visit_list(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request, selectors.record_years())
    form = manager_form(request, "members.record_visit", VisitForm)
    if form and form.is_valid():
        if run_service(request, services.visit_record, "走访记录已保存。", **form.cleaned_data):
            return redirect("members:visits")
    queryset = Visit.objects.filter(visited_on__year=year).select_related("member__sector", "visitor")
    page = paginate(request, queryset, 30)
    return render(
        request,
        "members/performance/visit_list.html",
        {
            "page": page,
            "form": form,
            "year": year,
            "years": selectors.record_years(),
            "not_visited_count": selectors.not_visited(year).count(),
            "query_string": f"year={year}",
        },
    )


@permission_required("members.see_contacts")
def not_visited(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request, selectors.record_years())
    page = paginate(request, selectors.not_visited(year), 50)
    return render(
        request,
        "members/performance/not_visited.html",
        {"page": page, "year": year, "years": selectors.record_years(), "query_string": f"year={year}"},
    )


@permission_required("members.see_contacts")
def not_visited_export(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request, selectors.record_years())
    # Plain values through one server-side cursor: no model objects, five short columns.
    values = (
        selectors.not_visited(year)
        .values_list("name", "sector__name", "party__name", "position__name", "contact_duty__cpc_member__name")
        .iterator(chunk_size=2000)
    )
    rows = ([value or "" for value in row] for row in values)
    return xlsx_streaming_response(
        f"{year}年度未走访委员.xlsx",
        "未走访委员",
        ["姓名", "界别", "党派", "职务", "联系人"],
        rows,
        [12, 20, 20, 10, 12],
    )
