"""Reads of term memberships: the span valid on a date, and a member's spans for the pages."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    BigIntegerField,
    CharField,
    Expression,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from .models import TermCommitteeSeat, TermMembership


def valid_on(on: date) -> Q:
    """Spans that held on ``on`` (both ends included)."""
    return Q(joined_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gte=on))


def _held_then(member: str, on: str):
    return TermMembership.objects.filter(
        Q(member_id=OuterRef(f"{member}_id"), joined_on__lte=OuterRef(on))
        & (Q(left_on__isnull=True) | Q(left_on__gte=OuterRef(on)))
    ).order_by("-joined_on")


def sector_on(member: str, on: str):
    """An expression: the 界别 of the row's ``member`` on the row's date ``on`` (field paths), as the
    span valid then says; the member's current 界别 where no span covers that date (records kept
    before memberships were)."""
    spans = _held_then(member, on)
    return Coalesce(Subquery(spans.values("sector_id")[:1]), F(f"{member}__sector_id"), output_field=BigIntegerField())


def span_then(member: str, on: str | Expression) -> FilteredRelation:
    """A join to the span of the row's ``member`` valid on the row's date ``on`` (a field path or an
    expression): for statistics over many rows, where ``sector_on``'s subquery would run once per
    row. Annotate it under a name and read ``sector_at(name, member)``. A member's spans do not
    overlap (a change closes the open span the day before the next one opens: ``services``), so
    each row joins at most one span."""
    path = f"{member}__memberships"
    date = F(on) if isinstance(on, str) else on
    return FilteredRelation(
        path,
        condition=Q(**{f"{path}__joined_on__lte": date})
        & (Q(**{f"{path}__left_on__isnull": True}) | Q(**{f"{path}__left_on__gte": date})),
    )


def sector_at(span: str, member: str):
    """With ``span`` annotated by ``span_then``: as ``sector_on``, the span's 界别, else the member's current one."""
    return Coalesce(F(f"{span}__sector_id"), F(f"{member}__sector_id"), output_field=BigIntegerField())


def sector_name_on(member: str, on: str):
    """As ``sector_on``, the 界别's name (for pages that show it beside each act)."""
    spans = _held_then(member, on)
    return Coalesce(
        Subquery(spans.values("sector__name")[:1]), F(f"{member}__sector__name"), Value(""), output_field=CharField()
    )


def membership_on(member, on: date) -> TermMembership | None:
    return (
        TermMembership.objects.select_related("term", "sector", "position")
        .filter(valid_on(on), member=member)
        .order_by("-joined_on")
        .first()
    )


def standing_on(member, on: date) -> bool:
    """Whether ``member`` sat on the standing committee (常委会组成人员) on ``on``."""
    span = membership_on(member, on)
    if span is None:
        return member.is_standing_committee
    return bool(span.position and span.position.is_standing_committee)


def memberships_of(member) -> QuerySet[TermMembership]:
    """A member's spans, newest first, with what the page shows."""
    return (
        TermMembership.objects.filter(member=member)
        .select_related("term", "sector", "position")
        .prefetch_related(
            Prefetch(
                "committee_seats",
                queryset=TermCommitteeSeat.objects.select_related("committee").order_by("committee__order"),
            )
        )
        .order_by("-term__number", "-joined_on", "-id")
    )


def open_membership(member) -> TermMembership | None:
    return TermMembership.objects.filter(member=member, left_on__isnull=True).select_related("term").first()
