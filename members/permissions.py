"""Who may see and do what in ``members``: small named predicates (``rules``)."""

import rules

from cppcc_portal.roles import (
    is_member,
    is_office_staff,
    is_proposer_org_user,
    is_station_head,
    sees_everything,
)


@rules.predicate
def is_self(user, member) -> bool:
    return member is not None and member.user_id is not None and member.user_id == user.pk


rules.add_perm("members.browse_directory", sees_everything | is_member)
rules.add_perm("members.see_member", sees_everything | is_member)
rules.add_perm("members.see_contact_details", sees_everything | is_self)
rules.add_perm("members.manage_registry", is_office_staff)
# The member pickers' search (names and 界别 only): whoever fills a form that names members.
rules.add_perm("members.pick_members", sees_everything | is_member | is_station_head | is_proposer_org_user)
rules.add_perm("members.edit_own_contact", is_member)
rules.add_perm("members.see_workspace", sees_everything | is_member)
