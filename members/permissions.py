"""Who may see and do what in ``members``: small named predicates (``rules``)."""

import rules

from .roles import Role


@rules.predicate
def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


def _has_role(role: Role):
    @rules.predicate(name=f"has_role_{role.name.lower()}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.has_role(role))

    return predicate


has_member_role = _has_role(Role.MEMBER)
has_staff_role = _has_role(Role.STAFF)
has_leader_role = _has_role(Role.LEADER)
has_unit_role = _has_role(Role.UNIT)
has_station_head_role = _has_role(Role.STATION_HEAD)

is_office_staff = is_admin | has_staff_role
is_leader = has_leader_role
is_member = has_member_role & rules.predicate(lambda user: hasattr(user, "member"), name="has_member_profile")
is_unit_user = has_unit_role & rules.predicate(lambda user: user.organization_id is not None, name="has_organization")
is_station_head = has_station_head_role
sees_everything = is_office_staff | is_leader


@rules.predicate
def is_self(user, member) -> bool:
    return member is not None and member.user_id is not None and member.user_id == user.pk


rules.add_perm("members.browse_directory", sees_everything | is_member)
rules.add_perm("members.see_member", sees_everything | is_member)
rules.add_perm("members.see_contact_details", sees_everything | is_self)
rules.add_perm("members.manage_registry", is_office_staff)
rules.add_perm("members.edit_own_contact", is_member)
