"""Who may see and do what with 社情民意 reports (``rules``).

A member sees their own reports and those of the stations they head; staff (the
research office) see and handle all; leaders see all, read-only; unit users none.
"""

from __future__ import annotations

import rules

from members.permissions import is_member, is_office_staff, sees_everything


def _member(user):
    return getattr(user, "member", None) if user and user.is_authenticated else None


@rules.predicate
def is_opinion_author(user, opinion) -> bool:
    member = _member(user)
    return member is not None and opinion is not None and opinion.author_id == member.pk


@rules.predicate
def heads_opinion_station(user, opinion) -> bool:
    """The report was filed for, or from an activity of, a station this member heads."""
    member = _member(user)
    if member is None or opinion is None:
        return False
    station_ids = {opinion.station_id, opinion.activity.station_id if opinion.activity_id else None} - {None}
    return bool(station_ids) and member.headed_stations.filter(pk__in=station_ids).exists()


rules.add_perm("proposals.browse_opinions", sees_everything | is_member)
rules.add_perm("proposals.file_opinion", is_member)
rules.add_perm("proposals.see_opinion", sees_everything | is_opinion_author | heads_opinion_station)
rules.add_perm("proposals.handle_opinion", is_office_staff)
