"""Who may see and do what with 社情民意 reports (``rules``).

A member sees their own reports and those of the stations they head; staff (the
research office) see and handle all; leaders see all, read-only; unit users none.
"""

from __future__ import annotations

import rules

from cppcc_portal.roles import (
    in_research_office,
    is_member,
    is_proposer_org_user,
    is_unit_user,
    sees_everything,
)
from liaison_stations.selectors import stations_headed_by

from .enums import OpinionStatus


def _member(user):
    return getattr(user, "member", None) if user and user.is_authenticated else None


@rules.predicate
def is_opinion_author(user, opinion) -> bool:
    member = _member(user)
    return member is not None and opinion is not None and opinion.author_id == member.pk


@rules.predicate
def heads_opinion_station(user, opinion) -> bool:
    """The report was filed for, or from an activity of, an active station this member heads."""
    member = _member(user)
    if member is None or opinion is None:
        return False
    station_ids = {opinion.station_id, opinion.activity.station_id if opinion.activity_id else None} - {None}
    return bool(station_ids) and stations_headed_by(user).filter(pk__in=station_ids).exists()


@rules.predicate
def is_own_organizations_opinion(user, opinion) -> bool:
    organization_id = getattr(user, "organization_id", None)
    return opinion is not None and organization_id is not None and opinion.organization_id == organization_id


@rules.predicate
def awaits_head(user, opinion) -> bool:
    return opinion is not None and opinion.status == OpinionStatus.AWAITING_HEAD


@rules.predicate
def is_organization_head(user) -> bool:
    return bool(getattr(user, "is_unit_head", False))


# 研究室 (信息科) reviews and adopts 社情民意: it reads them all, as leaders do.
sees_all_opinions = sees_everything | in_research_office

rules.add_perm("proposals.browse_opinions", sees_all_opinions | is_member | is_proposer_org_user)
# A proposer organisation (民进区委) files in its own name, with a contact member.
rules.add_perm("proposals.file_opinion", is_member | is_proposer_org_user)
rules.add_perm(
    "proposals.see_opinion",
    # Until its head confirms it, an organisation's report is the organisation's alone.
    (sees_all_opinions & ~awaits_head)
    | is_opinion_author
    | heads_opinion_station
    | (is_proposer_org_user & is_own_organizations_opinion),
)
rules.add_perm("proposals.handle_opinion", in_research_office)


# 社情民意 issues are the 研究室's publications: it compiles and sends them, leaders read them.
rules.add_perm("proposals.see_opinion_issues", sees_all_opinions)
rules.add_perm("proposals.manage_opinion_issues", in_research_office)


# --- 微建议 / 微监督 ---------------------------------------------------------------------------


@rules.predicate
def is_micro_author(user, suggestion) -> bool:
    member = _member(user)
    return member is not None and suggestion is not None and suggestion.member_id == member.pk


@rules.predicate
def heads_micro_station(user, suggestion) -> bool:
    member = _member(user)
    return (
        member is not None
        and suggestion is not None
        and suggestion.station_id is not None
        and stations_headed_by(user).filter(pk=suggestion.station_id).exists()
    )


@rules.predicate
def is_micro_unit(user, suggestion) -> bool:
    organization_id = getattr(user, "organization_id", None)
    return suggestion is not None and organization_id is not None and suggestion.unit_id == organization_id


rules.add_perm("proposals.browse_micro", sees_all_opinions | is_member | is_unit_user)
rules.add_perm("proposals.file_micro", is_member)
rules.add_perm(
    "proposals.see_micro", sees_all_opinions | is_micro_author | heads_micro_station | (is_unit_user & is_micro_unit)
)
rules.add_perm("proposals.answer_micro", in_research_office | (is_unit_user & is_micro_unit))
rules.add_perm("proposals.raise_micro", in_research_office)
# An organisation's report goes in once its head (负责人) confirms it (as its collective proposals do).
rules.add_perm(
    "proposals.confirm_opinion",
    is_proposer_org_user & is_own_organizations_opinion & is_organization_head & awaits_head,
)
