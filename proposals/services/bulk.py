"""The 大会 week in bulk: many proposals registered or handed to units in one action.

Each proposal passes through its own one-proposal service, so each is locked,
checked, saved and recorded in its own transaction: one refused proposal never
undoes or half-applies another. The outcome of every proposal is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cppcc_portal.errors import ApplicationError, ValidationFailed
from members.models import Organization, User

from ..models import Proposal
from .handling import proposal_assign
from .review import proposal_register

MAX_BULK = 500


@dataclass(frozen=True)
class Pick:
    """A ticked proposal and the version the page showed (``None``: don't check)."""

    pk: int
    version: int | None = None


@dataclass(frozen=True)
class BulkOutcome:
    pk: int
    title: str
    done: bool
    message: str


def _each(picks: Sequence[Pick], apply: Callable[[Proposal, int | None], str]) -> list[BulkOutcome]:
    if not picks:
        raise ValidationFailed("请至少勾选一件提案。")
    if len(picks) > MAX_BULK:
        raise ValidationFailed(f"一次最多处理{MAX_BULK}件提案。")
    found = Proposal.objects.in_bulk([pick.pk for pick in picks])
    outcomes = []
    seen = set()
    for pick in picks:
        if pick.pk in seen:
            continue
        seen.add(pick.pk)
        proposal = found.get(pick.pk)
        if proposal is None:
            outcomes.append(BulkOutcome(pick.pk, "", False, "提案不存在。"))
            continue
        try:
            message = apply(proposal, pick.version)
        except ApplicationError as error:
            outcomes.append(BulkOutcome(pick.pk, proposal.title, False, error.message))
        else:
            outcomes.append(BulkOutcome(pick.pk, proposal.title, True, message))
    return outcomes


def proposals_register_bulk(*, picks: Sequence[Pick], actor: User, note: str = "") -> list[BulkOutcome]:
    """立案 each ticked proposal in its own transaction; numbers follow the order of ``picks``."""

    def apply(proposal: Proposal, version: int | None) -> str:
        result = proposal_register(proposal=proposal, actor=actor, version=version, note=note)
        return f"已立案，编号 {result.number}"

    return _each(picks, apply)


def proposals_assign_bulk(
    *,
    picks: Sequence[Pick],
    actor: User,
    lead_unit: Organization | None = None,
    co_units: Sequence[Organization] = (),
    split_units: Sequence[Organization] = (),
    note: str = "",
) -> list[BulkOutcome]:
    """交办 each ticked proposal to the same units, each in its own transaction."""
    units = ([lead_unit] if lead_unit else []) + list(co_units) + list(split_units)
    # What is wrong for every proposal alike is refused once, before any of them is touched.
    if not units:
        raise ValidationFailed("请选择承办单位。")
    if len({u.pk for u in units}) != len(units):
        raise ValidationFailed("同一单位不能重复交办。")
    if lead_unit and split_units:
        raise ValidationFailed("主办/会办与分办只能选一种方式。")
    if co_units and not lead_unit:
        raise ValidationFailed("会办单位须配合一个主办单位。")
    names = "、".join(u.name for u in units)

    def apply(proposal: Proposal, version: int | None) -> str:
        proposal_assign(
            proposal=proposal,
            actor=actor,
            version=version,
            lead_unit=lead_unit,
            co_units=co_units,
            split_units=split_units,
            note=note,
        )
        return f"已交办：{names}"

    return _each(picks, apply)
