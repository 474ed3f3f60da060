"""Reads for ``members``: querysets already shaped for the page that shows them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cppcc_portal.hooks import get_hooks
from cppcc_portal.roles import is_member

from .models import CommitteeMembership, Member
from .permissions import committees_served, sees_all_members

# Filters the registry offers: GET parameter -> queryset lookup.
BASE_FILTERS = {
    "sector": "sector_id",
    "committee": "committee_memberships__committee_id",
    "party": "party_id",
    "position": "position_id",
    "term": "terms__id",
    "status": "status",
}


def member_filters() -> dict[str, str]:
    """Base filters plus those other apps register (the home station, for one)."""
    filters = dict(BASE_FILTERS)
    for fn in get_hooks("member_filters"):
        for param, _label, _choices, lookup in fn():
            filters[param] = lookup
    return filters


def member_directory(*, params, user) -> QuerySet[Member]:
    """The registry filtered by ``params`` (a QueryDict); same queries at any size."""
    queryset = Member.objects.with_profile()
    if not (sees_all_members(user) or is_member(user)):
        # A 专委会办公室 sees the members of its committees.
        served = CommitteeMembership.objects.filter(committee_id__in=committees_served(user))
        queryset = queryset.filter(pk__in=served.values("member_id"))
    for param, lookup in member_filters().items():
        value = params.get(param, "").strip()
        if value:
            if lookup.endswith("_id") or lookup.endswith("__id"):
                if not value.isdigit():
                    return queryset.none()
            queryset = queryset.filter(**{lookup: value})
    query = params.get("q", "").strip()
    if query:
        queryset = queryset.filter(
            Q(name__icontains=query) | Q(employer_title__icontains=query) | Q(mobile__startswith=query)
            if user.has_perm("members.manage_registry")
            else Q(name__icontains=query) | Q(employer_title__icontains=query)
        )
    if params.get("committee") or params.get("term"):
        queryset = queryset.distinct()
    return queryset
