"""Sessions: the list, the calendar feed, scheduling, invitations, RSVP, check-in, speeches, minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from cppcc_portal.access import objectgetter, permission_required, require
from cppcc_portal.deadlines import rule_text
from cppcc_portal.errors import ApplicationError
from cppcc_portal.forms import run_service
from cppcc_portal.middleware import safe_next
from cppcc_portal.qr import qr_svg
from cppcc_portal.roles import sees_everything
from cppcc_portal.writeversion import cached
from members.forms import group_preview

from .. import clocks, selectors, services
from ..enums import InvitationKind, RsvpStatus
from ..forms import (
    GroupInviteForm,
    InviteMembersForm,
    LeaveDecisionForm,
    MaterialForm,
    MinutesForm,
    OfficialForm,
    OutsiderFormSet,
    ProposalLinkForm,
    RsvpForm,
    SessionForm,
    SessionInviteForm,
    SpeakerForm,
    SpeechForm,
)
from ..ical import member_feed
from ..models import (
    CalendarToken,
    Invitation,
    OutsideParticipant,
    Session,
    SessionMaterial,
    Speech,
)
from ..workflow import answers_for
from .common import _form_page, _member_or_403, _stream, _submit


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
    run_service(request, services.calendar_token_reset, "订阅地址已重置，旧地址立即失效。请在手机日历中重新订阅。")
    return redirect("consultations:index")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal iCal feed: no login, the unguessable token is the key."""
    entry = CalendarToken.objects.select_related("user__member").filter(token=token).first()
    member = getattr(entry.user, "member", None) if entry else None
    if entry is None or member is None or not entry.user.is_active:
        raise Http404("订阅地址无效或已重置。")
    body = member_feed(member, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="consultations.ics"'
    return response


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
    links = ProposalLinkForm(request.POST or None, prefix="p")
    valid = [f.is_valid() for f in (form, invite, outsiders, links)] if request.method == "POST" else [False]
    if all(valid):
        session = run_service(
            request,
            services.session_create,
            "会议已创建。请按界别、专委会等邀请委员，再上传材料并发送会议通知。",
            data=form.cleaned_data,
            units=invite.cleaned_data["units"],
            outsiders=_parse_outsiders(outsiders),
            proposals=links.cleaned_data["lines"],
        )
        if session:
            return redirect("consultations:session-invite", session.pk)
    fields = {"form": form, "invite": invite, "outsiders": outsiders, "links": links}
    context = {"title": "新建协商活动", **fields}
    if request.method != "POST":
        # The empty form (its choices: topics, sessions, committees, units; no CSRF token inside) is
        # the same for everyone: rendered once per topic asked for and write version.
        html = cached(
            "session-new-fields",
            request.GET.get("topic", "")[:20],
            lambda: render_to_string("consultations/partials/session_form_fields.html", fields),
            request=request,
        )
        context["fields_html"] = mark_safe(html)  # nosec B308 (our own render)
    return render(request, "consultations/session_form.html", context)


@permission_required("consultations.manage", fn=objectgetter(Session, "pk"))
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = SessionForm(request.POST or None, instance=Session.objects.get(pk=pk), prefix="s")
    links = ProposalLinkForm.for_session(session, request.POST or None)
    if request.method == "POST" and all([form.is_valid(), links.is_valid()]):
        saved = run_service(
            request,
            services.session_update,
            "会议信息已保存。",
            session=session,
            data=form.cleaned_data,
            proposals=links.cleaned_data["lines"],
        )
        if saved:
            return redirect(session)
    return render(
        request,
        "consultations/session_form.html",
        {"title": "修改协商活动", "form": form, "session": session, "links": links},
    )


@permission_required("consultations.see_session", fn=objectgetter(Session, "pk"))
def session(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_detail(pk)
    user = request.user
    can_manage = user.has_perm("consultations.manage", session)
    member = getattr(user, "member", None)
    invitations = list(session.invitations.all())
    mine = next((i for i in invitations if member is not None and i.member_id == member.pk), None)
    context = {
        "session": session,
        "can_manage": can_manage,
        "show_roster": can_manage or sees_everything(user),
        "invitations": invitations,
        "my_invitation": mine,
        "my_speech": next((s for s in session.speeches.all() if member and s.member_id == member.pk), None),
        "can_rsvp": user.has_perm("consultations.rsvp_session", session),
        "can_checkin_online": session.is_online
        and not (mine and mine.checked_in_at)
        and timezone.now() >= session.starts_at - services.ONLINE_CHECKIN_OPENS_BEFORE
        and not session.has_ended()
        and user.has_perm("consultations.online_checkin", session),
        "can_speak": user.has_perm("consultations.submit_speech", session) and not session.has_ended(),
        "ended": session.has_ended(),
        "counts": {status.label: sum(1 for i in invitations if i.status == status) for status in RsvpStatus},
        "checked_in": sum(1 for i in invitations if i.checked_in_at),
    }
    if can_manage:
        context |= _checkin_qr_context(request, session)
        context |= {
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


@login_required
def session_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite by group: pick groups (GET) → preview the people, remove some → send (POST ``member``).
    The same page adds units and outside participants (POST without ``member``)."""
    session = _session(request, pk)  # read once, then checked (404 before 403, as ``objectgetter`` would)
    require(request.user, "consultations.manage", session)
    if request.method == "POST" and "kind" in request.POST:
        return _invite_picked(request, session)
    invite = SessionInviteForm(request.POST or None, prefix="i")
    outsiders = OutsiderFormSet(request.POST or None, prefix="o")
    if request.method == "POST" and invite.is_valid() and outsiders.is_valid():
        try:
            for organization in invite.cleaned_data["units"]:
                services.session_add_official(actor=request.user, session=session, organization=organization)
            for outsider in _parse_outsiders(outsiders):
                services.session_add_outsider(actor=request.user, session=session, outsider=outsider)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "列席单位和特邀人员已更新。")
            return redirect(session)
    return _invite_page(request, session, invite=invite, outsiders=outsiders)


def _invite_page(request: HttpRequest, session: Session, **forms) -> HttpResponse:
    def group_part() -> tuple[str, str, int]:
        """The group picker, the preview of the people it picks (less those already invited), and
        how many are: the same for everyone who may manage the session."""
        groups, preview = group_preview(
            request.GET, exclude=session.invitations.values("member_id"), form_class=GroupInviteForm
        )
        if preview:
            preview |= {
                "preview_kind": groups.cleaned_data["kind"],
                "preview_kind_label": dict(InvitationKind.choices)[groups.cleaned_data["kind"]],
            }
        context = {"group_form": groups, **preview}
        picker = render_to_string("consultations/partials/invite_group_picker.html", context)
        shown = (
            render_to_string("consultations/partials/invite_group_preview.html", context)
            if preview.get("preview_labels")
            else ""
        )
        return picker, shown, session.invitations.count()

    # The picker reads ``groups`` (bound only when present) and ``kind`` of the query string.
    params = request.GET
    asked = (session.pk, "groups" in params, tuple(params.getlist("groups")), params.get("kind"))
    picker_html, preview_html, invited_count = cached("session-invite-groups", asked, group_part, request=request)

    def form_parts(invite=None, outsiders=None) -> tuple[str, str]:
        """The units-and-outsiders form's fields and the official form's (empty, or as posted)."""
        fields = {
            "invite": invite or SessionInviteForm(prefix="i"),
            "outsiders": outsiders or OutsiderFormSet(prefix="o"),
        }
        return (
            render_to_string("consultations/partials/invite_units_outsiders.html", fields),
            render_to_string("consultations/partials/invite_official.html", {"official": OfficialForm(prefix="u")}),
        )

    posted = [form for form in (forms.get("invite"), forms.get("outsiders")) if form is not None and form.is_bound]
    if posted:  # posted and refused: shown with what was typed
        invite_html, official_html = form_parts(forms.get("invite"), forms.get("outsiders"))
    else:  # empty forms (no CSRF token inside): the same for everyone
        invite_html, official_html = cached("session-invite-forms", (), form_parts, request=request)
    context = {
        "session": session,
        "picker_html": mark_safe(picker_html),  # nosec B308 (our own render)
        "preview_html": mark_safe(preview_html),  # nosec B308 (our own render)
        "invite_html": mark_safe(invite_html),  # nosec B308 (our own render)
        "official_html": mark_safe(official_html),  # nosec B308 (our own render)
        "invited_count": invited_count,
    }
    return render(request, "consultations/session_invite.html", context)


def _invite_picked(request: HttpRequest, session: Session) -> HttpResponse:
    form = InviteMembersForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("consultations:session-invite", session.pk)
    try:
        invited = services.session_invite_members(
            actor=request.user, session=session, members=form.cleaned_data["member"], kind=form.cleaned_data["kind"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("consultations:session-invite", session.pk)
    told = "已向新邀请的委员发送会议通知。" if session.notice_sent_at and invited else ""
    messages.success(request, f"已邀请 {invited} 名委员。{told}")
    return redirect(session)


@require_POST
@permission_required("consultations.manage", fn=objectgetter(Session, "pk"))
def session_official(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return _submit(
        request,
        OfficialForm(request.POST, prefix="u"),
        services.session_add_official,
        "列席人员已添加。",
        back=session,
        session=session,
    )


@require_POST
@permission_required("consultations.manage", fn=objectgetter(Session, "pk"))
def session_notice(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    run_service(request, services.session_send_notice, "会议通知已发送给全部受邀委员和单位。", session=session)
    return redirect(session)


@require_POST
@permission_required("consultations.manage", fn=objectgetter(Session, "pk"))
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return _submit(
        request,
        MaterialForm(request.POST, request.FILES),
        services.material_upload,
        "材料已上传。",
        back=session,
        session=session,
    )


@require_POST
@permission_required("consultations.manage", fn=objectgetter(Session, "pk"))
def materials_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    run_service(request, services.session_circulate_materials, "材料已分发，受邀委员已收到通知。", session=session)
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
        done = run_service(
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
@permission_required("consultations.manage", fn=objectgetter(Invitation, "pk"))
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("session"), pk=pk)
    form = LeaveDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        run_service(
            request,
            services.leave_decide,
            "已批准请假。" if approve else "已不批准请假，并通知该委员。",
            invitation=invitation,
            approve=approve,
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(request, "请选择批准或不批准。")
    return redirect(safe_next(request, invitation.session.get_absolute_url()))


def checkin(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The QR link. GET only shows what the code is for and asks to confirm (a link or an
    ``<img src>`` must not check anybody in); the POST checks a logged-in member in once.
    Either way a code that cannot be used says why."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    result, error, session = None, "", None
    try:
        if request.method == "POST":
            result = services.checkin_by_token(actor=request.user, session_pk=pk, token=token)
            session = result.invitation.session
        else:
            session = services.checkin_check(actor=request.user, session_pk=pk, token=token)
    except ApplicationError as failure:
        error = failure.message
    return render(
        request,
        "consultations/checkin.html",
        {"result": result, "error": error, "session": session, "confirm": not result and not error},
    )


@permission_required("consultations.manage", fn=objectgetter(Session, "pk"))
def checkin_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code for the room's screen; the session page reloads it every minute (htmx)."""
    session = _session(request, pk)
    return render(request, "consultations/_checkin_qr.html", _checkin_qr_context(request, session))


def _checkin_qr_context(request: HttpRequest, session: Session) -> dict:
    checkin_url = request.build_absolute_uri(session.checkin_path())
    return {"session": session, "checkin_url": checkin_url, "qr_svg": qr_svg(checkin_url)}


@permission_required("consultations.manage", fn=objectgetter(Session, "pk"))
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_detail(pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("checkin", "undo"):
            invitation = get_object_or_404(Invitation, pk=request.POST.get("invitation"), session=session)
            if action == "checkin":
                run_service(request, services.checkin_manual, f"{invitation.member} 已签到。", invitation=invitation)
            else:
                run_service(
                    request, services.checkin_undo, f"已撤销 {invitation.member} 的签到。", invitation=invitation
                )
        elif action == "outsider":
            outsider = get_object_or_404(OutsideParticipant, pk=request.POST.get("outsider"), session=session)
            run_service(request, services.outsider_checkin, f"{outsider.name} 已签到。", outsider=outsider)
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
        if run_service(request, services.speech_submit, "书面发言已提交。", session=session, **form.cleaned_data):
            return redirect(session)
    return _form_page(request, title=f"提交书面发言：{session.title}", form=form, back=session.get_absolute_url())


@require_POST
@permission_required("consultations.manage", fn=objectgetter(Session, "pk"))
def speaker_mark(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if request.POST.get("remove"):
        speech = get_object_or_404(Speech, pk=request.POST["remove"], session=session)
        run_service(request, services.speech_remove, "发言记录已删除。", speech=speech)
        return redirect(session)
    return _submit(
        request,
        SpeakerForm(request.POST),
        services.speech_mark_delivered,
        "已登记会上发言。",
        back=session,
        session=session,
    )


@permission_required("consultations.manage", fn=objectgetter(Session, "pk"))
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = MinutesForm(request.POST or None, request.FILES or None, initial={"text": session.minutes_text})
    if request.method == "POST" and form.is_valid():
        if run_service(request, services.minutes_save, "会议纪要已保存。", session=session, **form.cleaned_data):
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


@require_POST
@permission_required("consultations.manage", fn=objectgetter(Session, "pk"))
def checkin_token_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    """A leaked QR code: issue a new one; the old link stops working at once."""
    session = _session(request, pk)
    run_service(request, services.session_rotate_token, "已生成新的签到二维码，旧二维码立即失效。", session=session)
    return redirect(session)
