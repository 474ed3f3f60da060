"""Who may see and do what in the performance pages."""

import rules

from cppcc_portal.roles import is_leader, is_member, is_office_staff, sees_everything

from ..permissions import is_self


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


rules.add_perm("members.see_record", sees_everything | is_self)
rules.add_perm("members.see_scoring", sees_everything)
rules.add_perm("members.manage_scoring", is_office_staff)
rules.add_perm("members.see_five_ones_list", sees_everything)

rules.add_perm("members.see_study", sees_everything | is_member)
rules.add_perm("members.manage_study", is_office_staff)
rules.add_perm("members.submit_reflection", is_member)
rules.add_perm("members.see_reflection", sees_everything | owns_reflection)
rules.add_perm("members.manage_attendance", is_office_staff)

rules.add_perm("members.write_annual_report", is_member)
rules.add_perm("members.see_annual_report", sees_everything | owns_report)
rules.add_perm("members.review_annual_reports", is_office_staff)

rules.add_perm("members.see_selection", sees_everything | directs_a_committee)
rules.add_perm("members.recommend_outstanding", is_office_staff | (is_member & directs_a_committee))
rules.add_perm("members.review_selection", is_office_staff)

rules.add_perm("members.see_contacts", sees_everything)
rules.add_perm("members.manage_contacts", is_office_staff)
rules.add_perm("members.record_visit", is_office_staff | is_leader)

# The platform's statistics page (cppcc_portal.stats.views) asks for this one.
rules.add_perm("cppcc_portal.see_stats", sees_everything)
