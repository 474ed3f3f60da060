"""Reads: proposals already shaped for their page and filtered to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from cppcc_portal.roles import is_member, is_proposer_org_user, is_unit_user
from members.models import Organization, User

from .enums import (
    ACTIVE_ASSIGNMENT_STATES,
    PRIVATE_DRAFT_STATES,
    REGISTERED_STATES,
    REPLYING_KINDS,
    AssignmentKind,
    AssignmentState,
    ProposalState,
    ReplyClass,
    SignerStatus,
)
from .models import (
    Assignment,
    Attachment,
    Evaluation,
    KeyCandidate,
    KeySelection,
    Proposal,
    ProposalEvent,
    ProposalSettings,
    Signer,
)
from .permissions import sees_all_proposals


def visible_proposals(user: User) -> QuerySet[Proposal]:
    """Every proposal ``user`` may open (mirrors ``proposals.see_proposal``), without joins that duplicate rows."""
    queryset = Proposal.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    never_submitted = Q(state__in=PRIVATE_DRAFT_STATES, submitted_at__isnull=True)
    if sees_all_proposals(user):
        return queryset.exclude(never_submitted & ~Q(filed_by=user))
    if is_proposer_org_user(user):  # its own organisation's proposals, drafts included
        return queryset.filter(proposer_org_id=user.organization_id)
    if is_member(user):
        member = user.member
        # One ``pk IN (a UNION of the member's few ids)`` rather than ORed conditions: the planner
        # sees a small set and fetches those rows, instead of walking a district's proposals in
        # list order to find the member's handful.
        # (SQLite refuses ORDER BY inside a UNION's parts: the models' default orderings are dropped.)
        # A collective proposal stays the organisation's until submitted: not its contact members'.
        authored = Proposal.objects.filter(author=member).exclude(never_submitted & Q(proposer_org__isnull=False))
        authored = authored.order_by().values("pk")
        signed = (
            Signer.objects.filter(member=member)
            .exclude(status=SignerStatus.DECLINED)
            .exclude(
                proposal__state__in=PRIVATE_DRAFT_STATES,
                proposal__submitted_at__isnull=True,
                proposal__proposer_org__isnull=False,
            )
            .order_by()
        )
        merged = Proposal.objects.filter(author=member, merged_into__isnull=False).order_by()
        mine = Q(pk__in=authored.union(signed.values("proposal_id"), merged.values("merged_into_id")))
        if ProposalSettings.get().members_see_registered:
            mine |= Q(state__in=REGISTERED_STATES)
        return queryset.filter(mine)
    if is_unit_user(user):
        return queryset.filter(
            Exists(
                Assignment.objects.filter(proposal=OuterRef("pk"), unit_id=user.organization_id).exclude(
                    state=AssignmentState.REASSIGNED
                )
            )
        )
    return queryset.none()


def overdue_q(today: date) -> Q:
    return Q(state=ProposalState.SUBMITTED, review_due__lt=today) | Q(
        Exists(
            Assignment.objects.filter(proposal=OuterRef("pk")).filter(
                Q(state=AssignmentState.PENDING_ACCEPT, accept_due__lt=today)
                | Q(state__in=[AssignmentState.ACCEPTED, AssignmentState.REASSIGN_REQUESTED], handling_due__lt=today)
                | Q(state=AssignmentState.RE_HANDLING, rehandling_due__lt=today)
            )
        )
    )


# Long text a list row never shows: not fetched for lists and the list export.
LIST_DEFERRED = ("background", "suggestions", "keywords", "return_reason", "reject_note", "close_note")
ASSIGNMENT_LIST_DEFERRED = (
    "reassign_reason",
    "co_views",
    "reply_text",
    "withhold_reason",
    "implemented_note",
    "quality_comment",
)


# What a list row prints (and the list's order): everything else of the proposal and of the rows
# it joins stays in the database.
LIST_FIELDS = (
    "number",
    "title",
    "collective_name",
    "state",
    "is_key",
    "is_excellent",
    "submitted_at",
    "created_at",
    "session__short_name",
    "category__name",
    "author__name",
)


def with_list_relations(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return (
        queryset.select_related("session", "category", "author")
        .only("session", "category", "author", *LIST_FIELDS)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit")
                .only("proposal", "unit", "kind", "unit__name", "unit__short_name")
                .exclude(state=AssignmentState.REASSIGNED),
            )
        )
    )


def proposal_list(*, user: User, params) -> QuerySet[Proposal]:
    """The list page: visible proposals filtered by ``params`` (a QueryDict). Constant queries."""
    queryset = visible_proposals(user)
    state = params.get("state", "").strip()
    if state in ProposalState.values:
        queryset = queryset.filter(state=state)
    for param, lookup in (("category", "category_id"), ("session", "session_id")):
        value = params.get(param, "").strip()
        if value.isdigit():
            queryset = queryset.filter(**{lookup: value})
    unit = params.get("unit", "").strip()
    if unit.isdigit():
        queryset = queryset.filter(
            Exists(
                Assignment.objects.filter(proposal=OuterRef("pk"), unit_id=unit).exclude(
                    state=AssignmentState.REASSIGNED
                )
            )
        )
    if params.get("key"):
        queryset = queryset.filter(is_key=True)
    if params.get("excellent"):
        queryset = queryset.filter(is_excellent=True)
    if params.get("overdue"):
        queryset = queryset.filter(overdue_q(timezone.localdate()))
    query = params.get("q", "").strip()
    if query:
        queryset = queryset.filter(
            Q(title__icontains=query) | Q(number__icontains=query) | Q(author__name__icontains=query)
        )
    return with_list_relations(queryset).order_by("-created_at", "-id")


def proposal_detail_queryset() -> QuerySet[Proposal]:
    """One proposal with everything its page shows, in a fixed number of queries."""
    return Proposal.objects.select_related(
        "session__term",
        "category",
        "author__sector",
        "author__user",
        "filed_by",
        "head_confirmed_by",
        "key_leader",
        "merged_into",
        "reject_reason",
        "public_opinion",
    ).prefetch_related(
        Prefetch("signers", queryset=Signer.objects.select_related("member__user")),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("unit", "signed_by", "drafted_by").prefetch_related(
                Prefetch("evaluations", queryset=Evaluation.objects.select_related("member")),
                "extension_requests",
                "contacts",
                Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
            ),
        ),
        Prefetch("attachments", queryset=Attachment.objects.filter(assignment__isnull=True)),
        Prefetch("events", queryset=ProposalEvent.objects.select_related("actor")),
        "supervisions",
        "leading_officials",
        Prefetch("merged_children", queryset=Proposal.objects.select_related("author")),
        "suggested_units",
    )


def proposal_action_queryset() -> QuerySet[Proposal]:
    """One proposal as its action pages and its edit form read it: the rows its permission rules
    and workflow guards read (co-signers, units' parts with their ratings and extension requests,
    merged proposals: ``services.door.PREFETCH``), each unit's name (the part's choice) and the
    proposer's. Not the timeline, files, supervision or letters the detail page lists: loading
    those cost every action page (and every refusal) most of its time. What one form alone reads
    (suggested units, leading officials, the collective's organisation) it reads when it does."""
    return (
        Proposal.objects.select_related("author", "filed_by")
        .defer("keywords", "form_token")
        .prefetch_related(
            Prefetch("signers", queryset=Signer.objects.only("proposal", "member", "role", "status", "order")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit").prefetch_related(
                    "evaluations", "extension_requests"
                ),
            ),
            Prefetch("merged_children", queryset=Proposal.objects.only("author", "merged_into")),
        )
    )


# What the detail page prints of a person: ``User.display_name``'s fields.
USER_NAME_FIELDS = ("name", "first_name", "last_name", "username")
# A proposal's columns its page never reads: the similarity keywords and the form's token.
PAGE_DEFERRED = ("keywords", "form_token")
# An assignment's draft (its signer reads it on the reply form) and the letterhead entries the
# letter prints: not on the detail page.
ASSIGNMENT_PAGE_DEFERRED = ("draft_text", "draft_withhold_reason", "letter_contact", "letter_phone", "letter_cc")


def _names(relation: str, fields=USER_NAME_FIELDS) -> list[str]:
    return [f"{relation}__{name}" for name in fields]


def proposal_page_queryset() -> QuerySet[Proposal]:
    """The detail page's proposal in one query: its own columns (less ``PAGE_DEFERRED``) and, of the
    rows it joins, only what the page prints and the rules read (``filed_by``'s organisation, the
    first proposer's account id). Its lists come with ``proposal_page_relations``."""
    own = [f.name for f in Proposal._meta.concrete_fields if f.name not in PAGE_DEFERRED]
    return Proposal.objects.select_related(
        "session",
        "category",
        "author__sector",
        "filed_by",
        "head_confirmed_by",
        "key_leader",
        "merged_into",
        "reject_reason",
    ).only(
        *own,
        "session__short_name",
        "category__name",
        "author__name",
        "author__mobile",
        "author__user",
        "author__sector__name",
        *_names("filed_by"),
        "filed_by__organization",
        *_names("head_confirmed_by"),
        *_names("key_leader"),
        "merged_into__number",
        "merged_into__title",
        "reject_reason__text",
    )


def proposal_page_relations(proposal: Proposal) -> list[Attachment]:
    """Fetch what the detail page lists of ``proposal`` (and its permission rules read: co-signers,
    units, merged proposals); returns the proposal's own files. Every attachment, the
    proposal's and the reply letters', comes in one query; each assignment's are in ``reply_files``.
    Leading officials are read for a key proposal only (the page shows them for no other)."""
    lookups = [
        Prefetch("signers", queryset=Signer.objects.select_related("member").only(*SIGNER_PAGE_FIELDS)),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("unit", "signed_by", "drafted_by")
            .defer(*ASSIGNMENT_PAGE_DEFERRED)
            .only(
                *[f.name for f in Assignment._meta.concrete_fields if f.name not in ASSIGNMENT_PAGE_DEFERRED],
                "unit__name",
                *_names("signed_by"),
                *_names("drafted_by"),
            )
            .prefetch_related(
                Prefetch(
                    "evaluations", queryset=Evaluation.objects.select_related("member").only(*EVALUATION_PAGE_FIELDS)
                ),
                "extension_requests",
                "contacts",
            ),
        ),
        Prefetch("events", queryset=ProposalEvent.objects.select_related("actor").only(*EVENT_PAGE_FIELDS)),
        "supervisions",
        Prefetch(
            "merged_children",
            queryset=Proposal.objects.select_related("author").only("title", "merged_into", "author", "author__name"),
        ),
        Prefetch("suggested_units", queryset=Organization.objects.only("name")),
    ]
    if proposal.is_key:
        lookups.append("leading_officials")
    prefetch_related_objects([proposal], *lookups)
    files = list(
        Attachment.objects.filter(proposal=proposal)
        .only("proposal", "assignment", "original_name", "size", "created_at")
        .order_by("id")
    )
    for assignment in proposal.assignments.all():
        assignment.reply_files = [f for f in files if f.assignment_id == assignment.pk]
    return sorted((f for f in files if f.assignment_id is None), key=lambda f: (f.created_at, f.pk))


SIGNER_PAGE_FIELDS = ("proposal", "member", "role", "status", "order", "member__name")
EVALUATION_PAGE_FIELDS = (
    "assignment",
    "member",
    "role",
    "round",
    "attitude",
    "satisfaction",
    "met_in_person",
    "comment",
    "member__name",
)
EVENT_PAGE_FIELDS = (
    "proposal",
    "action",
    "label",
    "actor",
    "from_state",
    "to_state",
    "note",
    "created_at",
    *_names("actor"),
)


def review_queue() -> QuerySet[Proposal]:
    """Submitted proposals, oldest first, with their review due date."""
    return (
        Proposal.objects.filter(state=ProposalState.SUBMITTED)
        .select_related("author", "category", "session")
        .defer(*LIST_DEFERRED)
        .order_by("submitted_at", "id")
    )


def followup_assignments(user: User) -> QuerySet[Assignment]:
    """B-class replies not yet implemented (跟踪落实)."""
    assignments = Assignment.objects.filter(reply_class=ReplyClass.B, implemented_at__isnull=True)
    if not sees_all_proposals(user):
        # (Whoever sees every submitted proposal sees every assigned one: only submitted proposals
        # are ever handed to units, so the visibility subquery would only cost a join.)
        assignments = assignments.filter(proposal__in=visible_proposals(user))
    return (
        assignments.select_related("proposal", "unit")
        .defer(*ASSIGNMENT_LIST_DEFERRED, "draft_text", *(f"proposal__{name}" for name in LIST_DEFERRED))
        .order_by("followup_due", "id")
    )


def unit_open_assignments(user: User) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(unit_id=user.organization_id, state__in=ACTIVE_ASSIGNMENT_STATES)
        .select_related("proposal")
        .order_by("accept_due", "id")
    )


# pg_trgm finds ``LIKE '%x%'`` in its index only when x has three characters or more.
TRIGRAM_LENGTH = 3


def public_proposals(params) -> QuerySet[Proposal]:
    """Closed proposals whose proposer agreed to publication and every one of whose replies may be
    published: one unit withholding its reply keeps the whole proposal off the public pages
    (no contact data either way)."""
    replies = Assignment.objects.filter(proposal=OuterRef("pk")).exclude(reply_text="")
    replies = replies.exclude(state=AssignmentState.REASSIGNED)
    published = replies.filter(publishable=True)
    queryset = Proposal.objects.filter(state=ProposalState.CLOSED, publish_consent=True)
    queryset = queryset.filter(Exists(published)).exclude(Exists(replies.filter(publishable=False)))
    query = params.get("q", "").strip()
    if len(query) >= TRIGRAM_LENGTH:
        # The proposals whose 案由 or 编号 match, with those a published reply of matches: each side
        # read from its trigram index (migration 0021), then joined to the public ones.
        titled = Proposal.objects.filter(Q(title__icontains=query) | Q(number__icontains=query))
        replied = Assignment.objects.filter(publishable=True, reply_text__icontains=query)
        replied = replied.exclude(reply_text="").exclude(state=AssignmentState.REASSIGNED)
        matching = titled.order_by().values("pk").union(replied.order_by().values("proposal_id"))
        queryset = queryset.filter(pk__in=matching)
    elif query:
        # Too short for a trigram: the same matches, checked on each public proposal (案由 and 编号
        # from proposal_public_idx). Without letters (汉字, digits) case cannot matter, and the plain
        # LIKE spares upper-casing every reply.
        lookup = "icontains" if query.lower() != query.upper() else "contains"
        queryset = queryset.filter(
            Q(**{f"title__{lookup}": query})
            | Q(**{f"number__{lookup}": query})
            | Q(Exists(published.filter(**{f"reply_text__{lookup}": query})))
        )
    return (
        queryset.select_related("session", "category", "author")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(publishable=True)
                .exclude(state=AssignmentState.REASSIGNED)
                .exclude(reply_text="")
                .select_related("unit")
                .order_by("kind", "id"),
                to_attr="published_replies",
            )
        )
        .order_by("-closed_at", "-id")
    )


# What /public/proposals/ shows of each proposal (its replies come from the prefetch).
PUBLIC_LIST_FIELDS = ("id", "number", "title", "collective_name", "closed_at", "category__name", "author__name")


# What it shows of each published reply.
PUBLIC_REPLY_FIELDS = ("proposal_id", "kind", "reply_class", "reply_text", "unit__name")


def public_proposal_list(params) -> QuerySet[Proposal]:
    """``public_proposals`` with only the columns the public list shows, of the proposals and of
    their published replies."""
    replies = (
        Assignment.objects.filter(publishable=True)
        .exclude(state=AssignmentState.REASSIGNED)
        .exclude(reply_text="")
        .select_related("unit")
        .only(*PUBLIC_REPLY_FIELDS)
        .order_by("kind", "id")
    )
    return (
        public_proposals(params)
        .select_related(None)
        .select_related("category", "author")
        .only(*PUBLIC_LIST_FIELDS)
        .prefetch_related(None)
        .prefetch_related(Prefetch("assignments", queryset=replies, to_attr="published_replies"))
    )


def merge_targets(proposal: Proposal) -> QuerySet[Proposal]:
    """What ``proposal`` may be merged into (并案): another registered proposal of its session."""
    return (
        Proposal.objects.filter(session_id=proposal.session_id, state__in=REGISTERED_STATES)
        .exclude(pk=proposal.pk)
        .order_by("sequence", "pk")
    )


# What a row of /proposals/review/ prints (and its tick box's version); the queue's in submission
# order, the awaiting list's by number.
REVIEW_ROW_FIELDS = ("version", "title", "collective_name", "category", "author", "category__name", "author__name")


def review_queue_rows() -> QuerySet[Proposal]:
    """``review_queue`` with only what its page's rows print."""
    return (
        review_queue()
        .select_related(None)
        .select_related("author", "category")
        .only(*REVIEW_ROW_FIELDS, "submitted_at", "period", "review_due")
    )


def awaiting_assignment() -> QuerySet[Proposal]:
    """Registered proposals not yet handed to any unit, in number order (the 交办会 list), with
    only what its rows print."""
    return (
        Proposal.objects.filter(state=ProposalState.REGISTERED)
        .select_related("author", "category")
        .only(*REVIEW_ROW_FIELDS, "number")
        .prefetch_related(Prefetch("suggested_units", queryset=Organization.objects.only("name")))
        .order_by("session_id", "sequence", "id")
    )


def handover_units(session) -> list:
    """Units with proposals of ``session``: how many as lead (or split) and as co-unit.

    Counted over the session's assignments only (grouped by unit, with the unit's name joined in):
    starting from every unit and joining all assignments would scan the whole history. One query,
    whether or not the session has any (a second one for the units ran only when there were some)."""
    counts = (
        Assignment.objects.filter(proposal__session=session)
        .exclude(state=AssignmentState.REASSIGNED)
        .values("unit_id", "unit__name", "unit__order")
        .annotate(
            replying=Count("id", filter=Q(kind__in=REPLYING_KINDS)),
            co=Count("id", filter=Q(kind=AssignmentKind.CO)),
        )
        .filter(Q(replying__gt=0) | Q(co__gt=0))
        .order_by("unit__order", "unit__name")
    )
    units = []
    for row in counts:
        unit = Organization(pk=row["unit_id"], name=row["unit__name"], order=row["unit__order"])
        unit.replying, unit.co = row["replying"], row["co"]
        units.append(unit)
    return units


def handover_assignments(*, unit, session) -> QuerySet[Assignment]:
    """One unit's part in ``session`` (its 交办单): lead, split and co roles, by proposal number,
    each with the other units sharing the proposal."""
    return (
        Assignment.objects.filter(unit=unit, proposal__session=session)
        .exclude(state=AssignmentState.REASSIGNED)
        .select_related("proposal__author", "proposal__category", "proposal__session")
        .prefetch_related(
            Prefetch(
                "proposal__assignments",
                queryset=Assignment.objects.exclude(state=AssignmentState.REASSIGNED).select_related("unit"),
            )
        )
        .order_by("proposal__sequence", "proposal_id")
    )


def session_registered(session) -> QuerySet[Proposal]:
    """Registered proposals of a session, by number, with what the 目录 and 汇编 print."""
    return (
        Proposal.objects.filter(session=session, state__in=REGISTERED_STATES)
        .select_related("author__sector", "category", "session")
        .prefetch_related(
            Prefetch("signers", queryset=Signer.objects.select_related("member")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(state=AssignmentState.REASSIGNED)
                .select_related("unit")
                .order_by("kind", "id"),
            ),
        )
        .order_by("sequence", "id")
    )


# --- 提案办理协商会: what the consultations app reads -------------------------------------------------


def proposals_matching(term: str, *, limit: int = 10) -> list[Proposal]:
    """Submitted proposals whose number is ``term``, or whose title contains it (staff pick them by
    number or 案由 for a 提案办理协商会; the consultations service refuses those not registered)."""
    term = term.strip()
    if not term:
        return []
    filed = Proposal.objects.exclude(state__in=PRIVATE_DRAFT_STATES, submitted_at__isnull=True)
    exact = list(filed.filter(number=term)[:1])
    if exact:
        return exact
    return list(filed.filter(title__icontains=term).select_related("session").order_by("-session__year", "-pk")[:limit])


def consultation_invitees(proposal_ids) -> tuple[list, list[Organization]]:
    """Who a 提案办理协商会 on these proposals invites: their first proposers (members) and the units
    handling them (a reassigned unit no longer does)."""
    proposals = Proposal.objects.filter(pk__in=list(proposal_ids)).select_related("author")
    members = list({p.author_id: p.author for p in proposals}.values())
    units = list(
        Organization.objects.filter(
            pk__in=Assignment.objects.filter(proposal_id__in=list(proposal_ids))
            .exclude(state=AssignmentState.REASSIGNED)
            .values("unit_id")
        ).order_by("pk")
    )
    return members, units


# --- 重点提案遴选 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyShare:
    """The candidates' (or key proposals') share of the session's registered proposals against the norm."""

    count: int
    registered: int
    low: int
    high: int

    @property
    def percent(self) -> float:
        return round(100 * self.count / self.registered, 1) if self.registered else 0.0

    @property
    def warning(self) -> str:
        if not self.registered:
            return "本会次尚无立案提案。"
        if self.percent < self.low:
            return f"占立案提案的{self.percent}%，低于{self.low}%–{self.high}%的常规比例。"
        if self.percent > self.high:
            return f"占立案提案的{self.percent}%，高于{self.low}%–{self.high}%的常规比例。"
        return ""


def key_share(session, count: int) -> KeyShare:
    settings = ProposalSettings.get()
    registered = Proposal.objects.filter(session=session, state__in=REGISTERED_STATES).count()
    return KeyShare(count, registered, settings.key_share_min, settings.key_share_max)


def key_selections() -> QuerySet[KeySelection]:
    """The selection rounds, newest first, with their candidate and chosen counts."""
    return (
        KeySelection.objects.select_related("session", "decided_by")
        .annotate(
            candidate_count=Count("candidates"),
            chosen_count=Count("candidates", filter=Q(candidates__chosen=True)),
        )
        .order_by("-opened_at", "-id")
    )


def key_candidates(selection: KeySelection) -> QuerySet[KeyCandidate]:
    return (
        selection.candidates.select_related(
            "proposal__author", "proposal__category", "proposal__key_leader", "nominated_by"
        )
        .prefetch_related(
            Prefetch(
                "proposal__assignments",
                queryset=Assignment.objects.exclude(state=AssignmentState.REASSIGNED).select_related("unit"),
            ),
            "proposal__leading_officials",
        )
        .order_by("proposal__sequence", "pk")
    )


def key_nominable(selection: KeySelection) -> QuerySet[Proposal]:
    """Registered proposals of the round's session that are neither key nor already its candidates."""
    return (
        Proposal.objects.filter(session_id=selection.session_id, state__in=REGISTERED_STATES, is_key=False)
        .exclude(key_candidacies__selection=selection)
        .only("pk", "number", "title", "sequence")
        .order_by("sequence", "pk")
    )


def session_key_proposals(session) -> QuerySet[Proposal]:
    """A session's key proposals with what the 重点提案办理情况 report prints."""
    return (
        Proposal.objects.filter(session=session, is_key=True)
        .select_related("author", "category", "key_leader", "session")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(state=AssignmentState.REASSIGNED)
                .select_related("unit", "signed_by")
                .order_by("kind", "id"),
            ),
            "leading_officials",
            "supervisions",
        )
        .order_by("sequence", "id")
    )
