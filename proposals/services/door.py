"""The one door through which every state change of a proposal passes."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, prefetch_related_objects
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, StaleObjectError, TransitionNotAllowed
from cppcc_portal.notifications import notify
from cppcc_portal.roles import Role, SystemActor, person, users_with_role, whole_office_staff
from members.models import User

from ..enums import SignerStatus
from ..models import Assignment, Proposal, ProposalEvent, ProposalNumberCounter, ProposalSettings, Signer
from ..workflow import TRANSITIONS, blocked_reason, candidate_assignments

STALE_MESSAGE = "页面已过期：该提案刚刚已被处理或修改（可能是重复点击）。本次操作未执行，请查看最新状态后再操作。"

PREFETCH = ("signers", "assignments__evaluations", "assignments__extension_requests", "merged_children")

Change = Callable[[Proposal, Assignment | None], str | None]


def lock_proposal(pk: int) -> Proposal:
    """Lock the proposal row for the rest of the transaction, with the relations rules read."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("session__term", "author", "filed_by")
        .get(pk=pk)
    )
    prefetch_related_objects([proposal], *PREFETCH)
    return proposal


def apply_transition(
    *,
    proposal: Proposal | int,
    action: str,
    actor: User | SystemActor,
    version: int | None,
    change: Change,
    assignment: Assignment | int | None = None,
) -> Proposal:
    """Apply one workflow action. Call inside ``transaction.atomic``.

    1. lock the proposal row (``select_for_update``); every change to its
       assignments passes here too, so the proposal lock serialises them;
    2. refuse a stale page: ``version`` (rendered into the form) must match;
    3. check the move against ``workflow.TRANSITIONS`` and the actor's rule
       (``system_actor()`` is the portal itself — the deadline sweep — and says so in history);
    4. run ``change`` (the transition's own side effects, which queue their
       notices through ``notify``; e-mail/SMS leave after commit), check the
       resulting states are targets of the transition, bump the version, save;
    5. write the timeline row (actor, from, to, note, time) in the same transaction.

    ``change`` returns the note for the timeline.
    """
    transition = TRANSITIONS[action]
    proposal = lock_proposal(proposal.pk if isinstance(proposal, Proposal) else proposal)
    if version is not None and proposal.version != version:
        raise StaleObjectError(STALE_MESSAGE)
    if actor is None:
        raise TypeError("apply_transition needs an actor: a user, or system_actor() for the portal itself")
    if not actor.has_perm(transition.perm, proposal):
        raise PermissionDeniedError(f"您无权{transition.label}。")
    reason = blocked_reason(transition, proposal, actor, check_perm=False)
    if reason:
        raise TransitionNotAllowed(reason)

    target_assignment = None
    if transition.on_assignment:
        candidates = candidate_assignments(transition, proposal, actor)
        wanted = assignment.pk if isinstance(assignment, Assignment) else assignment
        if wanted is None and len(candidates) == 1:
            target_assignment = candidates[0]
        else:
            target_assignment = next((a for a in candidates if a.pk == wanted), None)
        if target_assignment is None:
            raise TransitionNotAllowed(f"所选承办事项当前不能{transition.label}，请刷新页面。")

    proposal_from = proposal.state
    assignment_from = target_assignment.state if target_assignment else ""
    note = change(proposal, target_assignment) or ""

    if proposal.state != proposal_from and proposal.state not in transition.targets:
        raise TransitionNotAllowed(f"{transition.label}不能使提案变为该状态。")
    if target_assignment and target_assignment.state != assignment_from:
        if target_assignment.state not in transition.assignment_targets:
            raise TransitionNotAllowed(f"{transition.label}不能使承办事项变为该状态。")
        target_assignment.save()

    proposal.version += 1
    proposal.save()
    if target_assignment:
        record_event(
            proposal,
            action=action,
            label=f"{target_assignment.unit}：{transition.label}",
            actor=actor,
            from_state=assignment_from,
            to_state=target_assignment.state,
            note=note,
            assignment=target_assignment,
        )
        if proposal.state != proposal_from:
            record_event(
                proposal,
                action=f"{action}:proposal",
                label=f"提案{proposal.get_state_display()}",
                actor=actor,
                from_state=proposal_from,
                to_state=proposal.state,
            )
    else:
        record_event(
            proposal,
            action=action,
            label=transition.label,
            actor=actor,
            from_state=proposal_from,
            to_state=proposal.state,
            note=note,
        )
    return proposal


def record_event(
    proposal: Proposal, *, action: str, label: str, actor, from_state="", to_state="", note="", assignment=None
) -> ProposalEvent:
    event = new_event(
        proposal,
        action=action,
        label=label,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        note=note,
        assignment=assignment,
    )
    event.save(force_insert=True)
    return event


def record_events(events: list[ProposalEvent]) -> list[ProposalEvent]:
    """Many timeline rows (built by ``new_event``) in one insert: a deadline sweep's batch."""
    return ProposalEvent.objects.bulk_create(events)


def new_event(
    proposal: Proposal, *, action: str, label: str, actor, from_state="", to_state="", note="", assignment=None
) -> ProposalEvent:
    """A timeline row, unsaved: ``record_event`` saves one, ``record_events`` a batch."""
    return ProposalEvent(
        proposal=proposal,
        assignment=assignment,
        action=action,
        label=label[:60],
        actor=person(actor),
        from_state=from_state,
        to_state=to_state,
        note=note,
        created_at=timezone.now(),
    )


# --- numbering -------------------------------------------------------------------------------


def next_number(session, period: str = "plenary") -> tuple[int, str]:
    """The next sequence and number in ``session``'s series for ``period`` (大会 and 平时
    each have their own): no gaps, no duplicates.

    The per-session-and-period counter row is locked (``select_for_update``) until the
    caller's transaction ends, so concurrent registrations queue up behind it.
    """
    counters = ProposalNumberCounter.objects.select_for_update()
    counter = counters.filter(session=session, period=period).first()
    if counter is None:
        start = Proposal.objects.filter(session=session, period=period).aggregate(top=Max("sequence"))["top"] or 0
        try:
            with transaction.atomic():
                ProposalNumberCounter.objects.create(session=session, period=period, last_number=start)
        except IntegrityError:
            pass  # another registration created it first; we queue behind its lock below
        counter = counters.get(session=session, period=period)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    number = ProposalSettings.get().format_number(session=session, seq=counter.last_number, period=period)
    return counter.last_number, number


# --- recipients ------------------------------------------------------------------------------


def proposer_users(proposal: Proposal) -> list[User]:
    """Everyone who proposed it: author, confirmed co-signers, and proposers of merged proposals."""
    proposals = [proposal, *proposal.merged_children.all()]
    users = []
    for item in proposals:
        if item.proposer_org_id:
            users += list(organization_users(item.proposer_org_id))
        if item.author.user_id:
            users.append(item.author.user)
        users += [
            s.member.user
            for s in item.signers.select_related("member__user").filter(status=SignerStatus.CONFIRMED)
            if s.member.user_id
        ]
    return users


def proposers_of(proposals: list[Proposal]) -> dict[int, list[User]]:
    """``proposer_users`` for many proposals (a deadline sweep's batch) in four queries.

    Keep the two in step: ``test_a_batch_finds_the_same_recipients_as_one_item_at_a_time``
    compares them on the demo district."""
    wanted = {proposal.pk for proposal in proposals}
    family = list(
        Proposal.objects.filter(Q(pk__in=wanted) | Q(merged_into_id__in=wanted))
        .order_by("pk")
        .values_list("pk", "merged_into_id", "proposer_org_id", "author__user_id")
    )
    signers: dict[int, list[int]] = {}
    for proposal_id, user_id in Signer.objects.filter(
        proposal_id__in=[row[0] for row in family], status=SignerStatus.CONFIRMED, member__user__isnull=False
    ).values_list("proposal_id", "member__user_id"):
        signers.setdefault(proposal_id, []).append(user_id)
    by_org: dict[int, list[User]] = {}
    orgs = {row[2] for row in family} - {None}
    for user in users_with_role(Role.PROPOSER_ORG, organization_id__in=orgs) if orgs else ():
        by_org.setdefault(user.organization_id, []).append(user)
    ids = {user_id for row in family for user_id in [row[3], *signers.get(row[0], [])] if user_id}
    users = User.objects.in_bulk(ids) if ids else {}
    found: dict[int, list[User]] = {pk: [] for pk in wanted}
    # Each proposal first, then its merged children, as ``proposer_users`` lists them.
    for pk, merged_into_id, org_id, author_id in sorted(family, key=lambda row: row[0] not in wanted):
        people = by_org.get(org_id, []) + [users[i] for i in [author_id, *signers.get(pk, [])] if i in users]
        for owner in {pk, merged_into_id} & wanted:
            found[owner] += people
    return found


def staff_users():
    return whole_office_staff()


def unit_users(unit_id: int):
    return users_with_role(Role.UNIT, organization_id=unit_id)


def organization_users(organization_id: int):
    """The users of a proposer organisation (民进区委's filers and head)."""
    return users_with_role(Role.PROPOSER_ORG, organization_id=organization_id)


def unit_users_of(unit_ids):
    """The users of several units at once (a deadline sweep's batch)."""
    return users_with_role(Role.UNIT, organization_id__in=unit_ids)


def with_note(text: str, note: str) -> str:
    """A timeline note: ``text``, then the actor's own note after “；” when there is one."""
    return f"{text}；{note}" if note else text


def tell(recipients, proposal: Proposal, subject: str, body: str = "", *, kind: str = "proposal") -> None:
    notify(recipients, kind=kind, subject=subject, body=body, link=proposal.get_absolute_url())
