"""Who may see and do what in ``members``: small named predicates (``rules``).

The 专委会办公室 predicates live here because a committee office is a ``Committee``'s
``office_staff``; the other apps build their committee rules on ``serves_committee``.
"""

import rules

from cppcc_portal.roles import (
    has_staff_role,
    in_liaison_office,
    is_any_staff,
    is_member,
    is_office_staff,
    is_proposer_org_user,
    is_station_head,
    sees_everything,
)


@rules.predicate
def is_self(user, member) -> bool:
    return member is not None and member.user_id is not None and member.user_id == user.pk


def committees_served(user) -> frozenset[int]:
    """The ids of the committees whose office ``user`` works in; read once per user object."""
    if not (user and user.is_authenticated and getattr(user, "pk", None)):
        return frozenset()
    ids = getattr(user, "_served_committee_ids", None)
    if ids is None:
        ids = user._served_committee_ids = frozenset(user.served_committees.values_list("pk", flat=True))
    return ids


@rules.predicate
def in_a_committee_office(user) -> bool:
    return has_staff_role(user) and bool(committees_served(user))


def serves_committee(user, committee_ids) -> bool:
    """``user`` acts for a committee among ``committee_ids`` (ids or committees): its office, or
    the office as a whole."""
    if is_office_staff(user):
        return True
    if not has_staff_role(user):
        return False
    ids = {getattr(committee, "pk", committee) for committee in committee_ids if committee is not None}
    return bool(ids & committees_served(user))


@rules.predicate
def member_in_served_committee(user, member) -> bool:
    """A 专委会办公室 sees the members of its committee."""
    if member is None or not in_a_committee_office(user):
        return False
    return member.committee_memberships.filter(committee_id__in=committees_served(user)).exists()


# Who may see the whole register of members (the directory's full list, contact details).
sees_all_members = sees_everything | in_liaison_office

rules.add_perm("members.browse_directory", sees_all_members | is_member | in_a_committee_office)
rules.add_perm("members.see_member", sees_all_members | is_member | member_in_served_committee)
rules.add_perm("members.see_contact_details", sees_all_members | is_self | member_in_served_committee)
rules.add_perm("members.manage_registry", in_liaison_office)
# The member pickers' search (names and 界别 only): whoever fills a form that names members.
rules.add_perm(
    "members.pick_members", sees_everything | is_any_staff | is_member | is_station_head | is_proposer_org_user
)
rules.add_perm("members.edit_own_contact", is_member)


# The workspaces are read by every member; a 专委会办公室 reads them too (joint work shows on each
# committee's page), and changes only its own committee's work (consultations.manage).
rules.add_perm("members.see_workspace", sees_everything | is_member | in_a_committee_office)
