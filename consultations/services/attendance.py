"""RSVP, leave, check-in, speeches and minutes: where attendance is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.notifications import notify
from members.models import Member
from proposals import services as proposal_services

from .. import clocks, ledger
from ..enums import CheckinMethod, InvitationKind, RsvpStatus, SpeechKind
from ..models import (
    Invitation,
    OutsideParticipant,
    Session,
    Speech,
    new_token,
)
from ..workflow import STAFF_DECISIONS, answers_for
from .common import CHECKIN_OPENS_BEFORE, ONLINE_CHECKIN_OPENS_BEFORE, _require_staff, _users_of_members


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
    invitation = Invitation.objects.select_for_update(of=("self",)).filter(session=session, member=member).first()
    if invitation is None:
        invitation = Invitation.objects.create(session=session, member=member, kind=InvitationKind.SIGNUP)
    if answer not in answers_for(invitation.kind, invitation.status):
        raise TransitionNotAllowed(
            f"当前状态为“{invitation.get_status_display()}”，不能改为“{RsvpStatus(answer).label}”。"
        )
    if answer == RsvpStatus.LEAVE_REQUESTED and not reason.strip():
        raise ValidationFailed("请假须填写事由。")
    invitation.status = answer
    invitation.leave_reason = reason.strip() if answer == RsvpStatus.LEAVE_REQUESTED else ""
    invitation.replied_at = timezone.now()
    invitation.leave_decided_by = None
    invitation.leave_decided_at = None
    invitation.leave_note = ""
    invitation.save()
    invitation.session, invitation.member = session, member
    ledger.sync(invitation)  # an approved leave answered afresh no longer counts
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
    _require_staff(actor, invitation)
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("session", "member__user")
        .get(pk=invitation.pk)
    )
    target = RsvpStatus.LEAVE_APPROVED if approve else RsvpStatus.LEAVE_REFUSED
    if target not in STAFF_DECISIONS.get(invitation.status, set()):
        raise TransitionNotAllowed("该委员没有待审批的请假申请。")
    invitation.status = target
    invitation.leave_decided_by = actor
    invitation.leave_decided_at = timezone.now()
    invitation.leave_note = note
    invitation.save()
    session = invitation.session
    ledger.sync(invitation)
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
    invitation.checked_in_at = now
    invitation.checkin_method = method
    invitation.status = RsvpStatus.ATTENDING  # an approved leave no longer counts
    invitation.save()
    ledger.sync(invitation)
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


def checkin_check(*, actor, session_pk: int, token: str, now: datetime | None = None, lock: bool = False) -> Session:
    """The session a scanned code checks ``actor`` in to, or ``ValidationFailed`` saying why not.

    Changes nothing: the scan page shows this before the member confirms.
    """
    now = now or timezone.now()
    if getattr(actor, "member", None) is None:
        raise PermissionDeniedError("只有委员可以扫码签到。")
    sessions = Session.objects.select_for_update(of=("self",)) if lock else Session.objects.all()
    session = sessions.filter(pk=session_pk).first()
    if session is None:
        raise ValidationFailed("签到码无效：会议不存在。")
    age = session.code_age(token, now)
    if age is None:
        open_now = Session.objects.filter(starts_at__lte=now + CHECKIN_OPENS_BEFORE, ends_at__gt=now)
        if any(other.code_age(token, now) is not None for other in open_now.exclude(pk=session.pk)):
            raise ValidationFailed("签到码不属于本次会议，请扫描本会场的签到二维码。")
        raise ValidationFailed("签到码无效，请重新扫描会场的二维码。")
    if now >= session.ends_at:
        raise ValidationFailed("会议已结束，签到码已失效。")
    if now < session.starts_at - CHECKIN_OPENS_BEFORE:
        raise ValidationFailed("尚未开始签到：会前两小时起方可签到。")
    if age > 1:
        raise ValidationFailed("签到码已过期（二维码每几分钟更新一次），请扫描会场屏幕上的最新二维码。")
    return session


@transaction.atomic
def checkin_by_token(*, actor, session_pk: int, token: str, now: datetime | None = None) -> CheckinResult:
    """QR check-in, after the member confirmed on the scan page.

    A wrong, expired, outdated or other session's code changes nothing and says why.
    """
    now = now or timezone.now()
    session = checkin_check(actor=actor, session_pk=session_pk, token=token, now=now, lock=True)
    member = actor.member
    invitation = Invitation.objects.select_for_update(of=("self",)).filter(session=session, member=member).first()
    if invitation is None:
        if not session.is_public:
            raise PermissionDeniedError("您不在本次会议的邀请名单中，如需参加请联系工作人员。")
        invitation = Invitation.objects.create(
            session=session, member=member, kind=InvitationKind.SIGNUP, status=RsvpStatus.ATTENDING, replied_at=now
        )
    invitation.session = session
    return CheckinResult(invitation, _check_in(invitation, CheckinMethod.QR, now))


@transaction.atomic
def checkin_online(*, actor, session: Session, now: datetime | None = None) -> CheckinResult:
    """远程协商: a member attending by video checks in on the portal during the session
    (from ``ONLINE_CHECKIN_OPENS_BEFORE`` before it starts until it ends); credited as any check-in."""
    now = now or timezone.now()
    member = _member_of(actor)
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if not session.is_online:
        raise ValidationFailed("本次会议不是远程协商，请在会场扫码签到。")
    if now < session.starts_at - ONLINE_CHECKIN_OPENS_BEFORE:
        minutes = int(ONLINE_CHECKIN_OPENS_BEFORE.total_seconds() // 60)
        raise ValidationFailed(f"在线签到尚未开始：会议开始前{minutes}分钟开放。")
    if now >= session.ends_at:
        raise ValidationFailed("会议已结束，不能再在线签到。")
    invitation = Invitation.objects.select_for_update(of=("self",)).filter(session=session, member=member).first()
    if invitation is None:
        if not session.is_public:
            raise PermissionDeniedError("您不在本次会议的邀请名单中，如需参加请联系工作人员。")
        invitation = Invitation.objects.create(
            session=session, member=member, kind=InvitationKind.SIGNUP, status=RsvpStatus.ATTENDING, replied_at=now
        )
    invitation.session = session
    return CheckinResult(invitation, _check_in(invitation, CheckinMethod.ONLINE, now))


@transaction.atomic
def checkin_manual(*, actor, invitation: Invitation) -> bool:
    _require_staff(actor, invitation)
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("session", "member").get(pk=invitation.pk)
    )
    if timezone.now() < invitation.session.starts_at - CHECKIN_OPENS_BEFORE:
        raise ValidationFailed("会议尚未开始，不能签到。")
    return _check_in(invitation, CheckinMethod.MANUAL, timezone.now())


@transaction.atomic
def checkin_undo(*, actor, invitation: Invitation) -> None:
    """Correct a mistaken check-in: the attendance entry is withdrawn."""
    _require_staff(actor, invitation)
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("session", "member").get(pk=invitation.pk)
    )
    if not invitation.checked_in_at:
        raise ValidationFailed("该委员尚未签到。")
    invitation.checked_in_at = None
    invitation.checkin_method = ""
    invitation.save()
    ledger.sync(invitation)


@transaction.atomic
def outsider_checkin(*, actor, outsider: OutsideParticipant) -> bool:
    _require_staff(actor, outsider)
    outsider = OutsideParticipant.objects.select_for_update(of=("self",)).get(pk=outsider.pk)
    if outsider.checked_in_at:
        return False
    outsider.checked_in_at = timezone.now()
    outsider.save(update_fields=["checked_in_at"])
    return True


@transaction.atomic
def session_rotate_token(*, actor, session: Session) -> Session:
    _require_staff(actor, session)
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    session.checkin_token = new_token()
    session.save(update_fields=["checkin_token"])
    return session


@transaction.atomic
def speech_submit(*, actor, session: Session, title: str, text: str, now: datetime | None = None) -> Speech:
    """A member taking part hands in a written speech until the session ends (one per session;
    resubmitting edits it). ``now`` is for entering a past session's record (the demo)."""
    member = _member_of(actor)
    if session.has_ended(now):
        raise PermissionDeniedError("会议已结束，不能再提交书面发言。")
    if not actor.has_perm("consultations.speak_at_session", session):
        raise PermissionDeniedError("只有受邀或已报名参加此次会议的委员可以提交发言。")
    if not title.strip() or not text.strip():
        raise ValidationFailed("请填写发言题目和内容。")
    speech = Speech.objects.select_for_update(of=("self",)).filter(session=session, member=member).first()
    if speech is None:
        speech = Speech(session=session, member=member, kind=SpeechKind.WRITTEN)
    speech.title, speech.text = title.strip(), text
    speech.save()
    ledger.sync(speech)
    return speech


@transaction.atomic
def speech_mark_delivered(*, actor, session: Session, member: Member, title: str = "") -> Speech:
    """Staff mark who spoke; a written speech and its delivery count once together."""
    _require_staff(actor, session)
    speech = Speech.objects.select_for_update(of=("self",)).filter(session=session, member=member).first()
    if speech is None:
        speech = Speech(session=session, member=member, kind=SpeechKind.ORAL, title=title.strip() or "会上口头发言")
    speech.delivered = True
    speech.save()
    ledger.sync(speech)
    return speech


@transaction.atomic
def speech_remove(*, actor, speech: Speech) -> None:
    """Correct a mistaken speech record: the ledger entry goes with it."""
    _require_staff(actor, speech)
    ledger.clear(speech)
    speech.delete()


@transaction.atomic
def minutes_save(*, actor, session: Session, text: str, file=None) -> Session:
    _require_staff(actor, session)
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if not session.has_ended():
        raise TransitionNotAllowed("会议结束后才能录入纪要。")
    if not text.strip() and not file and not session.minutes_file:
        raise ValidationFailed("请填写纪要内容或上传纪要文件。")
    session.minutes_text = text
    if file:
        session.minutes_file = file
    session.minutes_done_at = session.minutes_done_at or timezone.now()
    session.save()
    linked = list(session.proposals.values_list("pk", flat=True))
    if linked:  # 提案办理协商会: the minutes go on each linked proposal's timeline
        proposal_services.proposal_record_consultation_minutes(
            actor=actor,
            proposal_ids=linked,
            title=session.title,
            held_on=session.session_date,
            link=f"{session.get_absolute_url()}#minutes",
        )
    return session
