"""Who may see and do what in the performance pages."""

import rules

from cppcc_portal.roles import in_general_office, in_liaison_office, is_leader, is_member, sees_everything

from ..permissions import is_self, member_in_served_committee, sees_all_members


@rules.predicate
def directs_a_committee(user) -> bool:
    member = getattr(user, "member", None)
    return bool(member and member.committee_memberships.filter(role="director").exists())


@rules.predicate
def owns_reflection(user, reflection) -> bool:
    return reflection is not None and is_self(user, reflection.member)


@rules.predicate
def owns_report(user, report) -> bool:
    return report is not None and is_self(user, report.member)


# 委员联络室 looks after members, their record, study and visits; a 专委会办公室 reads its members' records.
rules.add_perm("members.see_record", sees_all_members | is_self | member_in_served_committee)
rules.add_perm("members.see_scoring", sees_all_members)
rules.add_perm("members.manage_scoring", in_liaison_office)
rules.add_perm("members.see_five_ones_list", sees_all_members)

rules.add_perm("members.see_study", sees_all_members | is_member)
rules.add_perm("members.manage_study", in_liaison_office)
rules.add_perm("members.submit_reflection", is_member)
rules.add_perm("members.see_reflection", sees_all_members | owns_reflection)
rules.add_perm("members.manage_attendance", in_liaison_office)
# The 办公室 runs the plenary and records who attended it.
rules.add_perm("members.record_plenary_attendance", in_general_office)

rules.add_perm("members.write_annual_report", is_member)
rules.add_perm("members.see_annual_report", sees_all_members | owns_report)
rules.add_perm("members.review_annual_reports", in_liaison_office)

rules.add_perm("members.see_selection", sees_all_members | directs_a_committee)
rules.add_perm("members.recommend_outstanding", in_liaison_office | (is_member & directs_a_committee))
rules.add_perm("members.review_selection", in_liaison_office)

rules.add_perm("members.see_contacts", sees_all_members)
rules.add_perm("members.manage_contacts", in_liaison_office)
rules.add_perm("members.record_visit", in_liaison_office | is_leader)

# The platform's statistics page (cppcc_portal.stats.views) asks for this one.
rules.add_perm("cppcc_portal.see_stats", sees_everything)
