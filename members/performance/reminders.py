"""五个一 reminders: quarterly to members with gaps, a year-end list to staff.

A daily periodic task calls ``send_five_ones_reminders``. In the quarter after
Q1, Q2 and Q3 close, every member with a gap is reminded once; after Q4 closes
(January of the next year) every staff user gets the year's list once. The
``FiveOnesReminder`` row, unique per (recipient, year, quarter, kind), is
written in the same transaction as the notice, so re-runs and crashes never
send a reminder twice.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cppcc_portal.notifications import notify
from cppcc_portal.roles import whole_office_staff

from . import scoring
from .enums import ReminderKind
from .models import FiveOnesReminder


def closed_quarter(today: date) -> tuple[int, int]:
    """(year, quarter) of the quarter that ended most recently before ``today``."""
    quarter = (today.month - 1) // 3  # 0 means Q4 of last year
    return (today.year - 1, 4) if quarter == 0 else (today.year, quarter)


def _send_once(user, *, year: int, quarter: int, kind: str, subject: str, body: str, link: str) -> bool:
    try:
        with transaction.atomic():
            FiveOnesReminder.objects.create(recipient=user, year=year, quarter=quarter, kind=kind)
            notify([user], kind="five_ones", subject=subject, body=body, link=link, urgent=False)
    except IntegrityError:
        return False
    return True


def send_five_ones_reminders(today: date | None = None) -> int:
    """Send what is owed for the last closed quarter; returns how many notices went out."""
    today = today or timezone.localdate()
    year, quarter = closed_quarter(today)
    reqs = scoring.requirements()
    if not reqs:
        return 0
    gaps = scoring.members_with_gaps(year, reqs).filter(user__isnull=False).select_related("user")
    sent = 0
    if quarter < 4:
        for member in gaps:
            missing = "、".join(req.name for req in reqs if getattr(member, f"r{req.pk}") < req.minimum)
            sent += _send_once(
                member.user,
                year=year,
                quarter=quarter,
                kind=ReminderKind.MEMBER_GAP,
                subject=f"“五个一”提醒：{year}年第{quarter}季度已过，尚未完成{missing}",
                body=f"{year}年度“五个一”尚未完成：{missing}。请在年底前完成。",
                link=reverse("members:record", kwargs={"pk": member.pk}),
            )
        return sent
    count = scoring.members_with_gaps(year, reqs).count()
    link = reverse("members:five-ones") + f"?year={year}"
    for user in whole_office_staff():
        sent += _send_once(
            user,
            year=year,
            quarter=4,
            kind=ReminderKind.STAFF_LIST,
            subject=f"{year}年度“五个一”未完成名单：{count}人",
            body="名单见链接，可导出Excel。",
            link=link,
        )
    return sent
