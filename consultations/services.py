"""Every write of consultation and supervision state.

Each service is keyword-only, takes the acting user, runs in one transaction,
locks the row it changes, checks the actor's permission, and queues notices
through ``cppcc_portal.notifications.notify`` inside that transaction (history
rows come from ``simple_history`` on save). Performance-ledger entries are
written here, where the act happens, through ``members.services``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.notifications import notify
from members.enums import PerformanceAct
from members.models import Member, Organization, User
from members.services import performance_record, performance_withdraw

from . import clocks
from .enums import CheckinMethod, InvitationKind, RsvpStatus, SpeechKind
from .models import (
    AdoptionFeedback,
    CalendarToken,
    ConsultationPlan,
    Delivery,
    FieldVisit,
    Inspection,
    Instruction,
    Invitation,
    Outcome,
    OutsideParticipant,
    ResearchProject,
    Session,
    SessionMaterial,
    SessionOfficial,
    Speech,
    Suggestion,
    SupervisionPlan,
    SupervisionTopic,
    SupervisorAppointment,
    Topic,
    new_token,
)
from .workflow import STAFF_DECISIONS, answers_for

# The QR code is accepted from this long before the start until the session ends.
CHECKIN_OPENS_BEFORE = timedelta(hours=2)


def _require_staff(actor) -> None:
    if not actor.has_perm("consultations.manage"):
        raise PermissionDeniedError("只有机关工作人员可以进行此操作。")


def _apply(instance, data: dict, m2m: dict | None = None):
    for field, value in data.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    for field, values in (m2m or {}).items():
        getattr(instance, field).set(values)
    return instance


def _users_of_members(members: Iterable[Member]) -> list[User]:
    return [member.user for member in members if member.user_id]


# --- Plan, topics, research ---------------------------------------------------------


@transaction.atomic
def plan_get_or_create(*, actor, year: int) -> ConsultationPlan:
    _require_staff(actor)
    plan, _ = ConsultationPlan.objects.get_or_create(year=year, defaults={"title": f"{year}年度协商计划"})
    return plan


@transaction.atomic
def topic_save(*, actor, plan: ConsultationPlan, data: dict, topic: Topic | None = None) -> Topic:
    _require_staff(actor)
    data = dict(data)
    departments = data.pop("departments", None)
    topic = Topic.objects.select_for_update().get(pk=topic.pk) if topic else Topic(plan=plan)
    return _apply(topic, data, {"departments": departments} if departments is not None else None)


@transaction.atomic
def research_save(*, actor, data: dict, project: ResearchProject | None = None) -> ResearchProject:
    _require_staff(actor)
    data = dict(data)
    team = data.pop("team", None)
    data.pop("report_file", None)
    project = ResearchProject.objects.select_for_update().get(pk=project.pk) if project else ResearchProject()
    if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
        raise ValidationFailed("计划完成日期不能早于开始日期。")
    project = _apply(project, data, {"team": team} if team is not None else None)
    if project.completed_on:
        _record_research(project)
    return project


@transaction.atomic
def research_add_visit(*, actor, project: ResearchProject, data: dict) -> FieldVisit:
    _require_staff(actor)
    return _apply(FieldVisit(project=project), data)


def _research_members(project: ResearchProject) -> list[Member]:
    return [project.lead, *project.team.exclude(pk=project.lead_id)]


def _record_research(project: ResearchProject) -> None:
    for member in _research_members(project):
        performance_record(
            member=member, act=PerformanceAct.RESEARCH, source=project, on=project.completed_on, note=project.title
        )


@transaction.atomic
def research_complete(*, actor, project: ResearchProject, summary: str, completed_on: date, report_file=None):
    """The report is in: store it, and credit the lead and the team once each."""
    _require_staff(actor)
    project = ResearchProject.objects.select_for_update().get(pk=project.pk)
    if not summary.strip():
        raise ValidationFailed("请填写调研报告摘要。")
    project.report_summary = summary
    project.completed_on = completed_on
    if report_file:
        project.report_file = report_file
    project.save()
    _record_research(project)
    return project


# --- Sessions -----------------------------------------------------------------------


def _session_dates(starts_at: datetime) -> dict[str, date]:
    return clocks.session_due_dates(timezone.localdate(starts_at))


@dataclass
class OutsiderData:
    name: str
    identity: str
    contact: str = ""
    affiliation: str = ""


@transaction.atomic
def session_create(
    *,
    actor,
    data: dict,
    required: Iterable[Member] = (),
    signup: Iterable[Member] = (),
    units: Iterable[Organization] = (),
    outsiders: Iterable[OutsiderData] = (),
) -> Session:
    """Schedule a session: store its clocks' dates, and invite members, units and outside people."""
    _require_staff(actor)
    if data["ends_at"] <= data["starts_at"]:
        raise ValidationFailed("结束时间必须晚于开始时间。")
    session = Session(created_by=actor, **data, **_session_dates(data["starts_at"]))
    session.full_clean()
    session.save()
    _invite(session, required, InvitationKind.REQUIRED)
    _invite(session, signup, InvitationKind.SIGNUP)
    for organization in units:
        SessionOfficial.objects.get_or_create(session=session, organization=organization, name="")
    for outsider in outsiders:
        session_add_outsider(actor=actor, session=session, outsider=outsider)
    return session


def _invite(session: Session, members: Iterable[Member], kind: str) -> list[Invitation]:
    created = []
    for member in members:
        invitation, was_created = Invitation.objects.get_or_create(
            session=session, member=member, defaults={"kind": kind}
        )
        if was_created:
            created.append(invitation)
    return created


@transaction.atomic
def session_update(*, actor, session: Session, data: dict) -> Session:
    """Edit a session; a new date moves the clocks that have not yet been met."""
    _require_staff(actor)
    session = Session.objects.select_for_update().get(pk=session.pk)
    moved = "starts_at" in data and data["starts_at"] != session.starts_at
    for field, value in data.items():
        setattr(session, field, value)
    if session.ends_at <= session.starts_at:
        raise ValidationFailed("结束时间必须晚于开始时间。")
    if moved:
        for field, value in _session_dates(session.starts_at).items():
            setattr(session, field, value)
    session.full_clean()
    session.save()
    if moved and session.notice_sent_at:
        notify(
            _users_of_members(m.member for m in session.invitations.select_related("member__user")),
            kind="consultations.changed",
            subject=f"会议时间调整：{session.title}",
            body=f"新的时间：{timezone.localtime(session.starts_at):%Y年%m月%d日 %H:%M}，地点：{session.venue}",
            link=session.get_absolute_url(),
        )
    return session


@transaction.atomic
def session_invite_members(*, actor, session: Session, members: Iterable[Member], kind: str) -> int:
    _require_staff(actor)
    created = _invite(session, members, kind)
    if session.notice_sent_at and created:
        _send_notice(session, [invitation.member for invitation in created])
    return len(created)


@transaction.atomic
def session_add_official(*, actor, session: Session, organization: Organization, name: str = "", title: str = ""):
    _require_staff(actor)
    official, _ = SessionOfficial.objects.get_or_create(
        session=session, organization=organization, name=name, defaults={"title": title}
    )
    return official


@transaction.atomic
def session_add_outsider(*, actor, session: Session, outsider: OutsiderData) -> OutsideParticipant:
    """An outside participant is a row, never a login."""
    _require_staff(actor)
    return _apply(
        OutsideParticipant(session=session),
        {
            "name": outsider.name,
            "identity": outsider.identity,
            "contact": outsider.contact,
            "affiliation": outsider.affiliation,
        },
    )


@transaction.atomic
def session_remove_invitee(*, actor, invitation: Invitation) -> None:
    _require_staff(actor)
    if invitation.checked_in_at:
        raise ValidationFailed("该委员已签到，不能移出名单。请先撤销签到。")
    invitation.delete()


def _send_notice(session: Session, members: Iterable[Member]) -> None:
    when = timezone.localtime(session.starts_at)
    notify(
        _users_of_members(members),
        kind="consultations.notice",
        subject=f"会议通知：{session.title}",
        body=f"时间：{when:%Y年%m月%d日 %H:%M}；地点：{session.venue}。请在平台上回复是否参加。",
        link=session.get_absolute_url(),
    )


@transaction.atomic
def session_send_notice(*, actor, session: Session) -> Session:
    """Send the meeting notice to every invitee and invited unit; closes the notice clock."""
    _require_staff(actor)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.has_ended():
        raise TransitionNotAllowed("会议已结束，不能再发送通知。")
    members = [invitation.member for invitation in session.invitations.select_related("member__user")]
    if not members and not session.officials.exists():
        raise ValidationFailed("尚未邀请任何委员或单位，无法发送通知。")
    _send_notice(session, members)
    unit_users = User.objects.filter(is_active=True, organization__in=session.officials.values("organization"))
    notify(
        unit_users,
        kind="consultations.notice",
        subject=f"会议通知（请派员列席）：{session.title}",
        body=f"时间：{timezone.localtime(session.starts_at):%Y年%m月%d日 %H:%M}；地点：{session.venue}。",
        link=session.get_absolute_url(),
    )
    session.notice_sent_at = timezone.now()
    session.save(update_fields=["notice_sent_at"])
    return session


@transaction.atomic
def material_upload(*, actor, session: Session, title: str, file) -> SessionMaterial:
    _require_staff(actor)
    material = SessionMaterial(session=session, title=title, file=file, uploaded_by=actor)
    material.save()
    return material


@transaction.atomic
def session_circulate_materials(*, actor, session: Session) -> Session:
    """Tell invitees the materials are ready; closes the materials clock."""
    _require_staff(actor)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not session.materials.exists():
        raise ValidationFailed("请先上传会议材料。")
    notify(
        _users_of_members(i.member for i in session.invitations.select_related("member__user")),
        kind="consultations.materials",
        subject=f"会议材料已分发：{session.title}",
        body="请登录平台查阅会议材料。",
        link=session.get_absolute_url(),
    )
    session.materials_sent_at = timezone.now()
    session.save(update_fields=["materials_sent_at"])
    return session


# --- RSVP, leave, check-in ---------------------------------------------------------


def _member_of(actor) -> Member:
    member = getattr(actor, "member", None)
    if member is None:
        raise PermissionDeniedError("只有委员可以进行此操作。")
    return member


@transaction.atomic
def invitation_answer(*, actor, session: Session, answer: str, reason: str = "") -> Invitation:
    """A member answers: attend, or ask for leave with a reason (sign-up invitations may decline)."""
    member = _member_of(actor)
    if not actor.has_perm("consultations.rsvp_session", session):
        raise PermissionDeniedError("您不能回复此次会议。")
    invitation = Invitation.objects.select_for_update().filter(session=session, member=member).first()
    if invitation is None:
        invitation = Invitation.objects.create(session=session, member=member, kind=InvitationKind.SIGNUP)
    if answer not in answers_for(invitation.kind, invitation.status):
        raise TransitionNotAllowed(
            f"当前状态为“{invitation.get_status_display()}”，不能改为“{RsvpStatus(answer).label}”。"
        )
    if answer == RsvpStatus.LEAVE_REQUESTED and not reason.strip():
        raise ValidationFailed("请假须填写事由。")
    if invitation.status == RsvpStatus.LEAVE_APPROVED:
        performance_withdraw(member=member, act=PerformanceAct.CONSULTATION_LEAVE, source=invitation)
    invitation.status = answer
    invitation.leave_reason = reason.strip() if answer == RsvpStatus.LEAVE_REQUESTED else ""
    invitation.replied_at = timezone.now()
    invitation.leave_decided_by = None
    invitation.leave_decided_at = None
    invitation.leave_note = ""
    invitation.save()
    if answer == RsvpStatus.LEAVE_REQUESTED:
        notify(
            clocks._session_organisers(session),
            kind="consultations.leave",
            subject=f"请假申请：{member.name}（{session.title}）",
            body=f"事由：{invitation.leave_reason}",
            link=session.get_absolute_url(),
        )
    return invitation


@transaction.atomic
def leave_decide(*, actor, invitation: Invitation, approve: bool, note: str = "") -> Invitation:
    """Staff approve or refuse a leave request; an approved leave is one ledger entry."""
    _require_staff(actor)
    invitation = Invitation.objects.select_for_update().select_related("session", "member__user").get(pk=invitation.pk)
    target = RsvpStatus.LEAVE_APPROVED if approve else RsvpStatus.LEAVE_REFUSED
    if target not in STAFF_DECISIONS.get(invitation.status, set()):
        raise TransitionNotAllowed("该委员没有待审批的请假申请。")
    invitation.status = target
    invitation.leave_decided_by = actor
    invitation.leave_decided_at = timezone.now()
    invitation.leave_note = note
    invitation.save()
    session = invitation.session
    if approve:
        performance_record(
            member=invitation.member,
            act=PerformanceAct.CONSULTATION_LEAVE,
            source=invitation,
            on=session.session_date,
            note=session.title,
        )
    notify(
        _users_of_members([invitation.member]),
        kind="consultations.leave",
        subject=f"请假{'已批准' if approve else '未批准'}：{session.title}",
        body=note or ("" if approve else "请按时参加会议。"),
        link=session.get_absolute_url(),
    )
    return invitation


def _check_in(invitation: Invitation, method: str, now: datetime) -> bool:
    """Mark attendance once; returns False when already checked in (nothing changes)."""
    if invitation.checked_in_at:
        return False
    if invitation.status == RsvpStatus.LEAVE_APPROVED:
        performance_withdraw(member=invitation.member, act=PerformanceAct.CONSULTATION_LEAVE, source=invitation)
    invitation.checked_in_at = now
    invitation.checkin_method = method
    invitation.status = RsvpStatus.ATTENDING
    invitation.save()
    performance_record(
        member=invitation.member,
        act=PerformanceAct.CONSULTATION_ATTENDED,
        source=invitation,
        on=invitation.session.session_date,
        note=invitation.session.title,
    )
    return True


@dataclass
class CheckinResult:
    invitation: Invitation
    first_time: bool

    @property
    def message(self) -> str:
        if self.first_time:
            return f"签到成功：{self.invitation.session.title}。"
        return "您已签到，无需重复签到。"


@transaction.atomic
def checkin_by_token(*, actor, session_pk: int, token: str, now: datetime | None = None) -> CheckinResult:
    """QR check-in. A wrong, expired or other session's token changes nothing and says why."""
    now = now or timezone.now()
    member = getattr(actor, "member", None)
    if member is None:
        raise PermissionDeniedError("只有委员可以扫码签到。")
    session = Session.objects.select_for_update().filter(pk=session_pk).first()
    if session is None:
        raise ValidationFailed("签到码无效：会议不存在。")
    if token != session.checkin_token:
        if Session.objects.filter(checkin_token=token).exists():
            raise ValidationFailed("签到码不属于本次会议，请扫描本会场的签到二维码。")
        raise ValidationFailed("签到码无效，请重新扫描会场的二维码。")
    if now >= session.ends_at:
        raise ValidationFailed("会议已结束，签到码已失效。")
    if now < session.starts_at - CHECKIN_OPENS_BEFORE:
        raise ValidationFailed("尚未开始签到：会前两小时起方可签到。")
    invitation = Invitation.objects.select_for_update().filter(session=session, member=member).first()
    if invitation is None:
        if not session.is_public:
            raise PermissionDeniedError("您不在本次会议的邀请名单中，如需参加请联系工作人员。")
        invitation = Invitation.objects.create(
            session=session, member=member, kind=InvitationKind.SIGNUP, status=RsvpStatus.ATTENDING, replied_at=now
        )
    invitation.session = session
    return CheckinResult(invitation, _check_in(invitation, CheckinMethod.QR, now))


@transaction.atomic
def checkin_manual(*, actor, invitation: Invitation) -> bool:
    _require_staff(actor)
    invitation = Invitation.objects.select_for_update().select_related("session", "member").get(pk=invitation.pk)
    if timezone.now() < invitation.session.starts_at - CHECKIN_OPENS_BEFORE:
        raise ValidationFailed("会议尚未开始，不能签到。")
    return _check_in(invitation, CheckinMethod.MANUAL, timezone.now())


@transaction.atomic
def checkin_undo(*, actor, invitation: Invitation) -> None:
    """Correct a mistaken check-in: the attendance entry is withdrawn."""
    _require_staff(actor)
    invitation = Invitation.objects.select_for_update().select_related("member").get(pk=invitation.pk)
    if not invitation.checked_in_at:
        raise ValidationFailed("该委员尚未签到。")
    invitation.checked_in_at = None
    invitation.checkin_method = ""
    invitation.save()
    performance_withdraw(member=invitation.member, act=PerformanceAct.CONSULTATION_ATTENDED, source=invitation)


@transaction.atomic
def outsider_checkin(*, actor, outsider: OutsideParticipant) -> bool:
    _require_staff(actor)
    outsider = OutsideParticipant.objects.select_for_update().get(pk=outsider.pk)
    if outsider.checked_in_at:
        return False
    outsider.checked_in_at = timezone.now()
    outsider.save(update_fields=["checked_in_at"])
    return True


@transaction.atomic
def session_rotate_token(*, actor, session: Session) -> Session:
    _require_staff(actor)
    session = Session.objects.select_for_update().get(pk=session.pk)
    session.checkin_token = new_token()
    session.save(update_fields=["checkin_token"])
    return session


# --- Speeches and minutes -------------------------------------------------------------


def _record_speech(speech: Speech) -> None:
    performance_record(
        member=speech.member,
        act=PerformanceAct.SPEECH,
        source=speech,
        on=speech.session.session_date,
        note=speech.title,
    )


@transaction.atomic
def speech_submit(*, actor, session: Session, title: str, text: str) -> Speech:
    """A member hands in a written speech (one per session; resubmitting edits it)."""
    member = _member_of(actor)
    if not actor.has_perm("consultations.submit_speech", session):
        raise PermissionDeniedError("您不能在此次会议提交发言。")
    if not title.strip() or not text.strip():
        raise ValidationFailed("请填写发言题目和内容。")
    speech = Speech.objects.select_for_update().filter(session=session, member=member).first()
    if speech is None:
        speech = Speech(session=session, member=member, kind=SpeechKind.WRITTEN)
    speech.title, speech.text = title.strip(), text
    speech.save()
    _record_speech(speech)
    return speech


@transaction.atomic
def speech_mark_delivered(*, actor, session: Session, member: Member, title: str = "") -> Speech:
    """Staff mark who spoke; a written speech and its delivery count once together."""
    _require_staff(actor)
    speech = Speech.objects.select_for_update().filter(session=session, member=member).first()
    if speech is None:
        speech = Speech(session=session, member=member, kind=SpeechKind.ORAL, title=title.strip() or "会上口头发言")
    speech.delivered = True
    speech.save()
    _record_speech(speech)
    return speech


@transaction.atomic
def speech_remove(*, actor, speech: Speech) -> None:
    """Correct a mistaken speech record: the ledger entry goes with it."""
    _require_staff(actor)
    performance_withdraw(member=speech.member, act=PerformanceAct.SPEECH, source=speech)
    speech.delete()


@transaction.atomic
def minutes_save(*, actor, session: Session, text: str, file=None) -> Session:
    _require_staff(actor)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not session.has_ended():
        raise TransitionNotAllowed("会议结束后才能录入纪要。")
    if not text.strip() and not file and not session.minutes_file:
        raise ValidationFailed("请填写纪要内容或上传纪要文件。")
    session.minutes_text = text
    if file:
        session.minutes_file = file
    session.minutes_done_at = session.minutes_done_at or timezone.now()
    session.save()
    return session


# --- Outcomes -----------------------------------------------------------------------


@transaction.atomic
def outcome_save(*, actor, data: dict, outcome: Outcome | None = None) -> Outcome:
    _require_staff(actor)
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk) if outcome else Outcome()
    if data.get("session") and not data.get("topic"):
        data = {**data, "topic": data["session"].topic}
    outcome = _apply(outcome, data)
    _refresh_feedback_state(outcome)
    return outcome


@transaction.atomic
def suggestion_add(*, actor, outcome: Outcome, text: str, departments: Iterable[Organization]) -> Suggestion:
    _require_staff(actor)
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    number = (outcome.suggestions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    suggestion = _apply(Suggestion(outcome=outcome, number=number), {"text": text}, {"departments": departments})
    _refresh_feedback_state(outcome)
    return suggestion


@transaction.atomic
def delivery_add(*, actor, outcome: Outcome, body: str, sent_on: date) -> Delivery:
    """Record a sending; the first one starts the 30-working-day feedback clock."""
    _require_staff(actor)
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    delivery = _apply(Delivery(outcome=outcome), {"body": body, "sent_on": sent_on})
    if outcome.first_sent_on is None or sent_on < outcome.first_sent_on:
        outcome.first_sent_on = sent_on
        outcome.feedback_due = clocks.due_date(clocks.FEEDBACK, sent_on)
        outcome.save(update_fields=["first_sent_on", "feedback_due"])
    _refresh_feedback_state(outcome)
    departments = Organization.objects.filter(consultation_suggestions__outcome=outcome).distinct()
    notify(
        User.objects.filter(is_active=True, organization__in=departments),
        kind="consultations.outcome",
        subject=f"协商成果请反馈落实情况：{outcome.title}",
        body=f"请于{outcome.feedback_due:%Y年%m月%d日}前反馈采纳落实情况。",
        link=outcome.get_absolute_url(),
    )
    return delivery


@transaction.atomic
def instruction_add(*, actor, outcome: Outcome, data: dict) -> Instruction:
    _require_staff(actor)
    return _apply(Instruction(outcome=outcome), data)


@transaction.atomic
def adoption_record(
    *, actor, suggestion: Suggestion, organization: Organization, adoption: str, text: str, replied_on: date
) -> AdoptionFeedback:
    """A department's answer to one suggestion (staff, or the department's own users)."""
    outcome = Outcome.objects.select_for_update().get(pk=suggestion.outcome_id)
    if not actor.has_perm("consultations.answer_outcome", outcome):
        raise PermissionDeniedError("您无权反馈此项协商成果。")
    if not actor.has_perm("consultations.manage") and actor.organization_id != organization.pk:
        raise PermissionDeniedError("只能反馈本单位的采纳落实情况。")
    if not suggestion.departments.filter(pk=organization.pk).exists() and not actor.has_perm("consultations.manage"):
        raise ValidationFailed("该建议未交本单位落实。")
    if outcome.first_sent_on is None:
        raise TransitionNotAllowed("成果尚未报送，不能录入反馈。")
    feedback, _ = AdoptionFeedback.objects.update_or_create(
        suggestion=suggestion,
        organization=organization,
        defaults={"adoption": adoption, "text": text, "replied_on": replied_on, "recorded_by": actor},
    )
    _refresh_feedback_state(outcome)
    return feedback


def _refresh_feedback_state(outcome: Outcome) -> None:
    """Feedback is complete when every suggestion is answered by each named department."""
    suggestions = list(outcome.suggestions.prefetch_related("departments", "feedback"))
    complete = bool(suggestions) and outcome.first_sent_on is not None
    for suggestion in suggestions:
        answered = {feedback.organization_id for feedback in suggestion.feedback.all()}
        named = {department.pk for department in suggestion.departments.all()}
        if (named and not named <= answered) or not answered:
            complete = False
    if complete and outcome.feedback_completed_on is None:
        outcome.feedback_completed_on = max(f.replied_on for s in suggestions for f in s.feedback.all())
        outcome.save(update_fields=["feedback_completed_on"])
    elif not complete and outcome.feedback_completed_on is not None:
        outcome.feedback_completed_on = None
        outcome.save(update_fields=["feedback_completed_on"])


# --- Supervision --------------------------------------------------------------------


@transaction.atomic
def supervision_topic_save(*, actor, plan: SupervisionPlan, data: dict, topic=None) -> SupervisionTopic:
    _require_staff(actor)
    data = dict(data)
    departments = data.pop("departments", None)
    topic = SupervisionTopic.objects.select_for_update().get(pk=topic.pk) if topic else SupervisionTopic(plan=plan)
    return _apply(topic, data, {"departments": departments} if departments is not None else None)


@transaction.atomic
def inspection_save(*, actor, data: dict, inspection: Inspection | None = None) -> Inspection:
    """Save a 视察; once its date has come, each participant is credited once (and only while listed)."""
    _require_staff(actor)
    data = dict(data)
    participants = data.pop("participants", None)
    departments = data.pop("departments", None)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk) if inspection else Inspection()
    before = set(inspection.participants.values_list("pk", flat=True)) if inspection.pk else set()
    m2m = {}
    if participants is not None:
        m2m["participants"] = participants
    if departments is not None:
        m2m["departments"] = departments
    inspection = _apply(inspection, data, m2m)
    current = set(inspection.participants.values_list("pk", flat=True))
    held = inspection.inspected_on <= timezone.localdate()
    for member in Member.objects.filter(pk__in=before | current):
        if member.pk in current and held:
            performance_record(
                member=member,
                act=PerformanceAct.INSPECTION,
                source=inspection,
                on=inspection.inspected_on,
                note=inspection.title,
            )
        else:
            performance_withdraw(member=member, act=PerformanceAct.INSPECTION, source=inspection)
    return inspection


@transaction.atomic
def inspection_feedback(*, actor, inspection: Inspection, text: str, on: date) -> Inspection:
    if not actor.has_perm("consultations.answer_inspection", inspection):
        raise PermissionDeniedError("您无权反馈此次视察。")
    if not text.strip():
        raise ValidationFailed("请填写反馈内容。")
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    inspection.feedback_text = text
    inspection.feedback_on = on
    inspection.save(update_fields=["feedback_text", "feedback_on"])
    return inspection


@transaction.atomic
def appointment_save(*, actor, data: dict) -> SupervisorAppointment:
    _require_staff(actor)
    if data["ends_on"] <= data["starts_on"]:
        raise ValidationFailed("聘期结束日期必须晚于开始日期。")
    return _apply(SupervisorAppointment(), data)


# --- Calendar feed ------------------------------------------------------------------


@transaction.atomic
def calendar_token_reset(*, actor) -> CalendarToken:
    """A new secret: the old feed URL stops working at once."""
    if not actor.has_perm("consultations.own_calendar"):
        raise PermissionDeniedError("只有委员可以订阅会议日历。")
    token, _ = CalendarToken.objects.select_for_update().get_or_create(user=actor)
    token.token = new_token()
    token.save()
    return token
