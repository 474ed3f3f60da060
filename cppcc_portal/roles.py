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


class Role(models.TextChoices):
    MEMBER = "委员", "委员"
    STAFF = "机关工作人员", "机关工作人员"
    LEADER = "主席会议成员", "主席会议成员"
    UNIT = "承办单位", "承办单位用户"
    STATION_HEAD = "站长", "联络站站长"
    PROPOSER_ORG = "提案单位", "集体提案单位用户"


def users_with_role(role: Role | str, **filters) -> QuerySet:
    """The active users who hold ``role`` (further ``filters``, e.g. ``organization_id=``, narrow it)."""
    return get_user_model().objects.filter(groups__name=role, is_active=True, **filters).distinct()


def user_has_role(user, role: Role | str) -> bool:
    """Whether ``user`` holds ``role``; the group names are read once per user object."""
    if not (user and user.is_authenticated):
        return False
    names = getattr(user, "_role_names", None)
    if names is None:
        names = user._role_names = set(user.groups.values_list("name", flat=True))
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

is_office_staff = is_admin | has_staff_role
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
