"""Small builders for the term-membership tests (plain functions)."""

from __future__ import annotations

from datetime import date

from members.enums import MembershipReason
from members.models import Member, Position, Sector, Term
from members.terms.models import TermMembership


def sector(name: str) -> Sector:
    return Sector.objects.get_or_create(name=name, defaults={"order": 900})[0]


def seated_member(name: str, sector_name: str, position: str = "委员", joined_on: date | None = None) -> Member:
    """A member in office in the current term, with the open span the import would give them."""
    term = Term.current()
    member = Member.objects.create(
        name=name, gender="女", sector=sector(sector_name), position=Position.objects.get(name=position)
    )
    member.terms.add(term)
    TermMembership.objects.create(
        member=member,
        term=term,
        sector=member.sector,
        position=member.position,
        joined_on=joined_on or term.start_date,
        joined_reason=MembershipReason.NEW_TERM,
    )
    return member
