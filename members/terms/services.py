"""Every write of term memberships: mid-term changes (改界别, 职务变动, 增补, 辞去, 撤销资格), the
opening of a new term (换届), and the first spans made from the current values.

Each change closes the open span and opens the next one in one transaction, and keeps the
member's current values (``Member.sector``, ``position``, ``status``, ``terms``) in step.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.apps import apps as global_apps
from django.db import transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed

from ..enums import LEAVING_REASONS, MID_TERM_CHANGES, MembershipReason, MemberStatus
from ..models import CommitteeMembership, Member, Position, Sector, Term
from .models import TermCommitteeSeat, TermMembership

ONE_DAY = timedelta(days=1)


def _require(actor) -> None:
    if actor is None or not actor.has_perm("members.manage_registry"):
        raise PermissionDeniedError("只有委员联络工作人员可以登记任职变动。")


def _open_span(
    *,
    member: Member,
    term: Term,
    on: date,
    reason: str,
    sector_id: int | None,
    position_id: int | None,
    seats: list[tuple[int, str]],
    note: str = "",
) -> TermMembership:
    span = TermMembership.objects.create(
        member=member,
        term=term,
        sector_id=sector_id,
        position_id=position_id,
        joined_on=on,
        joined_reason=reason,
        note=note,
    )
    TermCommitteeSeat.objects.bulk_create(
        TermCommitteeSeat(membership=span, committee_id=committee_id, role=role) for committee_id, role in seats
    )
    return span


def _current_seats(member: Member) -> list[tuple[int, str]]:
    return list(CommitteeMembership.objects.filter(member=member).values_list("committee_id", "role"))


@transaction.atomic
def membership_change(
    *,
    actor,
    member: Member,
    on: date,
    reason: str,
    sector: Sector | None = None,
    position: Position | None = None,
    note: str = "",
) -> TermMembership:
    """Staff record a mid-term change of the current term, effective on ``on``.

    改界别 / 职务变动: the open span ends the day before, a new one with the new 界别 or
    position (same committees) starts on the day. 辞去 / 撤销资格: the open span ends on the
    day and the member leaves office. 增补: a member not in office joins the term on the day.
    Acts dated before the change keep counting under the old span, acts from the day on
    under the new one.
    """
    _require(actor)
    if reason not in MID_TERM_CHANGES:
        raise ValidationFailed("请选择变动类型：改界别、职务变动、增补、辞去或撤销资格。")
    term = Term.current()
    if term is None:
        raise ValidationFailed("尚未设置本届届次，请先在系统管理中设置。")
    if not term.start_date <= on <= term.end_date:
        raise ValidationFailed(f"变动日期应在{term.name}任期内（{term.start_date}至{term.end_date}）。")
    if on > timezone.localdate():
        raise ValidationFailed("变动日期不能晚于今天。")
    member = Member.objects.select_for_update().get(pk=member.pk)
    span = TermMembership.objects.select_for_update(of=("self",)).filter(member=member, left_on__isnull=True).first()
    note = note.strip()

    if reason == MembershipReason.BY_ELECTION:
        if span is not None and span.term_id == term.pk:
            raise ValidationFailed(f"{member.name}本届在任，无需增补。")
        last_left = (
            TermMembership.objects.filter(member=member, term=term)
            .order_by("-left_on")
            .values_list("left_on", flat=True)
        ).first()
        if last_left and on <= last_left:
            raise ValidationFailed(f"增补日期须晚于该委员上次离任的日期（{last_left}）。")
        if span is not None:  # still open in an earlier term: that term ended for them
            span.left_on, span.left_reason = max(span.joined_on, min(on - ONE_DAY, span.term.end_date)), reason
            span.save()
        new = _open_span(
            member=member,
            term=term,
            on=on,
            reason=reason,
            sector_id=(sector.pk if sector else member.sector_id),
            position_id=(position.pk if position else member.position_id)
            or Position.objects.filter(name="委员").values_list("pk", flat=True).first(),
            seats=_current_seats(member),
            note=note,
        )
        member.status = MemberStatus.ACTIVE
        member.terms.add(term)
    else:
        if span is None or span.term_id != term.pk:
            raise ValidationFailed(f"{member.name}本届没有在任记录，请先登记增补。")
        if reason in LEAVING_REASONS:
            if on < span.joined_on:
                raise ValidationFailed(f"离任日期不能早于本段任职的起始日期（{span.joined_on}）。")
            span.left_on, span.left_reason = on, reason
            span.note = "；".join(filter(None, [span.note, note]))
            span.save()
            member.status = MemberStatus.LEFT
            member.save()
            return span
        if on <= span.joined_on:
            raise ValidationFailed(f"变动日期须晚于本段任职的起始日期（{span.joined_on}）。")
        sector_id, position_id = span.sector_id, span.position_id
        if reason == MembershipReason.SECTOR_CHANGE:
            if sector is None or sector.pk == span.sector_id:
                raise ValidationFailed("请选择与原界别不同的新界别。")
            sector_id = sector.pk
        else:
            if position is None or position.pk == span.position_id:
                raise ValidationFailed("请选择与原职务不同的新职务。")
            position_id = position.pk
        span.left_on, span.left_reason = on - ONE_DAY, reason
        span.save()
        seats = list(span.committee_seats.values_list("committee_id", "role"))
        new = _open_span(
            member=member,
            term=term,
            on=on,
            reason=reason,
            sector_id=sector_id,
            position_id=position_id,
            seats=seats,
            note=note,
        )
    member.sector_id, member.position_id = new.sector_id, new.position_id
    member.save()
    return new


def membership_sync_current(*, member: Member, term: Term, on: date | None = None, reason: str = "") -> TermMembership:
    """The registry import for ``term`` corrects the member's open span in that term (its 界别,
    position, committees), or opens one from ``on`` (the term's start) when there is none.
    Called inside the import's transaction."""
    span = TermMembership.objects.select_for_update(of=("self",)).filter(member=member, left_on__isnull=True).first()
    seats = _current_seats(member)
    if span is not None and span.term_id != term.pk:  # still open in an earlier term: it ended with it
        span.left_on = max(span.joined_on, (on or term.start_date) - ONE_DAY)
        span.left_reason = MembershipReason.NEW_TERM
        span.save()
        span = None
    if span is None:
        return _open_span(
            member=member,
            term=term,
            on=on or term.start_date,
            reason=reason or MembershipReason.NEW_TERM,
            sector_id=member.sector_id,
            position_id=member.position_id,
            seats=seats,
        )
    span.sector_id, span.position_id = member.sector_id, member.position_id
    span.save()
    span.committee_seats.all().delete()
    TermCommitteeSeat.objects.bulk_create(
        TermCommitteeSeat(membership=span, committee_id=committee_id, role=role) for committee_id, role in seats
    )
    return span


def term_open(*, actor, number: int, name: str, short_name: str, start_date: date, end_date: date) -> Term:
    """换届: a new term becomes the current one. The open spans of the old term end the day
    before it starts (reason 换届); nothing of the old term is erased. Runs inside the import's
    transaction, which then opens the new term's spans row by row."""
    _require(actor)
    if end_date <= start_date:
        raise ValidationFailed("新一届的结束日期应晚于开始日期。")
    if Term.objects.filter(number=number).exists():
        raise ValidationFailed(f"第{number}届已存在，请核对届次。")
    old = Term.objects.select_for_update().filter(is_current=True).first()
    if old is not None:
        if number <= old.number or start_date <= old.start_date:
            raise ValidationFailed(f"新一届应在{old.name}之后（届次更大、开始日期更晚）。")
        early = TermMembership.objects.filter(left_on__isnull=True, joined_on__gte=start_date).first()
        if early is not None:
            raise ValidationFailed(f"{early.member}的任职记录起始于{early.joined_on}，晚于新一届开始日期。")
        TermMembership.objects.filter(left_on__isnull=True).update(
            left_on=start_date - ONE_DAY, left_reason=MembershipReason.NEW_TERM
        )
        Term.objects.filter(pk=old.pk).update(is_current=False)
    return Term.objects.create(
        number=number, name=name, short_name=short_name, start_date=start_date, end_date=end_date, is_current=True
    )


def term_retire_absent(*, term: Term, kept: set[int]) -> int:
    """After a 换届 import: members in office who are not in the new term's list leave office."""
    return Member.objects.filter(status=MemberStatus.ACTIVE).exclude(pk__in=kept).update(status=MemberStatus.LEFT)


def memberships_from_current_values(apps=global_apps) -> int:
    """One span per member and term from the current values, for members who have none yet:
    the data migration runs it on the historical models (``apps``), the demo on the real ones.
    A span of the current term stays open for a member in office; others end with their term."""
    Member_ = apps.get_model("members", "Member")
    Term_ = apps.get_model("members", "Term")
    Span = apps.get_model("members", "TermMembership")
    Seat = apps.get_model("members", "TermCommitteeSeat")
    Seats = apps.get_model("members", "CommitteeMembership")
    current = Term_.objects.filter(is_current=True).first()
    today = timezone.localdate()
    seats: dict[int, list[tuple[int, str]]] = {}
    for member_id, committee_id, role in Seats.objects.values_list("member_id", "committee_id", "role"):
        seats.setdefault(member_id, []).append((committee_id, role))
    created = 0
    members = Member_.objects.filter(memberships__isnull=True).prefetch_related("terms").order_by("pk")
    for member in members.iterator(chunk_size=500):
        terms = sorted(member.terms.all(), key=lambda term: term.number)
        if not terms and current is not None and member.status == MemberStatus.ACTIVE:
            terms = [current]
        for term in terms:
            in_office = term.pk == getattr(current, "pk", None) and member.status == MemberStatus.ACTIVE
            left_on = None if in_office else min(term.end_date, max(term.start_date, today))
            span = Span.objects.create(
                member_id=member.pk,
                term_id=term.pk,
                sector_id=member.sector_id,
                position_id=member.position_id,
                joined_on=term.start_date,
                joined_reason=MembershipReason.NEW_TERM,
                left_on=left_on,
                left_reason="" if in_office or term.pk == getattr(current, "pk", None) else MembershipReason.NEW_TERM,
                note="由迁移前的委员信息生成",
            )
            Seat.objects.bulk_create(
                Seat(membership_id=span.pk, committee_id=committee_id, role=role)
                for committee_id, role in seats.get(member.pk, [])
            )
            created += 1
    return created
