"""Roles: their names (Django groups), the predicates that test them, and who holds one.

The platform's floor: everything here reads only Django's own auth tables, so
``cppcc_portal`` can ask "is this person office staff?" without importing ``members``.
``members.roles`` adds the staff group's admin permissions; ``members.permissions``
builds the object-level rules on these predicates.
"""

from __future__ import annotations

import rules
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet

from cppcc_portal import auth_cache


class Role(models.TextChoices):
    MEMBER = "委员", "委员"
    STAFF = "机关工作人员", "机关工作人员"
    LEADER = "主席会议成员", "主席会议成员"
    UNIT = "承办单位", "承办单位用户"
    STATION_HEAD = "站长", "联络站站长"
    PROPOSER_ORG = "提案单位", "集体提案单位用户"
    SECRETARY_GENERAL = "秘书长", "秘书长（统管机关各科室）"


class Office(models.TextChoices):
    """The divisions of the office (机关科室), each a Django group that staff users join.

    A staff user belongs to one or more; ``ALL`` acts for every division (a small office, the
    demo ``staff`` login). A 专委会办公室 is not a group: it is the committee's ``office_staff``
    (``members.Committee``), since each committee has its own.
    """

    ALL = "全部科室", "全部科室"
    GENERAL = "办公室", "办公室（全会、常委会、通知公告）"
    PROPOSALS = "提案委员会办公室", "提案委员会办公室"
    RESEARCH = "研究室", "研究室（信息科）"
    LIAISON = "委员联络室", "委员联络室"


def users_with_role(role: Role | str, **filters) -> QuerySet:
    """The active users who hold ``role`` (further ``filters``, e.g. ``organization_id=``, narrow it)."""
    return get_user_model().objects.filter(groups__name=role, is_active=True, **filters).distinct()


def whole_office_staff() -> QuerySet:
    """The staff who act for every division (全部科室): the people the deadline clocks, reminders and
    system notices go to. A division's own staff follow their work on their lists and boards."""
    return users_with_role(Role.STAFF).filter(pk__in=users_with_role(Office.ALL).values("pk"))


def user_has_role(user, role: Role | str) -> bool:
    """Whether ``user`` holds ``role``; the group names are read once per user object, with the
    user's permissions, from the cache while current (``cppcc_portal.auth_cache``)."""
    if not (user and user.is_authenticated):
        return False
    names = getattr(user, "_role_names", None)
    if names is None:
        names = user._role_names = auth_cache.entry(user)["groups"]
    return role in names


@rules.predicate
def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


def _has_role(role: Role):
    @rules.predicate(name=f"has_role_{role.name.lower()}")
    def predicate(user) -> bool:
        return user_has_role(user, role)

    return predicate


has_member_role = _has_role(Role.MEMBER)
has_staff_role = _has_role(Role.STAFF)
has_leader_role = _has_role(Role.LEADER)
has_unit_role = _has_role(Role.UNIT)
has_station_head_role = _has_role(Role.STATION_HEAD)
has_proposer_org_role = _has_role(Role.PROPOSER_ORG)

has_secretary_general_role = _has_role(Role.SECRETARY_GENERAL)


def _in_office(office: Office):
    @rules.predicate(name=f"in_office_{office.name.lower()}")
    def predicate(user) -> bool:
        return user_has_role(user, office)

    return predicate


# Any 机关工作人员, whatever their division: the workbench, the inbox, pages every office shares.
is_any_staff = is_admin | has_staff_role
# The office as a whole: admins, the 秘书长 and staff of every division (``Office.ALL``). Every rule
# written before the divisions existed (and every new page until its division is named) uses this,
# so a page grants nothing to a single division by default.
is_office_staff = is_admin | has_secretary_general_role | (has_staff_role & _in_office(Office.ALL))


def works_in(office: Office):
    """Staff of ``office``, or the office as a whole."""
    return is_office_staff | (has_staff_role & _in_office(office))


in_general_office = works_in(Office.GENERAL)
in_proposals_office = works_in(Office.PROPOSALS)
in_research_office = works_in(Office.RESEARCH)
in_liaison_office = works_in(Office.LIAISON)
is_leader = has_leader_role
is_member = has_member_role & rules.predicate(lambda user: hasattr(user, "member"), name="has_member_profile")
is_unit_user = has_unit_role & rules.predicate(lambda user: user.organization_id is not None, name="has_organization")
is_station_head = has_station_head_role
# A user of a proposer organisation (民进区委, a 界别, a 专委会, 区妇联): files in its name; the
# organisation's head (``is_unit_head``) confirms before submission.
is_proposer_org_user = has_proposer_org_role & rules.predicate(
    lambda user: user.organization_id is not None, name="has_proposer_organization"
)
sees_everything = is_office_staff | is_leader


class SystemActor:
    """The portal itself acting: the deadline sweep accepting an overdue assignment, closing an
    unrated proposal. Services take it as ``actor=system_actor()``; it passes the permission
    check (the rule it follows is the clock's, not a person's) and history records it as 系统
    (the actor column stays empty)."""

    pk = id = None
    is_authenticated = True
    is_active = True
    is_superuser = is_staff = False
    organization_id = None
    name = display_name = "系统"

    def has_perm(self, perm: str, obj=None) -> bool:
        return True

    def has_role(self, role) -> bool:
        return False

    def __str__(self) -> str:
        return "系统"

    def __repr__(self) -> str:
        return "<SystemActor>"


_SYSTEM = SystemActor()


def system_actor() -> SystemActor:
    return _SYSTEM


def is_system(actor) -> bool:
    return isinstance(actor, SystemActor)


def person(actor):
    """The user to store as who did it: ``None`` (shown as 系统) for the system."""
    return None if is_system(actor) else actor
