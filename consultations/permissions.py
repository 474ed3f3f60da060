"""Who may see and do what in consultations and supervision (``rules``)."""

from __future__ import annotations

import rules

from cppcc_portal.roles import (
    in_general_office,
    is_any_staff,
    is_member,
    is_office_staff,
    is_unit_user,
    sees_everything,
)
from members.permissions import in_a_committee_office, serves_committee

from .enums import RsvpStatus


def _member_id(user) -> int | None:
    member = getattr(user, "member", None)
    return member.pk if member is not None else None


@rules.predicate
def is_invited(user, session) -> bool:
    member_id = _member_id(user)
    if session is None or member_id is None:
        return False
    cache = getattr(session, "_invited_member_ids", None)
    if cache is not None:
        return member_id in cache
    return session.invitations.filter(member_id=member_id).exists()


@rules.predicate
def takes_part(user, session) -> bool:
    """Invited or signed up and not declined (checking in counts as attending)."""
    member_id = _member_id(user)
    if session is None or member_id is None:
        return False
    return session.invitations.filter(member_id=member_id).exclude(status=RsvpStatus.DECLINED).exists()


@rules.predicate
def is_public_session(user, session) -> bool:
    return session is not None and session.is_public


@rules.predicate
def unit_is_invited(user, session) -> bool:
    if session is None or not user.organization_id:
        return False
    return session.officials.filter(organization_id=user.organization_id).exists()


@rules.predicate
def session_not_ended(user, session) -> bool:
    return session is not None and not session.has_ended()


@rules.predicate
def unit_concerned_by_outcome(user, outcome) -> bool:
    if outcome is None or not user.organization_id:
        return False
    return outcome.suggestions.filter(departments=user.organization_id).exists()


@rules.predicate
def unit_inspected(user, inspection) -> bool:
    if inspection is None or not user.organization_id:
        return False
    return inspection.departments.filter(pk=user.organization_id).exists()


@rules.predicate
def material_session_visible(user, material) -> bool:
    return material is not None and user.has_perm("consultations.see_session", material.session)


def committees_of(obj) -> set[int]:
    """The committees whose office runs ``obj`` (a session, topic, research project, outcome,
    inspection, or a row of a session): the organiser, the joint committees or the lead committee,
    else its topic's or its session's."""
    ids: set[int] = set()
    for field in ("organiser_id", "lead_committee_id"):
        if getattr(obj, field, None):
            ids.add(getattr(obj, field))
    if getattr(obj, "pk", None) and hasattr(type(obj), "committees"):  # organised jointly by several committees
        ids |= set(obj.committees.values_list("pk", flat=True))
    if not ids:
        for parent in ("session", "topic", "project"):
            if getattr(obj, f"{parent}_id", None):
                ids |= committees_of(getattr(obj, parent))
                if ids:
                    break
    return ids


@rules.predicate
def invited_online(user, topic) -> bool:
    member_id = _member_id(user)
    if topic is None or member_id is None:
        return False
    return topic.members.filter(pk=member_id).exists()


@rules.predicate
def public_online(user, topic) -> bool:
    return topic is not None and topic.is_public


@rules.predicate
def on_research_team(user, project) -> bool:
    """The project's lead or a member of its team (课题组)."""
    member_id = _member_id(user)
    if project is None or member_id is None:
        return False
    return project.lead_id == member_id or project.team.filter(pk=member_id).exists()


@rules.predicate
def runs_consultation(user, obj=None) -> bool:
    """The office as a whole runs every consultation; a 专委会办公室 those of its committee; the
    办公室 those no committee runs (plenaries, 常委会, meetings the office itself organises).
    Without an object: whether the user runs any (may open the forms to create one)."""
    if is_office_staff(user):
        return True
    if obj is None:
        return in_general_office(user) or in_a_committee_office(user)
    committees = committees_of(obj)
    if committees:
        return serves_committee(user, committees)
    return in_general_office(user)


# Whoever runs consultations reads the sessions, plan, outcomes and supervision.
sees_consultations = sees_everything | in_general_office | in_a_committee_office
can_see_session = (
    sees_everything
    | runs_consultation
    | (is_member & (is_invited | is_public_session))
    | (is_unit_user & unit_is_invited)
)

rules.add_perm("consultations.browse_sessions", sees_consultations | is_member | is_unit_user)
rules.add_perm("consultations.see_session", can_see_session)
rules.add_perm("consultations.rsvp_session", is_member & (is_invited | is_public_session) & session_not_ended)
# A speech is credited to the member's record: only those taking part, and only until the session ends.
rules.add_perm("consultations.speak_at_session", is_member & takes_part)
rules.add_perm("consultations.submit_speech", is_member & takes_part & session_not_ended)
rules.add_perm("consultations.download_material", material_session_visible)
rules.add_perm("consultations.see_plan", sees_consultations | is_member)
rules.add_perm("consultations.manage", runs_consultation)
rules.add_perm("consultations.see_outcome", sees_consultations | is_member | (is_unit_user & unit_concerned_by_outcome))
rules.add_perm("consultations.answer_outcome", runs_consultation | (is_unit_user & unit_concerned_by_outcome))
rules.add_perm("consultations.see_outcome_list", sees_consultations | is_unit_user)
rules.add_perm("consultations.see_supervision", sees_consultations | is_member)
rules.add_perm("consultations.see_inspection", sees_consultations | is_member | (is_unit_user & unit_inspected))
rules.add_perm("consultations.answer_inspection", runs_consultation | (is_unit_user & unit_inspected))
rules.add_perm("consultations.own_calendar", is_member)
# 网络议政: anyone sees the list (the public sees public topics); invited members (and, on a
# public topic, every member) post; everybody else may comment on a public topic, moderated.
rules.add_perm("consultations.browse_online", rules.always_allow)
rules.add_perm(
    "consultations.see_online_topic", sees_everything | runs_consultation | (is_member & invited_online) | public_online
)
rules.add_perm("consultations.post_online", is_member & (invited_online | public_online))
rules.add_perm("consultations.comment_online", ~is_member & ~is_any_staff & public_online)
rules.add_perm(
    "consultations.see_online_summary",
    sees_everything | runs_consultation | (is_member & (invited_online | public_online)),
)
rules.add_perm("consultations.online_checkin", is_member & (is_invited | is_public_session))
# Members of a research project file its report themselves; staff may file it for them.
rules.add_perm("consultations.file_research_report", runs_consultation | (is_member & on_research_team))
