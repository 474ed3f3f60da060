"""Demo: an earlier term (第一届) for part of the district, every member's span in the current
term, and member2 (王淑芬) changing 界别 mid-term, so her record and the statistics count her
acts under the 界别 she had on each date."""

from __future__ import annotations

from datetime import date

from cppcc_portal.hooks import register

from ..enums import MembershipReason
from ..models import Member, Sector, Term, User
from . import services
from .models import TermMembership

SECTOR_CHANGE_ON = date(2025, 7, 1)


def seed_terms(stdout) -> None:
    if TermMembership.objects.exists():
        return
    current = Term.current()
    earlier, _ = Term.objects.get_or_create(
        number=current.number - 1,
        defaults={
            "name": "第一届",
            "short_name": "一届",
            "start_date": date(current.start_date.year - 5, 1, 1),
            "end_date": date(current.start_date.year - 1, 12, 31),
        },
    )
    # About a third of the members, member1 among them, also sat in the earlier term.
    returning = [m for i, m in enumerate(Member.objects.order_by("pk")) if i % 3 == 0]
    returning.append(Member.objects.get(user__username="member1"))
    for member in returning:
        member.terms.add(earlier)
    services.memberships_from_current_values()
    TermMembership.objects.filter(term=earlier).update(note="第一届任职（演示数据）")

    member2 = Member.objects.select_related("sector").get(user__username="member2")
    # 教育界 (or 文化艺术界): never 经济界, which the statistics tests use for a sector's collective proposals.
    new_sector = (
        Sector.objects.exclude(pk=member2.sector_id).filter(name__in=["教育界", "文化艺术界"]).order_by("order").first()
    )
    old_sector = member2.sector
    services.membership_change(
        actor=User.objects.get(username="staff"),
        member=member2,
        on=SECTOR_CHANGE_ON,
        reason=MembershipReason.SECTOR_CHANGE,
        sector=new_sector,
        note="经区政协常委会会议通过，调整所在界别",
    )
    stdout.write(f"任职记录：第一届 {len(returning)} 人；王淑芬 {SECTOR_CHANGE_ON} 由{old_sector}改为{new_sector}。\n")


seed_terms.seed_order = 1
register("demo_seeders", seed_terms)
