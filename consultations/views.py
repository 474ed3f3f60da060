"""Thin views: find what the user may see, validate, call one service, redirect."""

from __future__ import annotations

import io
from collections.abc import Callable

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cppcc_portal.access import objectgetter, permission_required, require
from cppcc_portal.deadlines import rule_text
from cppcc_portal.errors import ApplicationError
from members.models import Organization

from . import clocks, selectors, services
from .enums import CHAIN_ORDER, RsvpStatus
from .forms import (
    AdoptionForm,
    AppointmentForm,
    DeliveryForm,
    FieldVisitForm,
    InspectionFeedbackForm,
    InspectionForm,
    InstructionForm,
    LeaveDecisionForm,
    MaterialForm,
    MinutesForm,
    OfficialForm,
    OutcomeForm,
    OutsiderFormSet,
    ResearchForm,
    ResearchReportForm,
    RsvpForm,
    SessionForm,
    SessionInviteForm,
    SpeakerForm,
    SpeechForm,
    SuggestionForm,
    SupervisionTopicForm,
    TopicForm,
)
from .ical import member_feed
from .models import (
    ConsultationPlan,
    Inspection,
    Invitation,
    Outcome,
    OutsideParticipant,
    ResearchProject,
    Session,
    SessionMaterial,
    Speech,
    Suggestion,
    SupervisionPlan,
    SupervisorAppointment,
    Topic,
)
from .workflow import answers_for


def _attempt(request: HttpRequest, action: Callable, success: str, **kwargs):
    """Call a service as the request's user; turn domain errors into a message."""
    try:
        result = action(actor=request.user, **kwargs)
    except ApplicationError as error:
        messages.error(request, error.message)
        return None
    messages.success(request, success)
    return result if result is not None else True


def _member_or_403(request: HttpRequest):
    """Member-only pages: a superuser passes every rule but has no member profile."""
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied("只有委员可以使用此功能。")
    return member


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))


def _form_page(request, *, title: str, form, back: str, formset=None, multipart: bool = False, intro: str = ""):
    return render(
        request,
        "consultations/form.html",
        {"title": title, "form": form, "formset": formset, "back": back, "multipart": multipart, "intro": intro},
    )


def _stream(field, filename: str | None = None) -> FileResponse:
    if not field:
        raise Http404("文件不存在。")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在。")
    name = filename or field.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


# --- Index and calendar ---------------------------------------------------------------


@permission_required("consultations.browse_sessions")
def index(request: HttpRequest) -> HttpResponse:
    upcoming, past = selectors.sessions_for_index(request.user)
    member = getattr(request.user, "member", None)
    context = {"upcoming": upcoming, "past": past, "year": timezone.localdate().year}
    if member is not None and request.user.has_perm("consultations.own_calendar"):
        token = selectors.calendar_token_for(request.user)
        context["feed_url"] = request.build_absolute_uri(reverse("consultations:calendar", args=[token.token]))
    if request.user.has_perm("consultations.manage"):
        context["leave_requests"] = list(selectors.pending_leave_requests())
        context["awaiting_count"] = selectors.outcomes_awaiting_feedback().count()
    return render(request, "consultations/index.html", context)


@require_POST
@permission_required("consultations.own_calendar")
def calendar_reset(request: HttpRequest) -> HttpResponse:
    _member_or_403(request)
    _attempt(request, services.calendar_token_reset, "订阅地址已重置，旧地址立即失效。请在手机日历中重新订阅。")
    return redirect("consultations:index")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal iCal feed: no login, the unguessable token is the key."""
    from .models import CalendarToken

    entry = CalendarToken.objects.select_related("user__member").filter(token=token).first()
    member = getattr(entry.user, "member", None) if entry else None
    if entry is None or member is None or not entry.user.is_active:
        raise Http404("订阅地址无效或已重置。")
    body = member_feed(member, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="consultations.ics"'
    return response


# --- Plan and topics ------------------------------------------------------------------


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
    from weasyprint import HTML

    html = render_to_string("consultations/plan_pdf.html", _plan_context(year))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="consultation-plan-{year}.pdf"'
    return response


@permission_required("consultations.manage")
def topic_new(request: HttpRequest, year: int) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_get_or_create(actor=request.user, year=year)
        data = {**form.cleaned_data}
        topic = _attempt(request, services.topic_save, "议题已加入年度计划。", plan=plan, data=data)
        if topic:
            return redirect(topic)
    return _form_page(
        request, title=f"新增{year}年度协商议题", form=form, back=reverse("consultations:plan", args=[year])
    )


@permission_required("consultations.manage", fn=objectgetter(Topic, "pk"))
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("plan"), pk=pk)
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        if _attempt(request, services.topic_save, "议题已保存。", plan=topic.plan, topic=topic, data=data):
            return redirect(topic)
    return _form_page(request, title="修改协商议题", form=form, back=topic.get_absolute_url())


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
            "can_manage": request.user.has_perm("consultations.manage"),
        },
    )


# --- Research -------------------------------------------------------------------------


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
    if request.method == "POST" and form.is_valid():
        project = _attempt(request, services.research_save, "调研课题已建立。", data=form.cleaned_data)
        if project:
            return redirect(project)
    return _form_page(request, title="新建调研课题", form=form, back=reverse("consultations:research-list"))


@permission_required("consultations.manage")
def research_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(ResearchProject, pk=pk)
    form = ResearchForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        if _attempt(request, services.research_save, "调研课题已保存。", project=project, data=form.cleaned_data):
            return redirect(project)
    return _form_page(request, title="修改调研课题", form=form, back=project.get_absolute_url())


@permission_required("consultations.see_plan")
def research(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        ResearchProject.objects.select_related("lead", "topic").prefetch_related("team", "visits"), pk=pk
    )
    return render(
        request,
        "consultations/research.html",
        {
            "project": project,
            "can_manage": request.user.has_perm("consultations.manage"),
            "visit_form": FieldVisitForm(),
            "report_form": ResearchReportForm(initial={"summary": project.report_summary}),
        },
    )


@require_POST
@permission_required("consultations.manage")
def research_visit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(ResearchProject, pk=pk)
    form = FieldVisitForm(request.POST)
    if form.is_valid():
        _attempt(request, services.research_add_visit, "实地调研已记录。", project=project, data=form.cleaned_data)
    else:
        _form_errors(request, form)
    return redirect(project)


@require_POST
@permission_required("consultations.manage")
def research_report(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(ResearchProject, pk=pk)
    form = ResearchReportForm(request.POST, request.FILES)
    if form.is_valid():
        _attempt(
            request,
            services.research_complete,
            "调研报告已保存，课题组成员的履职记录已登记。",
            project=project,
            summary=form.cleaned_data["summary"],
            completed_on=form.cleaned_data["completed_on"],
            report_file=form.cleaned_data["report_file"],
        )
    else:
        _form_errors(request, form)
    return redirect(project)


@permission_required("consultations.see_plan")
def research_file(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(ResearchProject, pk=pk)
    return _stream(project.report_file)


# --- Sessions ---------------------------------------------------------------------------


def _session(request, pk) -> Session:
    session = get_object_or_404(Session, pk=pk)
    return session


def _parse_outsiders(formset) -> list[services.OutsiderData]:
    return [
        services.OutsiderData(
            name=row["name"], identity=row["identity"], contact=row["contact"], affiliation=row["affiliation"]
        )
        for row in formset.cleaned_data
        if row and row.get("name")
    ]


@permission_required("consultations.manage")
def session_new(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, initial={"topic": request.GET.get("topic")}, prefix="s")
    invite = SessionInviteForm(request.POST or None, prefix="i")
    outsiders = OutsiderFormSet(request.POST or None, prefix="o")
    if request.method == "POST" and form.is_valid() and invite.is_valid() and outsiders.is_valid():
        session = _attempt(
            request,
            services.session_create,
            "会议已创建。请上传材料并发送会议通知。",
            data=form.cleaned_data,
            required=invite.cleaned_data["required_members"],
            signup=invite.cleaned_data["signup_members"],
            units=invite.cleaned_data["units"],
            outsiders=_parse_outsiders(outsiders),
        )
        if session:
            return redirect(session)
    return render(
        request,
        "consultations/session_form.html",
        {"title": "新建协商活动", "form": form, "invite": invite, "outsiders": outsiders},
    )


@permission_required("consultations.manage")
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = SessionForm(request.POST or None, instance=Session.objects.get(pk=pk), prefix="s")
    if request.method == "POST" and form.is_valid():
        if _attempt(request, services.session_update, "会议信息已保存。", session=session, data=form.cleaned_data):
            return redirect(session)
    return render(
        request, "consultations/session_form.html", {"title": "修改协商活动", "form": form, "session": session}
    )


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.find("<svg") :]


@permission_required("consultations.see_session", fn=objectgetter(Session, "pk"))
def session(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_detail(pk)
    user = request.user
    can_manage = user.has_perm("consultations.manage")
    member = getattr(user, "member", None)
    invitations = list(session.invitations.all())
    mine = next((i for i in invitations if member is not None and i.member_id == member.pk), None)
    context = {
        "session": session,
        "can_manage": can_manage,
        "invitations": invitations,
        "my_invitation": mine,
        "my_speech": next((s for s in session.speeches.all() if member and s.member_id == member.pk), None),
        "can_rsvp": user.has_perm("consultations.rsvp_session", session),
        "can_speak": user.has_perm("consultations.submit_speech", session) and not session.has_ended(),
        "ended": session.has_ended(),
        "counts": {status.label: sum(1 for i in invitations if i.status == status) for status in RsvpStatus},
        "checked_in": sum(1 for i in invitations if i.checked_in_at),
    }
    if can_manage:
        checkin_url = request.build_absolute_uri(session.checkin_path())
        context |= {
            "checkin_url": checkin_url,
            "qr_svg": _qr_svg(checkin_url),
            "material_form": MaterialForm(),
            "speaker_form": SpeakerForm(),
            "clocks": [
                ("会议通知", session.notice_due, rule_text(clocks.NOTICE), session.notice_sent_at),
                ("材料分发", session.materials_due, rule_text(clocks.MATERIALS), session.materials_sent_at),
                ("会前提醒", session.reminder_due, rule_text(clocks.REMINDER), None),
                ("会议纪要", session.minutes_due, rule_text(clocks.MINUTES), session.minutes_done_at),
            ],
        }
    return render(request, "consultations/session.html", context)


@permission_required("consultations.manage")
def session_invite(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    invite = SessionInviteForm(request.POST or None, prefix="i")
    official = OfficialForm(prefix="u")
    outsiders = OutsiderFormSet(request.POST or None, prefix="o")
    if request.method == "POST" and invite.is_valid() and outsiders.is_valid():
        try:
            services.session_invite_members(
                actor=request.user, session=session, members=invite.cleaned_data["required_members"], kind="required"
            )
            services.session_invite_members(
                actor=request.user, session=session, members=invite.cleaned_data["signup_members"], kind="signup"
            )
            for organization in invite.cleaned_data["units"]:
                services.session_add_official(actor=request.user, session=session, organization=organization)
            for outsider in _parse_outsiders(outsiders):
                services.session_add_outsider(actor=request.user, session=session, outsider=outsider)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "邀请名单已更新。")
            return redirect(session)
    return render(
        request,
        "consultations/session_invite.html",
        {"session": session, "invite": invite, "official": official, "outsiders": outsiders},
    )


@require_POST
@permission_required("consultations.manage")
def session_official(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = OfficialForm(request.POST, prefix="u")
    if form.is_valid():
        _attempt(request, services.session_add_official, "列席人员已添加。", session=session, **form.cleaned_data)
    else:
        _form_errors(request, form)
    return redirect(session)


@require_POST
@permission_required("consultations.manage")
def session_notice(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    _attempt(request, services.session_send_notice, "会议通知已发送给全部受邀委员和单位。", session=session)
    return redirect(session)


@require_POST
@permission_required("consultations.manage")
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        _attempt(request, services.material_upload, "材料已上传。", session=session, **form.cleaned_data)
    else:
        _form_errors(request, form)
    return redirect(session)


@require_POST
@permission_required("consultations.manage")
def materials_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    _attempt(request, services.session_circulate_materials, "材料已分发，受邀委员已收到通知。", session=session)
    return redirect(session)


@permission_required("consultations.download_material", fn=objectgetter(SessionMaterial, "pk"))
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(SessionMaterial, pk=pk)
    extension = material.file.name.rsplit(".", 1)[-1] if "." in material.file.name else ""
    return _stream(material.file, f"{material.title}.{extension}" if extension else material.title)


@permission_required("consultations.see_session", fn=objectgetter(Session, "pk"))
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    require(request.user, "consultations.rsvp_session", session)
    member = _member_or_403(request)
    invitation = Invitation.objects.filter(session=session, member=member).first()
    allowed = answers_for(invitation.kind, invitation.status) if invitation else answers_for("signup", "pending")
    form = RsvpForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            services.invitation_answer,
            "已回复。",
            session=session,
            answer=form.cleaned_data["answer"],
            reason=form.cleaned_data["reason"],
        )
        if done:
            return redirect(session)
    return render(request, "consultations/rsvp.html", {"session": session, "invitation": invitation, "form": form})


@require_POST
@permission_required("consultations.manage")
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("session"), pk=pk)
    form = LeaveDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        _attempt(
            request,
            services.leave_decide,
            "已批准请假。" if approve else "已不批准请假，并通知该委员。",
            invitation=invitation,
            approve=approve,
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(request, "请选择批准或不批准。")
    return redirect(request.POST.get("next") or invitation.session.get_absolute_url())


def checkin(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The QR link. Checks in a logged-in member once; otherwise explains why not."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    result, error = None, ""
    try:
        result = services.checkin_by_token(actor=request.user, session_pk=pk, token=token)
    except ApplicationError as failure:
        error = failure.message
    session = Session.objects.filter(pk=pk).first()
    return render(
        request,
        "consultations/checkin.html",
        {"result": result, "error": error, "session": session if result else None},
    )


@permission_required("consultations.manage")
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_detail(pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("checkin", "undo"):
            invitation = get_object_or_404(Invitation, pk=request.POST.get("invitation"), session=session)
            if action == "checkin":
                _attempt(request, services.checkin_manual, f"{invitation.member} 已签到。", invitation=invitation)
            else:
                _attempt(request, services.checkin_undo, f"已撤销 {invitation.member} 的签到。", invitation=invitation)
        elif action == "outsider":
            outsider = get_object_or_404(OutsideParticipant, pk=request.POST.get("outsider"), session=session)
            _attempt(request, services.outsider_checkin, f"{outsider.name} 已签到。", outsider=outsider)
        else:
            messages.error(request, "未知操作。")
        return redirect("consultations:attendance", pk=pk)
    return render(request, "consultations/attendance.html", {"session": session})


@permission_required("consultations.see_session", fn=objectgetter(Session, "pk"))
def speech_submit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    require(request.user, "consultations.submit_speech", session)
    existing = Speech.objects.filter(session=session, member=_member_or_403(request)).first()
    form = SpeechForm(
        request.POST or None, initial={"title": existing.title, "text": existing.text} if existing else None
    )
    if request.method == "POST" and form.is_valid():
        if _attempt(request, services.speech_submit, "书面发言已提交。", session=session, **form.cleaned_data):
            return redirect(session)
    return _form_page(request, title=f"提交书面发言：{session.title}", form=form, back=session.get_absolute_url())


@require_POST
@permission_required("consultations.manage")
def speaker_mark(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if request.POST.get("remove"):
        speech = get_object_or_404(Speech, pk=request.POST["remove"], session=session)
        _attempt(request, services.speech_remove, "发言记录已删除。", speech=speech)
        return redirect(session)
    form = SpeakerForm(request.POST)
    if form.is_valid():
        _attempt(request, services.speech_mark_delivered, "已登记会上发言。", session=session, **form.cleaned_data)
    else:
        _form_errors(request, form)
    return redirect(session)


@permission_required("consultations.manage")
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = MinutesForm(request.POST or None, request.FILES or None, initial={"text": session.minutes_text})
    if request.method == "POST" and form.is_valid():
        if _attempt(request, services.minutes_save, "会议纪要已保存。", session=session, **form.cleaned_data):
            return redirect(session)
    return _form_page(
        request,
        title=f"会议纪要：{session.title}",
        form=form,
        back=session.get_absolute_url(),
        multipart=True,
        intro=f"纪要应于 {session.minutes_due:%Y年%m月%d日} 前完成（{rule_text(clocks.MINUTES)}）。",
    )


@permission_required("consultations.see_session", fn=objectgetter(Session, "pk"))
def minutes_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _stream(_session(request, pk).minutes_file)


# --- Outcomes --------------------------------------------------------------------------


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
        _form_errors(request, form)
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
        _form_errors(request, form)
    return redirect(outcome)


@require_POST
@permission_required("consultations.manage")
def instruction_add(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk)
    form = InstructionForm(request.POST)
    if form.is_valid():
        _attempt(request, services.instruction_add, "领导批示已记录。", outcome=outcome, data=form.cleaned_data)
    else:
        _form_errors(request, form)
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
        _form_errors(request, form)
    return redirect(outcome)


# --- Democratic supervision -----------------------------------------------------------


@permission_required("consultations.see_supervision")
def supervision_current(request: HttpRequest) -> HttpResponse:
    return redirect("consultations:supervision", year=timezone.localdate().year)


@permission_required("consultations.see_supervision")
def supervision(request: HttpRequest, year: int) -> HttpResponse:
    plan = SupervisionPlan.objects.filter(year=year).first()
    topics = (
        plan.topics.select_related("form", "lead_committee").prefetch_related(
            "departments", Prefetch("inspections", queryset=Inspection.objects.order_by("inspected_on"))
        )
        if plan
        else []
    )
    inspections = selectors.inspections_for(request.user).filter(inspected_on__year=year).order_by("-inspected_on")
    return render(
        request,
        "consultations/supervision.html",
        {
            "year": year,
            "plan": plan,
            "topics": topics,
            "inspections": inspections,
            "supervisors": selectors.current_supervisors(),
            "can_manage": request.user.has_perm("consultations.manage"),
        },
    )


@permission_required("consultations.manage")
def supervision_topic_new(request: HttpRequest, year: int) -> HttpResponse:
    form = SupervisionTopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan, _ = SupervisionPlan.objects.get_or_create(year=year, defaults={"title": f"{year}年度民主监督计划"})
        if _attempt(
            request, services.supervision_topic_save, "监督议题已加入年度计划。", plan=plan, data=form.cleaned_data
        ):
            return redirect("consultations:supervision", year=year)
    return _form_page(
        request, title=f"新增{year}年度民主监督议题", form=form, back=reverse("consultations:supervision", args=[year])
    )


@permission_required("consultations.manage")
def inspection_new(request: HttpRequest) -> HttpResponse:
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        inspection = _attempt(request, services.inspection_save, "视察已记录。", data=form.cleaned_data)
        if inspection:
            return redirect(inspection)
    return _form_page(request, title="记录视察", form=form, back=reverse("consultations:supervision-current"))


@permission_required("consultations.manage")
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection, pk=pk)
    form = InspectionForm(request.POST or None, instance=Inspection.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        if _attempt(request, services.inspection_save, "视察已保存。", inspection=inspection, data=form.cleaned_data):
            return redirect(inspection)
    return _form_page(request, title="修改视察记录", form=form, back=inspection.get_absolute_url())


@permission_required("consultations.see_inspection", fn=objectgetter(Inspection, "pk"))
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(
        Inspection.objects.select_related("topic").prefetch_related("departments", "participants"), pk=pk
    )
    can_answer = request.user.has_perm("consultations.answer_inspection", inspection)
    return render(
        request,
        "consultations/inspection.html",
        {
            "inspection": inspection,
            "can_manage": request.user.has_perm("consultations.manage"),
            "can_answer": can_answer,
            "feedback_form": InspectionFeedbackForm(initial={"text": inspection.feedback_text}) if can_answer else None,
        },
    )


@require_POST
@permission_required("consultations.answer_inspection", fn=objectgetter(Inspection, "pk"))
def inspection_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection, pk=pk)
    form = InspectionFeedbackForm(request.POST)
    if form.is_valid():
        _attempt(request, services.inspection_feedback, "部门反馈已保存。", inspection=inspection, **form.cleaned_data)
    else:
        _form_errors(request, form)
    return redirect(inspection)


@permission_required("consultations.see_supervision")
def supervisors(request: HttpRequest) -> HttpResponse:
    appointments = SupervisorAppointment.objects.select_related("member", "organization").order_by(
        "-ends_on", "organization__order"
    )
    return render(
        request,
        "consultations/supervisors.html",
        {
            "appointments": appointments,
            "today": timezone.localdate(),
            "can_manage": request.user.has_perm("consultations.manage"),
        },
    )


@permission_required("consultations.manage")
def supervisor_new(request: HttpRequest) -> HttpResponse:
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _attempt(request, services.appointment_save, "特邀监督员已聘任。", data=form.cleaned_data):
            return redirect("consultations:supervisors")
    return _form_page(request, title="聘任特邀监督员", form=form, back=reverse("consultations:supervisors"))
