"""Reads for ``members``: querysets already shaped for the page that shows them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import CharField, Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from cppcc_portal.hooks import get_hooks
from cppcc_portal.roles import is_member

from .enums import CommitteeRole, GroupRole, MemberStatus
from .models import (
    ActivityGroup,
    ActivityGroupMembership,
    Committee,
    CommitteeMembership,
    GroupYearPlan,
    Member,
    Party,
    Position,
    Sector,
    Term,
)
from .permissions import committees_served, sees_all_members

# Filters the registry offers: GET parameter -> queryset lookup.
BASE_FILTERS = {
    "sector": "sector_id",
    "committee": "committee_memberships__committee_id",
    "group": "group_memberships__group_id",
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


# What a registry row shows (the list page, and the export's values): nothing else is read.
DIRECTORY_FIELDS = (
    "name",
    "gender",
    "employer_title",
    "mobile",
    "status",
    "party__name",
    "sector__name",
    "position__name",
)


def member_directory(*, params, user) -> QuerySet[Member]:
    """The registry filtered by ``params`` (a QueryDict); same queries at any size: the page's
    members with the names they show, and their 专委会 in one more query."""
    queryset = (
        Member.objects.select_related("party", "sector", "position")
        .only(*DIRECTORY_FIELDS)
        .prefetch_related(
            Prefetch(
                "committee_memberships",
                queryset=CommitteeMembership.objects.select_related("committee")
                .only("member_id", "role", "committee__name", "committee__short_name")
                .order_by("committee__order"),
            )
        )
    )
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


# The registry's filters by a small table, in the order each table lists itself (its Meta.ordering).
FILTER_TABLES = {
    "sector": (Sector, F("order"), F("name")),
    "committee": (Committee, F("order"), F("name")),
    "party": (Party, F("order"), F("name")),
    "position": (Position, F("rank"), Value("", output_field=CharField())),
    "term": (Term, -F("number"), Value("", output_field=CharField())),
}


def filter_choices() -> dict[str, list[tuple[int, str]]]:
    """(pk, name) of the 界别, 专委会, 党派, 职务 and 届次 the registry filters by: one query."""
    parts = [
        model.objects.order_by()
        .annotate(filter_key=Value(key, output_field=CharField()), sort_first=first, sort_second=second)
        .values_list("filter_key", "pk", "name", "sort_first", "sort_second")
        for key, (model, first, second) in FILTER_TABLES.items()
    ]
    rows = sorted(parts[0].union(*parts[1:], all=True), key=lambda row: (row[3], row[4], row[1]))
    choices: dict[str, list[tuple[int, str]]] = {key: [] for key in FILTER_TABLES}
    for key, pk, name, _first, _second in rows:
        choices[key].append((pk, name))
    return choices


# --- Members of a group: the one selector behind invitations and notices by group -----------


@dataclass(frozen=True)
class GroupKind:
    """A kind of group members belong to (界别, 专委会 …): its groups and who is in one.

    Other apps add kinds through the ``member_groups`` hook (the stations add 联络站 and 工作室)."""

    key: str
    label: str
    choices: list[tuple[int, str]]
    members_q: Callable[[int], Q]


# Groups that need no id: every member of the current term, the 常委.
WHOLE_GROUPS = {"term": "本届全体委员", "standing": "全体常委"}


def member_group_kinds() -> list[GroupKind]:
    kinds = [
        GroupKind("sector", "界别", list(Sector.objects.values_list("id", "name")), lambda pk: Q(sector_id=pk)),
        GroupKind(
            "committee",
            "专委会",
            list(Committee.objects.values_list("id", "name")),
            lambda pk: Q(committee_memberships__committee_id=pk),
        ),
        GroupKind(
            "group",
            "界别活动组",
            list(ActivityGroup.objects.filter(is_active=True).values_list("id", "name")),
            lambda pk: Q(group_memberships__group_id=pk),
        ),
    ]
    for fn in get_hooks("member_groups"):
        kinds.extend(fn())
    return kinds


def member_group_choices(kinds: list[GroupKind] | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The picker's options, grouped by kind: keys such as ``"sector:3"``, ``"standing"``."""
    choices = [("整体", list(WHOLE_GROUPS.items()))]
    for kind in member_group_kinds() if kinds is None else kinds:
        choices.append((kind.label, [(f"{kind.key}:{pk}", name) for pk, name in kind.choices]))
    return choices


def _group_q(key: str, kinds: dict[str, GroupKind]) -> Q | None:
    if key == "term":
        term = Term.current()
        return Q(terms=term) if term else Q()
    if key == "standing":
        return Q(position__is_standing_committee=True)
    kind_key, _, pk = key.partition(":")
    if kind_key not in kinds or not pk.isdigit():
        return None
    return kinds[kind_key].members_q(int(pk))


def members_in_groups(keys: Iterable[str], kinds: list[GroupKind] | None = None) -> QuerySet[Member]:
    """The active members in any of the groups ``keys`` names, each once, in roster order.
    An unknown key names nobody. ``kinds``: ``member_group_kinds()`` if already read."""
    kinds = {kind.key: kind for kind in (member_group_kinds() if kinds is None else kinds)}
    condition = Q(pk__in=[])
    for key in keys:
        q = _group_q(key, kinds)
        if q is not None:
            condition |= Q(pk__in=Member.objects.filter(q).values("pk"))
    return (
        Member.objects.active()
        .filter(condition)
        .select_related("sector", "position", "user")
        .order_by("position__rank", "name", "id")
    )


def group_labels(keys: Iterable[str]) -> list[str]:
    names = {key: label for _kind, options in member_group_choices() for key, label in options}
    return [names[key] for key in keys if key in names]


# --- Committee and activity-group workspaces --------------------------------------------------


def committees_overview() -> QuerySet[Committee]:
    return Committee.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__member__status=MemberStatus.ACTIVE), distinct=True),
        group_count=Count("activity_groups", distinct=True),
    ).order_by("order", "name")


def activity_groups_overview() -> QuerySet[ActivityGroup]:
    return (
        ActivityGroup.objects.filter(is_active=True)
        .select_related("committee")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__member__status=MemberStatus.ACTIVE), distinct=True)
        )
        .order_by("order", "name")
    )


ROSTER_SHOWN = 60


@dataclass(frozen=True)
class Roster:
    """A workspace's people: every leader, the first ``ROSTER_SHOWN`` members (by position and
    name) and how many members there are; the registry, filtered by ``filter_param``, lists all."""

    leaders: list
    members: list
    member_count: int
    filter_param: str
    filter_value: int

    @property
    def total(self) -> int:
        return len(self.leaders) + self.member_count

    @property
    def more(self) -> int:
        return self.member_count - len(self.members)


def _roster(rows: QuerySet, roles: type, filter_param: str, filter_value: int) -> Roster:
    order = {role: index for index, role in enumerate(roles)}
    rows = rows.filter(member__status=MemberStatus.ACTIVE)
    members = rows.filter(role=roles.MEMBER)
    leaders = rows.exclude(role=roles.MEMBER).select_related("member__sector", "member__position")
    shown = members.select_related("member").annotate(rank=Coalesce("member__position__rank", 999))
    return Roster(
        leaders=sorted(leaders, key=lambda row: (order.get(row.role, 99), _rank(row.member), row.member.name)),
        members=list(shown.order_by("rank", "member__name", "member_id")[:ROSTER_SHOWN]),
        member_count=members.count(),
        filter_param=filter_param,
        filter_value=filter_value,
    )


def committee_roster(committee: Committee) -> Roster:
    """Active members, leaders first (主任, 副主任), then by position and name."""
    return _roster(committee.memberships.all(), CommitteeRole, "committee", committee.pk)


def activity_group_roster(group: ActivityGroup) -> Roster:
    return _roster(group.memberships.all(), GroupRole, "group", group.pk)


def _rank(member: Member) -> int:
    return member.position.rank if member.position else 999


def year_plan(
    *, year: int, committee: Committee | None = None, group: ActivityGroup | None = None
) -> GroupYearPlan | None:
    plans = GroupYearPlan.objects.filter(year=year)
    return plans.filter(committee=committee).first() if committee else plans.filter(activity_group=group).first()


@dataclass(frozen=True)
class Workspace:
    """A 专委会's or an 活动组's page, as the ``workspace_panels`` hook sees it.

    ``committee_id`` is the committee whose sessions, research and inspections the page lists:
    the committee itself, or an 活动组's 对口专委会."""

    committee: Committee | None
    group: ActivityGroup | None
    year: int

    @property
    def name(self) -> str:
        return str(self.committee or self.group)

    @property
    def committee_id(self) -> int | None:
        return self.committee.pk if self.committee else self.group.committee_id

    def member_ids(self) -> QuerySet:
        if self.committee:
            return CommitteeMembership.objects.filter(committee=self.committee).values("member_id")
        return ActivityGroupMembership.objects.filter(group=self.group).values("member_id")


def standing_committee_members() -> QuerySet[Member]:
    """常委会组成人员 in office (chair, vice-chairs, secretary-general and 常委)."""
    return Member.objects.active().filter(position__is_standing_committee=True).select_related("user")
