"""五个一: progress per member, the gap list, quarterly reminders sent once."""

from __future__ import annotations

from datetime import date

import pytest

from cppcc_portal.models import Notification
from members.models import Member
from members.performance import reminders, scoring
from members.performance.models import FiveOnesReminder, FiveOnesRequirement
from members.performance.services import performance_record

from .builders import YEAR, A, source

pytestmark = pytest.mark.django_db


def test_progress_counts_the_acts_mapped_to_each_requirement(demo):
    member = demo["member3"].member
    performance_record(member=member, act=A.STUDY_REFLECTION, source=source("心得"), on=date(YEAR, 2, 1))
    performance_record(member=member, act=A.INSPECTION, source=source("视察"), on=date(YEAR, 2, 2))
    performance_record(member=member, act=A.RESEARCH, source=source("调研"), on=date(YEAR, 2, 3))
    progress = {line.requirement.name: line for line in scoring.five_ones_progress(member.pk, YEAR)}
    assert progress["一篇学习心得"].count == 1 and progress["一篇学习心得"].met
    assert progress["一次调研视察"].count == 2
    assert not progress["一件提案"].met
    assert member in scoring.members_with_gaps(YEAR)


def test_minimums_and_mappings_are_configurable(demo):
    member = demo["member3"].member
    requirement = FiveOnesRequirement.objects.get(name="一篇学习心得")
    requirement.minimum = 2
    requirement.save()
    performance_record(member=member, act=A.STUDY_REFLECTION, source=source("心得"), on=date(YEAR, 2, 1))
    line = next(x for x in scoring.five_ones_progress(member.pk, YEAR) if x.requirement == requirement)
    assert (line.count, line.met) == (1, False)


def test_a_member_with_every_minimum_met_has_no_gap(demo):
    member = demo["member3"].member
    for act in (A.STUDY_REFLECTION, A.CONSULTATION_ATTENDED, A.RESEARCH, A.PROPOSAL_FILED, A.LIVELIHOOD_MATTER):
        performance_record(member=member, act=act, source=source(act), on=date(YEAR, 3, 1))
    assert member not in scoring.members_with_gaps(YEAR)


def test_quarterly_reminder_goes_once_to_each_member_with_gaps(demo):
    # Early in the year every demo member with a login still has gaps (the demo year adds many).
    with_login = set(Member.objects.filter(user__isnull=False).values_list("user_id", flat=True))
    assert {demo[name].pk for name in ("leader", "member1", "member2", "member3")} <= with_login
    sent = reminders.send_five_ones_reminders(date(YEAR, 4, 2))
    assert sent == len(with_login)
    assert set(Notification.objects.filter(kind="five_ones").values_list("recipient_id", flat=True)) == with_login
    assert reminders.send_five_ones_reminders(date(YEAR, 4, 3)) == 0
    assert reminders.send_five_ones_reminders(date(YEAR, 7, 1)) == len(with_login)  # next quarter: once more
    assert FiveOnesReminder.objects.filter(year=YEAR).count() == 2 * len(with_login)


def test_year_end_list_goes_once_to_staff(demo):
    sent = reminders.send_five_ones_reminders(date(YEAR + 1, 1, 5))
    assert sent == 1  # the one staff user
    notice = Notification.objects.get(kind="five_ones", recipient=demo["staff"])
    assert f"{YEAR}年度" in notice.subject and f"year={YEAR}" in notice.link
    assert reminders.send_five_ones_reminders(date(YEAR + 1, 2, 1)) == 0


def test_closed_quarter():
    assert reminders.closed_quarter(date(YEAR, 1, 10)) == (YEAR - 1, 4)
    assert reminders.closed_quarter(date(YEAR, 4, 1)) == (YEAR, 1)
    assert reminders.closed_quarter(date(YEAR, 12, 31)) == (YEAR, 3)


def test_member_workbench_shows_five_ones_progress(login):
    response = login("member2").get("/")
    assert "五个一" in response.content.decode()
    assert "一篇学习心得" in response.content.decode()


def test_gap_list_and_export_for_staff(login):
    client = login("staff")
    page = client.get(f"/members/five-ones/?year={YEAR}")
    assert page.status_code == 200 and "未完成名单" in page.content.decode()
    export = client.get(f"/members/five-ones/export/?year={YEAR}")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
