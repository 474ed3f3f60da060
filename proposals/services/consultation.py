"""提案办理协商会: what the consultations app may ask of proposals when a session is linked to them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from cppcc_portal.errors import ValidationFailed
from members.models import User

from ..enums import REGISTERED_STATES
from ..models import Proposal, ProposalEvent
from .door import new_event, record_events

CONSULTATION_MINUTES = "consultation_minutes"
CONSULTATION_MINUTES_LABEL = "提案办理协商会纪要"


def consultation_check_linkable(*, proposal_ids: Iterable[int]) -> list[Proposal]:
    """The proposals a 提案办理协商会 may take up: registered ones only (立案 and later)."""
    ids = sorted(set(proposal_ids))
    found = Proposal.objects.in_bulk(ids)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationFailed("所选提案不存在，请重新选择。")
    refused = [p for p in found.values() if p.state not in REGISTERED_STATES]
    if refused:
        names = "、".join(f"《{p.title}》" for p in refused)
        raise ValidationFailed(f"提案{names}尚未立案（{refused[0].get_state_display()}），不能关联提案办理协商会。")
    return [found[pk] for pk in ids]


@transaction.atomic
def proposal_record_consultation_minutes(
    *, actor: User, proposal_ids: Iterable[int], title: str, held_on: date, link: str
) -> int:
    """A timeline row 提案办理协商会纪要 on each linked proposal, with a link to the minutes.

    Recording the same session's minutes again (a correction) adds no second row.
    """
    proposals = list(Proposal.objects.filter(pk__in=set(proposal_ids)))
    note = f"《{title}》（{held_on:%Y年%m月%d日}）\n{link}"
    already = set(
        ProposalEvent.objects.filter(proposal__in=proposals, action=CONSULTATION_MINUTES, note=note).values_list(
            "proposal_id", flat=True
        )
    )
    events = [
        new_event(p, action=CONSULTATION_MINUTES, label=CONSULTATION_MINUTES_LABEL, actor=actor, note=note)
        for p in proposals
        if p.pk not in already
    ]
    record_events(events)
    return len(events)
