"""The annual plan, its topics and the research projects behind them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cppcc_portal.access import objectgetter, permission_required
from cppcc_portal.errors import ApplicationError
from cppcc_portal.exports import pdf_bytes
from cppcc_portal.forms import report_form_errors, run_service
from members.forms import PickedMembersForm, group_preview

from .. import selectors, services
from ..enums import CHAIN_ORDER
from ..forms import (
    FieldVisitForm,
    ResearchForm,
    ResearchReportForm,
    TopicForm,
)
from ..models import (
    ConsultationPlan,
    ResearchProject,
    Topic,
)
from .common import _form_page, _save_page, _stream, _submit


@permission_required("consultations.see_plan")
def plan_current(request: HttpRequest) -> HttpResponse:
    return redirect("consultations:plan", year=timezone.localdate().year)


def _plan_context(year: int) -> dict:
    plan = ConsultationPlan.objects.filter(year=year).first()
    topics = selectors.plan_topics(plan) if plan else []
    return {
        "year": year,
        "plan": plan,
        "topics": topics,
        "stages": CHAIN_ORDER,
        "late_count": sum(1 for topic in topics if topic.late),
        "today": timezone.localdate(),
    }


@permission_required("consultations.see_plan")
def plan(request: HttpRequest, year: int) -> HttpResponse:
    context = _plan_context(year)
    context["can_manage"] = request.user.has_perm("consultations.manage")
    return render(request, "consultations/plan.html", context)


@permission_required("consultations.see_plan")
def plan_pdf(request: HttpRequest, year: int) -> HttpResponse:
    html = render_to_string("consultations/plan_pdf.html", _plan_context(year))
    pdf = pdf_bytes(request, html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="consultation-plan-{year}.pdf"'
    return response


@permission_required("consultations.manage")
def topic_new(request: HttpRequest, year: int) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_get_or_create(actor=request.user, year=year)
        data = {**form.cleaned_data}
        topic = run_service(request, services.topic_save, "议题已加入年度计划。", plan=plan, data=data)
        if topic:
            return redirect(topic)
    return _form_page(
        request, title=f"新增{year}年度协商议题", form=form, back=reverse("consultations:plan", args=[year])
    )


@permission_required("consultations.manage", fn=objectgetter(Topic, "pk"))
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("plan"), pk=pk)
    form = TopicForm(request.POST or None, instance=topic)
    return _save_page(
        request,
        form,
        services.topic_save,
        "议题已保存。",
        title="修改协商议题",
        back=topic.get_absolute_url(),
        plan=topic.plan,
        topic=topic,
    )


@permission_required("consultations.see_plan")
def topic(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.annotate_stage(selectors.topics_with_chain(Topic.objects.filter(pk=pk)))
    if not topic:
        raise Http404
    topic = topic[0]
    sessions = [s for s in selectors.visible_sessions(request.user).filter(topic=topic).order_by("starts_at")]
    return render(
        request,
        "consultations/topic.html",
        {
            "topic": topic,
            "stages": CHAIN_ORDER,
            "stage_index": CHAIN_ORDER.index(topic.stage),
            "research": topic.research.select_related("lead"),
            "sessions": sessions,
            "outcomes": topic.outcomes.prefetch_related("deliveries", "instructions"),
            "can_manage": request.user.has_perm("consultations.manage", topic),
        },
    )


@permission_required("consultations.see_plan")
def research_list(request: HttpRequest) -> HttpResponse:
    projects = ResearchProject.objects.select_related("lead", "topic").prefetch_related("team")
    return render(
        request,
        "consultations/research_list.html",
        {"projects": projects, "can_manage": request.user.has_perm("consultations.manage")},
    )


@permission_required("consultations.manage")
def research_new(request: HttpRequest) -> HttpResponse:
    form = ResearchForm(request.POST or None, initial={"topic": request.GET.get("topic")})
    return _save_page(
        request,
        form,
        services.research_save,
        "调研课题已建立。",
        title="新建调研课题",
        back=reverse("consultations:research-list"),
    )


@permission_required("consultations.manage", fn=objectgetter(ResearchProject, "pk"))
def research_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(ResearchProject, pk=pk)
    form = ResearchForm(request.POST or None, instance=project)
    return _save_page(
        request,
        form,
        services.research_save,
        "调研课题已保存。",
        title="修改调研课题",
        back=project.get_absolute_url(),
        project=project,
    )


@permission_required("consultations.see_plan")
def research(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        ResearchProject.objects.select_related("lead", "topic").prefetch_related("team", "visits", "committees"), pk=pk
    )
    return render(
        request,
        "consultations/research.html",
        {
            "project": project,
            "can_manage": request.user.has_perm("consultations.manage", project),
            "can_file_report": request.user.has_perm("consultations.file_research_report", project),
            "visit_form": FieldVisitForm(),
            "report_form": ResearchReportForm(initial={"summary": project.report_summary}),
        },
    )


@require_POST
@permission_required("consultations.manage", fn=objectgetter(ResearchProject, "pk"))
def research_visit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(ResearchProject, pk=pk)
    return _submit(
        request,
        FieldVisitForm(request.POST),
        services.research_add_visit,
        "实地调研已记录。",
        back=project,
        as_data=True,
        project=project,
    )


@require_POST
@permission_required("consultations.file_research_report", fn=objectgetter(ResearchProject, "pk"))
def research_report(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(ResearchProject, pk=pk)
    return _submit(
        request,
        ResearchReportForm(request.POST, request.FILES),
        services.research_complete,
        "调研报告已保存，课题组成员的履职记录已登记。",
        back=project,
        project=project,
    )


@permission_required("consultations.see_plan")
def research_file(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(ResearchProject, pk=pk)
    return _stream(project.report_file)


@permission_required("consultations.manage", fn=objectgetter(ResearchProject, "pk"))
def research_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite members into the research team by group: pick groups → preview, remove → add."""
    project = get_object_or_404(ResearchProject.objects.select_related("lead"), pk=pk)
    if request.method == "POST":
        form = PickedMembersForm(request.POST)
        if not form.is_valid():
            report_form_errors(request, form)
            return redirect("consultations:research-invite", project.pk)
        try:
            invited = services.research_invite_members(
                actor=request.user, project=project, members=form.cleaned_data["member"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("consultations:research-invite", project.pk)
        messages.success(request, f"已邀请 {invited} 名委员加入课题组，并已通知本人。")
        return redirect(project)
    team = list(project.team.values_list("pk", flat=True))
    groups, preview = group_preview(request.GET, exclude=[*team, project.lead_id])
    return render(
        request,
        "consultations/research_invite.html",
        {"project": project, "group_form": groups, "team_count": len(team), **preview},
    )
