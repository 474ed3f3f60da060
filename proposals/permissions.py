"""Who may see and do what with proposals: small named predicates (``rules``).

Rules say who (role and relationship); ``workflow.py`` says when (state).
Predicates read ``proposal.signers.all()`` / ``assignments.all()`` so a page
that prefetched them checks every action without extra queries.
"""

import rules

from cppcc_portal.roles import (
    in_proposals_office,
    is_leader,
    is_member,
    is_proposer_org_user,
    is_unit_user,
    sees_everything,
)

from .enums import COLLECTIVE_KINDS, REGISTERED_STATES, AssignmentState, SignerStatus
from .models import ProposalSettings
from .workflow import member_id


@rules.predicate
def is_author(user, proposal) -> bool:
    return proposal is not None and member_id(user) == proposal.author_id


@rules.predicate
def is_signer(user, proposal) -> bool:
    """Invited or confirmed co-signer; one who declined has left the proposal."""
    mine = member_id(user)
    return (
        proposal is not None
        and mine is not None
        and any(s.member_id == mine and s.status != SignerStatus.DECLINED for s in proposal.signers.all())
    )


@rules.predicate
def is_confirmed_signer(user, proposal) -> bool:
    mine = member_id(user)
    return (
        proposal is not None
        and mine is not None
        and any(s.member_id == mine and s.status == SignerStatus.CONFIRMED for s in proposal.signers.all())
    )


@rules.predicate
def proposed_a_merged_proposal(user, proposal) -> bool:
    """Proposers of proposals merged into this one follow it and get its reply."""
    mine = member_id(user)
    return (
        proposal is not None and mine is not None and any(c.author_id == mine for c in proposal.merged_children.all())
    )


@rules.predicate
def is_collective(user, proposal) -> bool:
    return proposal is not None and proposal.kind in COLLECTIVE_KINDS


@rules.predicate
def is_assigned_unit(user, proposal) -> bool:
    organization_id = getattr(user, "organization_id", None)
    return (
        proposal is not None
        and organization_id is not None
        and any(
            a.unit_id == organization_id and a.state != AssignmentState.REASSIGNED for a in proposal.assignments.all()
        )
    )


@rules.predicate
def is_key_leader(user, proposal) -> bool:
    return proposal is not None and proposal.key_leader_id is not None and proposal.key_leader_id == user.pk


@rules.predicate
def members_may_browse_registered(user, proposal) -> bool:
    if proposal is None or proposal.state not in REGISTERED_STATES:
        return False

    return ProposalSettings.get().members_see_registered


@rules.predicate
def is_someone_elses_draft(user, proposal) -> bool:
    """Drafts are private to whoever is writing them (and their invited co-signers), and so is a
    draft withdrawn before it was ever submitted."""
    return proposal is not None and proposal.is_private_draft and proposal.filed_by_id != user.pk


@rules.predicate
def is_own_organizations(user, proposal) -> bool:
    """A collective proposal in the name of the user's own organisation (民进区委's users, 民进区委's proposals)."""
    organization_id = getattr(user, "organization_id", None)
    return proposal is not None and organization_id is not None and proposal.proposer_org_id == organization_id


@rules.predicate
def filed_by_its_organization(user, proposal) -> bool:
    """Filed by the organisation's own users (not by the office on its behalf)."""
    return (
        proposal is not None
        and proposal.proposer_org_id is not None
        and proposal.filed_by.organization_id == proposal.proposer_org_id
    )


@rules.predicate
def is_private_collective_draft(user, proposal) -> bool:
    return proposal is not None and proposal.is_collective and proposal.is_private_draft


@rules.predicate
def is_organization_head(user) -> bool:
    return bool(getattr(user, "is_unit_head", False))


# 提案委员会办公室 registers, assigns and follows every proposal; leaders and the office as a whole read them.
sees_all_proposals = sees_everything | in_proposals_office

# The organisation's users write its proposals; the office writes those it files for an
# organisation without accounts (on paper). Its contact member (``author``) does neither.
files_for_organization = in_proposals_office & is_collective & ~filed_by_its_organization & ~is_someone_elses_draft
writes_for_organization = (is_proposer_org_user & is_own_organizations) | files_for_organization
owns_proposal = (is_author & ~is_collective) | writes_for_organization

rules.add_perm(
    "proposals.see_proposal",
    (sees_all_proposals & ~is_someone_elses_draft)
    | (is_author & ~is_private_collective_draft)
    | (is_proposer_org_user & is_own_organizations)
    | (is_signer & ~is_private_collective_draft)
    | proposed_a_merged_proposal
    | (is_unit_user & is_assigned_unit)
    | (is_member & members_may_browse_registered),
)
rules.add_perm("proposals.browse_proposals", rules.is_authenticated)
rules.add_perm("proposals.file_proposal", is_member | in_proposals_office | is_proposer_org_user)
rules.add_perm("proposals.file_collective_proposal", in_proposals_office | is_proposer_org_user)
# 集体提案: the organisation's head (负责人) confirms before submission; for one the office
# files on an organisation's behalf, staff record the head's signature on the paper copy.
rules.add_perm(
    "proposals.confirm_collective",
    (is_proposer_org_user & is_own_organizations & is_organization_head) | files_for_organization,
)
rules.add_perm("proposals.edit_proposal", owns_proposal)
rules.add_perm("proposals.submit_proposal", owns_proposal)
rules.add_perm("proposals.withdraw_proposal", owns_proposal)
rules.add_perm("proposals.cosign_proposal", is_member & is_signer)
rules.add_perm("proposals.review_proposal", in_proposals_office)
rules.add_perm("proposals.assign_proposal", in_proposals_office)
# 重点提案遴选: the 提案委 nominates, a 主席会议成员 records the 主席会议's decision; the 督办 and
# 领办 leaders are named by staff or a leader.
rules.add_perm("proposals.nominate_key", in_proposals_office)
rules.add_perm("proposals.decide_key", is_leader)
rules.add_perm("proposals.set_key_leaders", in_proposals_office | is_leader)
rules.add_perm("proposals.mark_excellent", in_proposals_office)
rules.add_perm("proposals.supervise_proposal", in_proposals_office | is_key_leader)
rules.add_perm("proposals.handle_assignment", is_unit_user & is_assigned_unit)


@rules.predicate
def is_unit_head(user) -> bool:
    return bool(getattr(user, "is_unit_head", False))


# 经办人 draft; only the unit's 负责人 signs a reply off (签发).
rules.add_perm("proposals.sign_reply", is_unit_user & is_assigned_unit & is_unit_head)
# 征询意见表: the first proposer rates; co-signers may comment, their ratings do not count.
# A collective proposal's organisation fills it in through its own users; it counts as the first proposer's.
rules.add_perm("proposals.evaluate_proposal", is_author | (is_proposer_org_user & is_own_organizations))
rules.add_perm("proposals.comment_on_reply", is_confirmed_signer & ~is_author)
rules.add_perm("proposals.waive_contact", is_author)
rules.add_perm("proposals.see_review_queue", in_proposals_office)
rules.add_perm("proposals.see_followups", sees_all_proposals)
rules.add_perm("proposals.see_key_proposals", sees_all_proposals)


@rules.predicate
def is_own_unit(user, unit) -> bool:
    return unit is not None and getattr(user, "organization_id", None) == unit.pk


rules.add_perm("proposals.compile_documents", sees_all_proposals)
rules.add_perm("proposals.print_handover", sees_all_proposals | (is_unit_user & is_own_unit))
