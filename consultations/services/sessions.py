"""Scheduling sessions, inviting people, notices and materials."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cppcc_portal.errors import TransitionNotAllowed, ValidationFailed
from cppcc_portal.notifications import notify
from cppcc_portal.roles import person
from members import selectors as member_selectors
from members.models import Member, Organization, User
from proposals import selectors as proposal_selectors
from proposals import services as proposal_services

from .. import clocks, ledger
from ..enums import InvitationKind, SessionKind
from ..models import (
    Invitation,
    OutsideParticipant,
    Session,
    SessionMaterial,
    SessionOfficial,
)
from .common import _apply, _require_staff, _users_of_members


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
    proposals: Iterable[int] = (),
) -> Session:
    """Schedule a session: store its clocks' dates, and invite members, units and outside people
    (and, for a 提案办理协商会, the proposers and handling units of the linked proposals)."""
    _require_staff(actor)
    if data["ends_at"] <= data["starts_at"]:
        raise ValidationFailed("结束时间必须晚于开始时间。")
    data = dict(data)
    committees = data.pop("committees", None)
    session = Session(created_by=actor, **data, **_session_dates(data["starts_at"]))
    _require_staff(actor, session)  # a committee office schedules its own committee's sessions
    session.full_clean()
    session.save()
    if committees is not None:
        session.committees.set(committees)
    if session.kind == SessionKind.STANDING:  # 常委会会议: every 常委 in office is expected
        required = [*required, *member_selectors.standing_committee_members()]
    _invite(session, required, InvitationKind.REQUIRED)
    _invite(session, signup, InvitationKind.SIGNUP)
    for organization in units:
        SessionOfficial.objects.get_or_create(session=session, organization=organization, name="")
    for outsider in outsiders:
        session_add_outsider(actor=actor, session=session, outsider=outsider)
    if proposals:
        _link_proposals(session, proposals)
    return session


def _invite(session: Session, members: Iterable[Member], kind: str, *, actor=None) -> list[Invitation]:
    """Invite those not yet invited, in one INSERT (and one for their history rows): a whole
    界别 or the whole term is hundreds of members."""
    unique = list({member.pk: member for member in members}.values())
    already = set(
        Invitation.objects.filter(session=session, member__in=[m.pk for m in unique]).values_list(
            "member_id", flat=True
        )
    )
    new = [Invitation(session=session, member=member, kind=kind) for member in unique if member.pk not in already]
    if not new:
        return []
    return bulk_create_with_history(new, Invitation, batch_size=500, default_user=person(actor))


def _link_proposals(session: Session, proposal_ids: Iterable[int]) -> tuple[list[Invitation], list[Organization]]:
    """Link the proposals (registered ones only) and invite their first proposers and handling units.
    Unlinking a proposal keeps the people already invited: staff remove them by hand if they wish."""
    proposals = proposal_services.consultation_check_linkable(proposal_ids=proposal_ids)
    session.proposals.set(proposals)
    members, units = proposal_selectors.consultation_invitees([p.pk for p in proposals])
    invited = _invite(session, members, InvitationKind.REQUIRED)
    new_units = [
        organization
        for organization in units
        if SessionOfficial.objects.get_or_create(session=session, organization=organization, name="")[1]
    ]
    return invited, new_units


def _tell_units(session: Session, units: Iterable[Organization]) -> None:
    notify(
        User.objects.filter(is_active=True, organization__in=list(units)),
        kind="consultations.notice",
        subject=f"会议通知（请派员列席）：{session.title}",
        body=f"时间：{timezone.localtime(session.starts_at):%Y年%m月%d日 %H:%M}；地点：{session.venue}。",
        link=session.get_absolute_url(),
    )


@transaction.atomic
def session_link_proposals(*, actor, session: Session, proposals: Iterable[int]) -> Session:
    """提案办理协商会: the proposals this session takes up. Their first proposers and handling units are
    invited; once the notice has gone out, the newly invited are told at once."""
    _require_staff(actor, session)
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    invited, units = _link_proposals(session, proposals)
    if session.notice_sent_at:
        if invited:
            _send_notice(session, [invitation.member for invitation in invited])
        if units:
            _tell_units(session, units)
    return session


@transaction.atomic
def session_update(*, actor, session: Session, data: dict, proposals: Iterable[int] | None = None) -> Session:
    """Edit a session; a new date moves the clocks that have not yet been met. ``proposals``, when
    given, replaces the linked proposals (see ``session_link_proposals``)."""
    _require_staff(actor, session)
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    data = dict(data)
    committees = data.pop("committees", None)
    moved = "starts_at" in data and data["starts_at"] != session.starts_at
    old_day, old_kind = session.session_date, session.kind
    for field, value in data.items():
        setattr(session, field, value)
    if session.ends_at <= session.starts_at:
        raise ValidationFailed("结束时间必须晚于开始时间。")
    if moved:
        for field, value in _session_dates(session.starts_at).items():
            setattr(session, field, value)
    session.full_clean()
    session.save()
    if committees is not None:
        session.committees.set(committees)
    if session.session_date != old_day or session.kind != old_kind:
        ledger.sync_session(session)  # attendance, leave and speeches are dated on the session's day
    if moved and session.notice_sent_at:
        notify(
            _users_of_members(m.member for m in session.invitations.select_related("member__user")),
            kind="consultations.changed",
            subject=f"会议时间调整：{session.title}",
            body=f"新的时间：{timezone.localtime(session.starts_at):%Y年%m月%d日 %H:%M}，地点：{session.venue}",
            link=session.get_absolute_url(),
        )
    if proposals is not None:
        session_link_proposals(actor=actor, session=session, proposals=proposals)
    return session


@transaction.atomic
def session_invite_members(*, actor, session: Session, members: Iterable[Member], kind: str) -> int:
    """Invite members (a whole group at once: one transaction, bulk inserts). Those already invited
    are skipped. If the notice has gone out, the newly invited get it; their notices are written
    with the invitations and handed to delivery after commit. Returns how many were invited."""
    _require_staff(actor, session)
    if kind not in InvitationKind.values:
        raise ValidationFailed("请选择参加方式。")
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if session.has_ended():
        raise TransitionNotAllowed("会议已结束，不能再邀请委员。")
    created = _invite(session, members, kind, actor=actor)
    if session.notice_sent_at and created:
        _send_notice(session, [invitation.member for invitation in created])
    return len(created)


@transaction.atomic
def session_add_official(*, actor, session: Session, organization: Organization, name: str = "", title: str = ""):
    _require_staff(actor, session)
    official, _ = SessionOfficial.objects.get_or_create(
        session=session, organization=organization, name=name, defaults={"title": title}
    )
    return official


@transaction.atomic
def session_add_outsider(*, actor, session: Session, outsider: OutsiderData) -> OutsideParticipant:
    """An outside participant is a row, never a login."""
    _require_staff(actor, session)
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
    _require_staff(actor, invitation)
    if invitation.checked_in_at:
        raise ValidationFailed("该委员已签到，不能移出名单。请先撤销签到。")
    ledger.clear(invitation)  # an approved leave goes with the invitation
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
    _require_staff(actor, session)
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if session.has_ended():
        raise TransitionNotAllowed("会议已结束，不能再发送通知。")
    members = [invitation.member for invitation in session.invitations.select_related("member__user")]
    if not members and not session.officials.exists():
        raise ValidationFailed("尚未邀请任何委员或单位，无法发送通知。")
    _send_notice(session, members)
    _tell_units(session, Organization.objects.filter(pk__in=session.officials.values("organization")))
    session.notice_sent_at = timezone.now()
    session.save(update_fields=["notice_sent_at"])
    return session


@transaction.atomic
def material_upload(*, actor, session: Session, title: str, file) -> SessionMaterial:
    _require_staff(actor, session)
    material = SessionMaterial(session=session, title=title, file=file, uploaded_by=actor)
    material.save()
    return material


@transaction.atomic
def session_circulate_materials(*, actor, session: Session) -> Session:
    """Tell invitees the materials are ready; closes the materials clock."""
    _require_staff(actor, session)
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
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
