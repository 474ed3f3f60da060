"""Reads for 社情民意: lists already filtered to what the user may see, in constant queries."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone

from cppcc_portal.roles import is_proposer_org_user, is_unit_user
from liaison_stations.selectors import stations_headed_by
from members.models import User

from ..models import Proposal
from .enums import MicroStatus, OpinionStatus
from .models import (
    HigherAdoption,
    MicroEvent,
    MicroSuggestion,
    OpinionEvent,
    OpinionInstruction,
    OpinionIssue,
    PublicOpinion,
)
from .permissions import sees_all_opinions


def visible_opinions(user) -> QuerySet[PublicOpinion]:
    queryset = PublicOpinion.objects.all()
    if sees_all_opinions(user):  # an organisation's report its head has not confirmed is its own yet
        return queryset.exclude(status=OpinionStatus.AWAITING_HEAD)
    if is_proposer_org_user(user):
        return queryset.filter(organization_id=user.organization_id)
    member = getattr(user, "member", None)
    if member is None or not user.has_perm("proposals.browse_opinions"):
        return queryset.none()
    headed = stations_headed_by(user)
    return queryset.filter(Q(author=member) | Q(station__in=headed) | Q(activity__station__in=headed))


# What a row of /opinions/ prints (and the filters it is read through).
OPINION_ROW_FIELDS = (
    "title",
    "urgent",
    "status",
    "submitted_on",
    "review_due",
    "source_proposal_id",
    "reported_to_party_committee",
    "reported_to_government",
    "reported_to_city_cppcc",
    "author__name",
    "organization__name",
    "station__name",
    "activity__station__name",
)


def opinion_list(*, user, params) -> QuerySet[PublicOpinion]:
    queryset = (
        visible_opinions(user)
        .select_related("author", "organization", "station", "activity__station")
        # Only what a row prints: with every column of six joined tables, grouped to count the
        # instructions, PostgreSQL spent ~90 ms planning each page.
        .only(*OPINION_ROW_FIELDS)
    )
    status = params.get("status", "")
    if status in OpinionStatus.values:
        queryset = queryset.filter(status=status)
    # Explicit: a grouped (annotated) query drops Meta.ordering.
    queryset = queryset.order_by("-submitted_on", "-id")
    if params.get("queue"):
        queryset = queryset.filter(status=OpinionStatus.SUBMITTED).order_by("-urgent", "review_due", "id")
    if params.get("urgent"):
        queryset = queryset.filter(urgent=True)
    if params.get("mine") and getattr(user, "member", None) is not None:
        queryset = queryset.filter(author=user.member)
    query = params.get("q", "").strip()
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(author__name__icontains=query))
    instructions = OpinionInstruction.objects.filter(opinion=OuterRef("pk")).order_by().values("opinion")
    return queryset.annotate(instruction_count=Subquery(instructions.annotate(n=Count("id")).values("n")))


def opinion_for_detail() -> QuerySet[PublicOpinion]:
    """What the detail page and its permission check read of a report, in one narrow query:
    joining every user and proposal it names (ten tables) cost PostgreSQL ~20 ms of planning on
    each view; the rest comes with ``with_opinion_history``."""
    return PublicOpinion.objects.select_related("author", "organization", "station", "activity")


def with_opinion_history(opinion: PublicOpinion) -> PublicOpinion:
    """``opinion`` with what its detail page shows besides: who confirmed and edited it, the
    proposal it came from, its instructions, feedback, issues, higher adoptions and events. A
    link left empty costs no query."""
    # Who confirmed and who edited it: one query for both (either may be empty, or the same person).
    user_ids = {opinion.head_confirmed_by_id, opinion.edited_by_id} - {None}
    users = User.objects.in_bulk(user_ids) if user_ids else {}
    for field in ("head_confirmed_by", "edited_by"):
        user_id = getattr(opinion, f"{field}_id")
        if user_id is not None:
            setattr(opinion, field, users[user_id])
    prefetch_related_objects(
        [opinion],
        "activity__station",
        Prefetch("source_proposal", queryset=Proposal.objects.only("id", "title")),
        "instructions",
        "feedback__department",
        "issues",
        Prefetch("higher_adoptions", queryset=HigherAdoption.objects.order_by("adopted_on")),
        Prefetch("events", queryset=OpinionEvent.objects.select_related("actor")),
    )
    return opinion


def review_queue_counts() -> dict:
    today = timezone.localdate()
    pending = PublicOpinion.objects.filter(status=OpinionStatus.SUBMITTED)
    return pending.aggregate(
        total=Count("id"),
        urgent=Count("id", filter=Q(urgent=True)),
        overdue=Count("id", filter=Q(review_due__lt=today)),
    )


def opinion_counts_by_station(*, year: int) -> dict[int, tuple[int, int]]:
    """(filed, adopted) per station for ``year``: filed in the station's name or from one of its activities."""
    rows = (
        PublicOpinion.objects.filter(submitted_on__year=year)
        .annotate(station_key=Coalesce("station_id", "activity__station_id"))
        .exclude(station_key=None)
        .values_list("station_key")
        .annotate(filed=Count("id"), adopted=Count("id", filter=Q(status=OpinionStatus.ADOPTED)))
        .order_by()
    )
    return {station_id: (filed, adopted) for station_id, filed, adopted in rows}


# --- 社情民意 issues ------------------------------------------------------------------------------


def issue_list(*, params) -> QuerySet[OpinionIssue]:
    queryset = OpinionIssue.objects.annotate(
        opinion_count=Count("opinions", distinct=True), delivery_count=Count("deliveries", distinct=True)
    ).order_by("-year", "-compiled_on", "-id")
    kind = params.get("kind", "")
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def issue_detail(pk: int) -> OpinionIssue:
    return OpinionIssue.objects.prefetch_related(
        Prefetch("opinions", queryset=PublicOpinion.objects.select_related("author", "station").order_by("pk")),
        "deliveries",
    ).get(pk=pk)


def opinions_for_issue() -> QuerySet[PublicOpinion]:
    """Adopted reports not yet carried by an issue, newest decision first."""
    return (
        PublicOpinion.objects.filter(status=OpinionStatus.ADOPTED, issues__isnull=True)
        .select_related("author")
        .order_by("-decided_on", "-id")
    )


# --- 微建议 -----------------------------------------------------------------------------------------


def visible_micro(user) -> QuerySet[MicroSuggestion]:
    queryset = MicroSuggestion.objects.all()
    if sees_all_opinions(user):
        return queryset
    if is_unit_user(user):
        return queryset.filter(unit_id=user.organization_id)  # what is addressed to the unit
    member = getattr(user, "member", None)
    if member is None:
        return queryset.none()
    return queryset.filter(Q(member=member) | Q(station__in=stations_headed_by(user)))


def micro_list(*, user, params) -> QuerySet[MicroSuggestion]:
    queryset = (
        visible_micro(user)
        .select_related("member", "unit", "station")
        .defer("problem", "suggestion", "answer")
        .order_by("-submitted_on", "-id")
    )
    status = params.get("status", "")
    if status in MicroStatus.values:
        queryset = queryset.filter(status=status)
    if params.get("overdue"):
        queryset = queryset.filter(status=MicroStatus.SUBMITTED, answer_due__lt=timezone.localdate())
    query = params.get("q", "").strip()
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(member__name__icontains=query))
    return queryset


def micro_counts(queryset: QuerySet[MicroSuggestion]) -> dict:
    """The board's tallies over what the user may see."""
    today = timezone.localdate()
    return queryset.aggregate(
        total=Count("id"),
        waiting=Count("id", filter=Q(status=MicroStatus.SUBMITTED)),
        overdue=Count("id", filter=Q(status=MicroStatus.SUBMITTED, answer_due__lt=today)),
        answered=Count("id", filter=Q(status=MicroStatus.ANSWERED)),
        raised=Count("id", filter=Q(status__in=[MicroStatus.RAISED_OPINION, MicroStatus.RAISED_PROPOSAL])),
    )


def micro_detail(pk: int) -> MicroSuggestion:
    return (
        MicroSuggestion.objects.select_related("member", "unit", "station", "answered_by", "opinion", "proposal")
        .prefetch_related(Prefetch("events", queryset=MicroEvent.objects.select_related("actor")))
        .get(pk=pk)
    )
