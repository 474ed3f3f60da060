"""Reads, already joined and filtered to what the user may see."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cppcc_portal.roles import in_general_office, sees_everything
from members.models import Member, Organization
from members.permissions import committees_served, in_a_committee_office

from .enums import Moderation, RsvpStatus
from .models import (
    AdoptionFeedback,
    CalendarToken,
    Delivery,
    Inspection,
    Instruction,
    Invitation,
    OnlinePost,
    OnlineTopic,
    Outcome,
    ResearchProject,
    Session,
    SessionOfficial,
    Speech,
    Suggestion,
    SupervisionTopic,
    SupervisorAppointment,
    Topic,
)
from .permissions import sees_consultations
from .workflow import ChainFacts, derive_stage, is_late


def visible_sessions(user) -> QuerySet[Session]:
    """Sessions this user may see: everything for staff and leaders; invited or public for others."""
    queryset = Session.objects.select_related("form", "organiser", "topic")
    if sees_everything(user):
        return queryset
    member = getattr(user, "member", None)
    condition = Q(pk__in=[])
    if in_general_office(user):  # the 办公室 runs the sessions no committee runs
        condition |= Q(organiser__isnull=True)
    if in_a_committee_office(user):
        served = committees_served(user)
        condition |= Q(organiser_id__in=served) | Q(committees__in=served)
    if member is not None and user.has_perm("consultations.browse_sessions"):
        condition |= Q(is_public=True) | Q(invitations__member=member)
    if user.organization_id:
        condition |= Q(officials__organization_id=user.organization_id)
    return queryset.filter(pk__in=Session.objects.filter(condition).values("pk"))


def sessions_for_index(user, *, now=None) -> tuple[list[Session], list[Session]]:
    """Upcoming (soonest first) and past (latest first, 30 at most), with the user's own invitation."""
    now = now or timezone.now()
    member = getattr(user, "member", None)
    # Counted by subqueries, for the sessions shown only: grouping every visible session's join with its
    # invitations took 55 ms at scale for the 30 past ones shown.
    invitations = Invitation.objects.filter(session=OuterRef("pk"))
    queryset = visible_sessions(user).annotate(
        invited_count=_count(invitations),
        attending_count=_count(invitations.filter(status=RsvpStatus.ATTENDING)),
    )
    if member is not None:
        queryset = queryset.prefetch_related(
            Prefetch("invitations", queryset=Invitation.objects.filter(member=member), to_attr="my_invitations")
        )
    upcoming = list(queryset.filter(ends_at__gt=now).order_by("starts_at"))
    past = list(queryset.filter(ends_at__lte=now).order_by("-starts_at")[:30])
    for session in upcoming + past:
        session.my_invitation = (getattr(session, "my_invitations", None) or [None])[0]
    return upcoming, past


def session_detail(pk: int) -> Session:
    return (
        Session.objects.select_related("form", "organiser", "topic", "created_by")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("member__position", "member__sector", "member__user"),
            ),
            Prefetch("officials", queryset=SessionOfficial.objects.select_related("organization")),
            "outsiders",
            "materials",
            Prefetch("speeches", queryset=Speech.objects.select_related("member")),
            "outcomes",
            "proposals",
            "committees",
        )
        .get(pk=pk)
    )


def sessions_for_proposal(proposal_id: int) -> QuerySet[Session]:
    """The 提案办理协商会 that took up this proposal, newest first."""
    return Session.objects.filter(proposals__pk=proposal_id).select_related("form").order_by("-starts_at", "-pk")


def pending_invitations(member: Member, *, now=None) -> QuerySet[Invitation]:
    now = now or timezone.now()
    return (
        Invitation.objects.filter(member=member, status=RsvpStatus.PENDING, session__ends_at__gt=now)
        .select_related("session", "session__form")
        .order_by("session__starts_at")
    )


def pending_leave_requests() -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(status=RsvpStatus.LEAVE_REQUESTED, session__ends_at__gt=timezone.now())
        .select_related("session", "member")
        .order_by("session__starts_at")
    )


def member_sessions_for_feed(member: Member) -> QuerySet[Session]:
    return (
        Session.objects.filter(invitations__member=member)
        .exclude(invitations__member=member, invitations__status__in=[RsvpStatus.DECLINED, RsvpStatus.LEAVE_APPROVED])
        .select_related("form")
        .distinct()
        .order_by("starts_at")
    )


def calendar_token_for(user) -> CalendarToken:
    token, _ = CalendarToken.objects.get_or_create(user=user)
    return token


# --- Plan and the chain -----------------------------------------------------------


def topics_with_chain(queryset: QuerySet[Topic] | None = None, *, now=None) -> QuerySet[Topic]:
    """Topics annotated with the facts the chain stage is derived from (constant queries)."""
    now = now or timezone.now()
    queryset = queryset if queryset is not None else Topic.objects.all()
    outcomes = Outcome.objects.filter(topic=OuterRef("pk"))
    return (
        queryset.select_related("plan", "form", "lead_committee")
        .prefetch_related("departments")
        .annotate(
            f_research=Exists(ResearchProject.objects.filter(topic=OuterRef("pk"))),
            f_held=Exists(Session.objects.filter(topic=OuterRef("pk"), starts_at__lte=now)),
            f_outcome=Exists(outcomes),
            f_delivery=Exists(Delivery.objects.filter(outcome__topic=OuterRef("pk"))),
            f_feedback=Exists(Instruction.objects.filter(outcome__topic=OuterRef("pk")))
            | Exists(AdoptionFeedback.objects.filter(suggestion__outcome__topic=OuterRef("pk"))),
            f_unanswered=Exists(outcomes.filter(feedback_completed_on__isnull=True)),
            next_session_at=Session.objects.filter(topic=OuterRef("pk")).order_by("starts_at").values("starts_at")[:1],
        )
    )


def chain_facts(topic: Topic) -> ChainFacts:
    if not hasattr(topic, "f_research"):
        topic = topics_with_chain(Topic.objects.filter(pk=topic.pk)).get()
    return ChainFacts(
        has_research=topic.f_research,
        has_held_session=topic.f_held,
        has_outcome=topic.f_outcome,
        has_delivery=topic.f_delivery,
        has_feedback=topic.f_feedback,
        all_outcomes_answered=not topic.f_unanswered,
    )


def annotate_stage(topics, *, today: date | None = None) -> list[Topic]:
    today = today or timezone.localdate()
    topics = list(topics)
    for topic in topics:
        topic.stage = derive_stage(chain_facts(topic))
        topic.late = is_late(stage=topic.stage, quarter_ends_on=topic.quarter_ends_on, today=today)
    return topics


def plan_topics(plan) -> list[Topic]:
    return annotate_stage(topics_with_chain(plan.topics.all()))


# --- Outcomes -----------------------------------------------------------------------


def outcome_detail(pk: int) -> Outcome:
    return (
        Outcome.objects.select_related("topic", "session")
        .prefetch_related(
            Prefetch(
                "suggestions",
                queryset=Suggestion.objects.prefetch_related(
                    "departments",
                    Prefetch("feedback", queryset=AdoptionFeedback.objects.select_related("organization")),
                ),
            ),
            "deliveries",
            "instructions",
        )
        .get(pk=pk)
    )


def outcome_pending_departments(outcome: Outcome) -> QuerySet[Organization]:
    """Departments named on a suggestion that have not yet answered it."""
    named = Suggestion.departments.through.objects.filter(suggestion__outcome=outcome).values_list(
        "suggestion_id", "organization_id"
    )
    answered = set(
        AdoptionFeedback.objects.filter(suggestion__outcome=outcome).values_list("suggestion_id", "organization_id")
    )
    return Organization.objects.filter(pk__in={org for pair in named if pair not in answered for org in pair[1:]})


def outcomes_awaiting_feedback(user=None) -> QuerySet[Outcome]:
    queryset = (
        Outcome.objects.filter(first_sent_on__isnull=False, feedback_completed_on__isnull=True)
        .select_related("topic", "session")
        .annotate(suggestion_count=Count("suggestions", distinct=True))
        .order_by("feedback_due", "id")
    )
    if user is not None and not sees_consultations(user):
        queryset = queryset.filter(suggestions__departments=user.organization_id).distinct()
    return queryset


def outcomes_owed_by(organization_id: int) -> QuerySet[Outcome]:
    """Sent outcomes with a suggestion this department has not answered yet."""
    unanswered = Suggestion.objects.filter(outcome=OuterRef("pk"), departments=organization_id).exclude(
        Exists(AdoptionFeedback.objects.filter(suggestion=OuterRef("pk"), organization=organization_id))
    )
    return Outcome.objects.filter(
        Exists(unanswered), first_sent_on__isnull=False, feedback_completed_on__isnull=True
    ).order_by("feedback_due", "id")


def outcomes_for(user) -> QuerySet[Outcome]:
    queryset = Outcome.objects.select_related("topic", "session").annotate(
        suggestion_count=Count("suggestions", distinct=True)
    )
    if sees_consultations(user) or hasattr(user, "member"):
        return queryset
    return queryset.filter(pk__in=Suggestion.objects.filter(departments=user.organization_id).values("outcome"))


# --- Supervision --------------------------------------------------------------------


def inspections_for(user) -> QuerySet[Inspection]:
    queryset = Inspection.objects.select_related("topic").prefetch_related("departments", "participants")
    if sees_consultations(user) or hasattr(user, "member"):
        return queryset
    return queryset.filter(departments=user.organization_id)


def current_supervisors(on: date | None = None) -> QuerySet[SupervisorAppointment]:
    on = on or timezone.localdate()
    return SupervisorAppointment.objects.select_related("member", "organization").filter(
        starts_on__lte=on, ends_on__gte=on
    )


# --- 网络议政 ---------------------------------------------------------------------------------


def online_topics_for(user) -> QuerySet[OnlineTopic]:
    """Topics this user may see, newest first, with their shown opinions and invitees counted:
    everything for staff and leaders; invited or public ones for members; public ones for others."""
    queryset = OnlineTopic.objects.select_related("topic")
    if not sees_everything(user):
        member = getattr(user, "member", None) if user.is_authenticated else None
        condition = Q(is_public=True)
        if member is not None:
            condition |= Q(pk__in=OnlineTopic.members.through.objects.filter(member=member).values("onlinetopic_id"))
        queryset = queryset.filter(condition)
    shown = OnlinePost.objects.filter(topic=OuterRef("pk"), moderation=Moderation.APPROVED)
    invited = OnlineTopic.members.through.objects.filter(onlinetopic=OuterRef("pk"))
    return queryset.annotate(
        post_count=_count(shown),
        invited_count=_count(invited),
    ).order_by("-opens_at", "-id")


def _count(subquery: QuerySet):
    counted = subquery.order_by().values(group=Value(1)).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def online_threads(topic: OnlineTopic) -> list[OnlinePost]:
    """The shown (approved) top-level opinions, oldest first, each with its shown replies in ``shown_replies``."""
    replies = (
        OnlinePost.objects.filter(moderation=Moderation.APPROVED).select_related("member").order_by("created_at", "id")
    )
    return list(
        topic.posts.filter(parent__isnull=True, moderation=Moderation.APPROVED)
        .select_related("member", "suggestion")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="shown_replies"))
        .order_by("created_at", "id")
    )


def online_moderation_queue(topic: OnlineTopic) -> list[OnlinePost]:
    """Public comments waiting for staff, and those rejected (staff may still approve them)."""
    return list(
        topic.posts.filter(member__isnull=True)
        .exclude(moderation=Moderation.APPROVED)
        .order_by("moderation", "created_at", "id")
    )


def online_summary_posts(topic: OnlineTopic) -> list[OnlinePost]:
    """Every shown opinion for the 意见汇总: adopted ones first, then members', then the public's."""
    posts = topic.posts.filter(moderation=Moderation.APPROVED).select_related("member", "parent__member")
    return sorted(posts, key=lambda p: (p.adopted_at is None, p.member_id is None, p.created_at, p.pk))


def online_awaiting_moderation() -> QuerySet[OnlineTopic]:
    """Topics not yet closed with public comments waiting for staff, with ``pending`` counted."""
    pending = OnlinePost.objects.filter(topic=OuterRef("pk"), moderation=Moderation.PENDING)
    return (
        OnlineTopic.objects.filter(closed_at__isnull=True, is_public=True)
        .annotate(pending=_count(pending))
        .filter(pending__gt=0)
        .order_by("closes_at", "id")
    )


# --- A committee's work (its workspace page) -------------------------------------------------


def committee_work(user, *, committee_id: int, year: int) -> dict[str, list]:
    """The year's sessions, research projects and inspections the committee leads or organises
    jointly, and the plan topics it leads; sessions filtered to what the user may see."""
    sessions = (
        visible_sessions(user)
        .filter(starts_at__year=year)
        .filter(pk__in=Session.objects.filter(Q(organiser_id=committee_id) | Q(committees=committee_id)).values("pk"))
        .order_by("-starts_at", "-id")
    )
    # ``committee_count`` marks joint work (the names are on each page): a count keeps the query
    # count fixed, where a prefetch runs only when a list has rows.
    research = (
        ResearchProject.objects.filter(
            pk__in=ResearchProject.objects.filter(committees=committee_id, starts_on__year=year).values("pk")
        )
        .select_related("lead")
        .annotate(committee_count=Count("committees", distinct=True))
        .order_by("-starts_on", "-id")
    )
    inspections = (
        Inspection.objects.filter(
            pk__in=Inspection.objects.filter(committees=committee_id, inspected_on__year=year).values("pk")
        )
        .annotate(committee_count=Count("committees", distinct=True))
        .order_by("-inspected_on", "-id")
    )
    return {
        "topics": list(Topic.objects.filter(plan__year=year, lead_committee_id=committee_id).select_related("form")),
        "supervision_topics": list(
            SupervisionTopic.objects.filter(plan__year=year, lead_committee_id=committee_id).select_related("form")
        ),
        "sessions": list(sessions.annotate(committee_count=Count("committees", distinct=True))),
        "research": list(research),
        "inspections": list(inspections),
    }
