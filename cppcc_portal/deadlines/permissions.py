"""Who sees the 逾期与预警 board: office staff, leaders and handling-unit users (their own unit)."""

import rules

from cppcc_portal.roles import is_leader, is_office_staff, is_unit_user

rules.add_perm("cppcc_portal.see_deadline_board", is_office_staff | is_leader | is_unit_user)
rules.add_perm("cppcc_portal.see_all_deadlines", is_office_staff | is_leader)
rules.add_perm("cppcc_portal.export_deadlines", is_office_staff | is_leader | is_unit_user)
