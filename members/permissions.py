"""Who may see and do what in ``members``: small named predicates (``rules``)."""

import rules

from cppcc_portal.roles import is_member, is_office_staff, sees_everything


@rules.predicate
def is_self(user, member) -> bool:
    return member is not None and member.user_id is not None and member.user_id == user.pk


rules.add_perm("members.browse_directory", sees_everything | is_member)
rules.add_perm("members.see_member", sees_everything | is_member)
rules.add_perm("members.see_contact_details", sees_everything | is_self)
rules.add_perm("members.manage_registry", is_office_staff)
rules.add_perm("members.edit_own_contact", is_member)
rules.add_perm("members.see_workspace", sees_everything | is_member)
