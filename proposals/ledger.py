"""The performance ledger entries of proposals, decided in one place (社情民意: ``opinions/ledger.py``).

Each act has one small function that reads an object's own record and says which
entries should exist for it (member, date, note). The services call ``sync`` with
that answer after every change, and ``backfill`` (the ``performance_backfill``
hook of ``backfill_performance``) calls the same functions for every object, so
a rebuilt ledger holds exactly what the services leave in place.

``sync`` only calls ``members.performance.services.performance_record`` /
``performance_withdraw``: it records the wanted entries (idempotent) and takes
back entries of the same acts on the same object that should no longer exist
(a withdrawn proposal, a co-signer dropped from a returned proposal, a key
proposal un-marked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Prefetch
from django.utils import timezone

from cppcc_portal.hooks import register
from members.enums import PerformanceAct
from members.models import Member
from members.performance import ledger_sync

from .enums import COLLECTIVE_KINDS, REGISTERED_STATES, ProposalState, SignerRole, SignerStatus
from .models import Proposal, ProposalEvent, Signer

A = PerformanceAct


@dataclass(frozen=True)
class Entry:
    member: Member
    on: date
    note: str = ""


Wanted = dict[str, list[Entry]]  # act -> the entries that should exist for one source object

PROPOSAL_ACTS = (
    A.PROPOSAL_FILED,
    A.PROPOSAL_COSIGNED,
    A.PROPOSAL_REGISTERED,
    A.PROPOSAL_REGISTERED_COSIGNER,
    A.PROPOSAL_KEY,
    A.PROPOSAL_EXCELLENT,
)

# The actions of the timeline rows written when staff mark (or unmark) a key or an excellent proposal.
MARK_KEY_ACTION = "mark-key"
MARK_EXCELLENT_ACTION = "mark-excellent"


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _confirmed(p: Proposal, role: str | None = None) -> list[Member]:
    """Confirmed signers (reads ``p.signers.all()``, so a prefetch is used)."""
    return [
        s.member for s in p.signers.all() if s.status == SignerStatus.CONFIRMED and (role is None or s.role == role)
    ]


# --- 提案 ------------------------------------------------------------------------------------


def proposal_filing(p: Proposal) -> Wanted:
    """提交提案 / 联名提案: a member's proposal that was submitted and not withdrawn credits its
    author and its confirmed co-signers on the day of the (latest) submission. Collective
    proposals are not a member's filing."""
    on = _day(p.submitted_at)
    if p.kind in COLLECTIVE_KINDS or on is None or p.state in (ProposalState.DRAFT, ProposalState.WITHDRAWN):
        return {A.PROPOSAL_FILED: [], A.PROPOSAL_COSIGNED: []}
    return {
        A.PROPOSAL_FILED: [Entry(p.author, on)],
        A.PROPOSAL_COSIGNED: [Entry(member, on) for member in _confirmed(p)],
    }


def proposal_registration(p: Proposal) -> Wanted:
    """提案立案: a registered proposal (or one merged into a registered proposal) credits its
    author and its confirmed co-signers (not a collective proposal's contacts) on the day of
    registration or merging; a merged one notes the number it went into."""
    if p.state in REGISTERED_STATES:
        on, note = _day(p.registered_at or p.reviewed_at), ""
    elif p.state == ProposalState.MERGED:
        on = _day(p.reviewed_at)
        note = f"并入{p.merged_into.number}" if p.merged_into_id else ""
    else:
        on, note = None, ""
    if on is None:
        return {A.PROPOSAL_REGISTERED: [], A.PROPOSAL_REGISTERED_COSIGNER: []}
    return {
        A.PROPOSAL_REGISTERED: [Entry(p.author, on, note)],
        A.PROPOSAL_REGISTERED_COSIGNER: [Entry(m, on, note) for m in _confirmed(p, SignerRole.CO_SIGNER)],
    }


def proposal_key(p: Proposal, marked_on: date | None) -> Wanted:
    """重点提案: while a proposal is key, its author and every confirmed signer are credited on
    the day it was (last) marked key (``marked_on(p, MARK_KEY_ACTION)``)."""
    if not p.is_key or marked_on is None:
        return {A.PROPOSAL_KEY: []}
    return {A.PROPOSAL_KEY: [Entry(member, marked_on) for member in [p.author, *_confirmed(p)]]}


def proposal_excellent(p: Proposal, marked_on: date | None) -> Wanted:
    """优秀提案: while a proposal is excellent, its author and every confirmed signer are
    credited on the day it was (last) so marked (``marked_on(p, MARK_EXCELLENT_ACTION)``)."""
    if not p.is_excellent or marked_on is None:
        return {A.PROPOSAL_EXCELLENT: []}
    return {A.PROPOSAL_EXCELLENT: [Entry(member, marked_on) for member in [p.author, *_confirmed(p)]]}


_LOOK_UP = object()


def marked_on(p: Proposal, action: str, last_marked=_LOOK_UP) -> date | None:
    """The day of the latest ``action`` (重点提案设置, 优秀提案评选) on the timeline
    (``last_marked``: its time, when the caller already read it); the registration day for a
    proposal marked without one (e.g. imported data)."""
    if last_marked is _LOOK_UP:
        last_marked = (
            ProposalEvent.objects.filter(proposal=p, action=action)
            .order_by("-created_at", "-id")
            .values_list("created_at", flat=True)
            .first()
        )
    return _day(last_marked or p.registered_at)


def last_marked(action: str, **flag) -> dict[int, datetime]:
    """proposal id -> time of its latest ``action``, for the proposals with ``flag`` set (backfill)."""
    return dict(
        ProposalEvent.objects.filter(action=action, **{f"proposal__{name}": value for name, value in flag.items()})
        .values("proposal_id")
        .annotate(last=Max("created_at"))
        .values_list("proposal_id", "last")
    )


# --- writing ---------------------------------------------------------------------------------


def sync(source, wanted: Wanted, *, existing: set[tuple[int, str]] | None = None) -> tuple[int, int]:
    """Make the ledger hold exactly ``wanted`` for the acts it names on ``source``.

    ``existing``: the (member id, act) pairs already in the ledger for ``source`` (the
    back-fill reads them all in one query); looked up when not given. Returns
    (entries recorded, entries withdrawn).
    """
    entries = [
        ledger_sync.Entry(entry.member, act, entry.on, entry.note) for act, listed in wanted.items() for entry in listed
    ]
    return len(entries), ledger_sync.sync(source, entries, acts=wanted, existing=existing)


def backfill(stdout) -> None:
    """(Re)derive the ledger entries whose sources are proposals."""
    proposal_type = ContentType.objects.get_for_model(Proposal)
    existing = ledger_sync.keys_on_ledger([proposal_type], PROPOSAL_ACTS)

    key_marked = last_marked(MARK_KEY_ACTION, is_key=True)
    excellent_marked = last_marked(MARK_EXCELLENT_ACTION, is_excellent=True)
    proposals = (
        Proposal.objects.select_related("author", "merged_into")
        .prefetch_related(Prefetch("signers", queryset=Signer.objects.select_related("member")))
        .order_by("pk")
    )
    recorded = withdrawn = proposal_count = 0
    for p in proposals.iterator(chunk_size=500):
        wanted = {
            **proposal_filing(p),
            **proposal_registration(p),
            **proposal_key(p, marked_on(p, MARK_KEY_ACTION, key_marked.get(p.pk))),
            **proposal_excellent(p, marked_on(p, MARK_EXCELLENT_ACTION, excellent_marked.get(p.pk))),
        }
        done, undone = sync(p, wanted, existing=existing[(proposal_type.pk, p.pk)])
        recorded, withdrawn, proposal_count = recorded + done, withdrawn + undone, proposal_count + 1

    stdout.write(f"提案：核对提案 {proposal_count} 件，应有履职记录 {recorded} 条，撤销 {withdrawn} 条。\n")


register("performance_backfill", backfill)
register("performance_sources", lambda: [Proposal])
