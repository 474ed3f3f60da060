"""联系委员制度: leaders ↔ sectors, CPC members ↔ non-CPC members, and visits (走访)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed

from ..enums import PartyKind
from ..models import Member, Sector
from .models import CpcContactDuty, LeaderSectorDuty, Visit


def _manage(actor) -> None:
    if not actor.has_perm("members.manage_contacts"):
        raise PermissionDeniedError("只有机关工作人员可以分配联系任务。")


@transaction.atomic
def leader_sector_assign(*, actor, leader: Member, sector: Sector) -> LeaderSectorDuty:
    _manage(actor)
    if not (leader.position and leader.position.is_leadership):
        raise ValidationFailed(f"{leader.name}不是主席会议成员，不能联系界别。")
    duty, _ = LeaderSectorDuty.objects.get_or_create(leader=leader, sector=sector)
    return duty


@transaction.atomic
def cpc_contact_assign(*, actor, cpc_member: Member, non_cpc_member: Member) -> CpcContactDuty:
    """Each non-CPC member has one CPC contact; assigning again replaces the old one."""
    _manage(actor)
    if not (cpc_member.party and cpc_member.party.kind == PartyKind.CPC):
        raise ValidationFailed(f"{cpc_member.name}不是中共党员委员。")
    if non_cpc_member.party and non_cpc_member.party.kind == PartyKind.CPC:
        raise ValidationFailed(f"{non_cpc_member.name}是中共党员，不属于党外委员。")
    duty, _ = CpcContactDuty.objects.update_or_create(
        non_cpc_member=non_cpc_member, defaults={"cpc_member": cpc_member}
    )
    return duty


@transaction.atomic
def duty_remove(*, actor, duty: LeaderSectorDuty | CpcContactDuty) -> None:
    _manage(actor)
    duty.delete()


@transaction.atomic
def visit_record(*, actor, member: Member, visited_on: date, content: str, issues: str = "") -> Visit:
    if not actor.has_perm("members.record_visit"):
        raise PermissionDeniedError("只有机关工作人员和主席会议成员可以记录走访。")
    if not content.strip():
        raise ValidationFailed("请填写走访内容。")
    if visited_on > date.today():
        raise ValidationFailed("走访日期不能晚于今天。")
    return Visit.objects.create(member=member, visitor=actor, visited_on=visited_on, content=content, issues=issues)


def not_visited(year: int) -> QuerySet[Member]:
    """Members in office with no visit recorded in ``year`` (one query, NOT EXISTS)."""
    visited = Visit.objects.filter(member=OuterRef("pk"), visited_on__year=year)
    return (
        Member.objects.active()
        .filter(~Exists(visited))
        .select_related("sector", "party", "position", "contact_duty__cpc_member")
        .order_by("sector__order", "name")
    )
