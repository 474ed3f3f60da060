"""The sweep: each reminder and escalation on its working day, once, to the right people."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cppcc_portal.deadlines import policy_for
from cppcc_portal.deadlines.sweep import overdue_bound, reminder_bound, run_sweep
from cppcc_portal.models import DeadlinePolicy, NoticeLedger, Notification
from cppcc_portal.notifications import deliver_pending

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def notices_for(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind__startswith="deadline.").order_by("id"))


def test_window_bounds_follow_the_official_calendar(db):
    # Spring Festival 2026: Feb 15-23 off, Sat Feb 14 and Sat Feb 28 are working days.
    assert reminder_bound(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert reminder_bound(date(2026, 2, 14), 5) == date(2026, 2, 28)
    assert reminder_bound(date(2026, 2, 15), 5) == date(2026, 2, 28)  # a holiday adds nothing new
    assert reminder_bound(date(2026, 2, 14), 2) == date(2026, 2, 25)
    assert overdue_bound(date(2026, 2, 28), 1) == date(2026, 2, 27)
    assert overdue_bound(date(2026, 3, 1), 1) == date(2026, 2, 27)  # Sunday: no new escalation
    assert overdue_bound(date(2026, 3, 12), 10) == date(2026, 2, 27)


def test_one_item_gets_each_stage_on_its_working_day_exactly_once(member_clock, make_item, demo):
    item = make_item(date(2026, 2, 27))  # a Friday after the Spring Festival
    first_seen: dict[str, date] = {}
    for day in days(date(2026, 2, 10), date(2026, 3, 16)):
        for _ in range(2):  # every sweep runs twice: nothing doubles
            run_sweep(at(day))
        for row in NoticeLedger.objects.markers().filter(object_id=item.pk):
            first_seen.setdefault(row.stage, day)
    assert first_seen == {
        "remind:5": date(2026, 2, 13),  # 5 working days before, counting the 调休 Saturday Feb 14
        "remind:2": date(2026, 2, 25),
        "escalate:1": date(2026, 2, 28),  # the 调休 Saturday is the first working day overdue
        "escalate:2": date(2026, 3, 12),  # 10 working days overdue
    }
    staff, leader = demo["staff"], demo["leader"]
    assert [n.kind for n in notices_for(item.user)] == ["deadline.remind", "deadline.remind", "deadline.escalate"]
    assert len(notices_for(staff)) == 1 and "逾期" in notices_for(staff)[0].subject
    assert len(notices_for(leader)) == 1
    assert NoticeLedger.objects.filter(object_id=item.pk, recipient__isnull=False).count() == 5
    assert member_clock.overdue_calls == [(item.pk, 1), (item.pk, 2)]


def test_a_reminder_names_the_due_date_and_its_rule(member_clock, make_item):
    item = make_item(date(2026, 2, 27))
    run_sweep(at(date(2026, 2, 25)))
    (notice,) = notices_for(item.user)
    assert "还剩2个工作日" in notice.subject
    assert "2026年02月27日" in notice.body and "登记后10个工作日" in notice.body
    assert notice.urgent and notice.link == f"/members/{item.pk}/"


def test_a_late_sweep_sends_the_current_reminder_not_the_stale_ones(member_clock, make_item):
    item = make_item(date(2026, 2, 27))
    run_sweep(at(date(2026, 2, 26)))  # no sweep ran on Feb 13 or Feb 25
    assert list(NoticeLedger.objects.markers().filter(object_id=item.pk).values_list("stage", flat=True)) == [
        "remind:2"
    ]


def test_escalations_missed_while_the_sweep_was_down_are_all_sent_in_order(member_clock, make_item):
    item = make_item(date(2026, 2, 27))
    run_sweep(at(date(2026, 3, 20)))
    stages = list(
        NoticeLedger.objects.markers().filter(object_id=item.pk).order_by("id").values_list("stage", flat=True)
    )
    assert stages == ["escalate:1", "escalate:2"]


def test_a_closed_item_gets_nothing(member_clock, make_item):
    item = make_item(date(2026, 2, 27))
    item.status = "left"
    item.save()
    run_sweep(at(date(2026, 3, 20)))
    assert not NoticeLedger.objects.filter(object_id=item.pk).exists()


def test_a_new_due_date_starts_a_fresh_ladder(member_clock, make_item):
    item = make_item(date(2026, 2, 27))
    run_sweep(at(date(2026, 2, 28)))
    assert NoticeLedger.objects.markers().filter(object_id=item.pk, stage="escalate:1").count() == 1
    item.birth_date = date(2026, 3, 31)  # an extension
    item.save()
    run_sweep(at(date(2026, 3, 2)))
    assert NoticeLedger.objects.markers().filter(object_id=item.pk).count() == 1
    run_sweep(at(date(2026, 4, 1)))
    assert NoticeLedger.objects.markers().filter(object_id=item.pk, stage="escalate:1").count() == 2


def test_the_sweep_never_reads_items_that_are_not_due(member_clock, make_item):
    make_item(date(2026, 2, 27))

    def queries() -> int:
        NoticeLedger.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            run_sweep(at(date(2026, 2, 25)), deliver=False)
        return len(ctx.captured_queries)

    queries()  # warm-up: policy rows, calendar-override cache, content types
    few = queries()
    for n in range(60):
        make_item(date(2026, 6, 1) + timedelta(days=n))
    assert queries() == few


def test_policy_edits_never_move_stored_due_dates_until_staff_recompute(member_clock, make_item):
    from cppcc_portal.deadlines import due_date

    item = make_item(due_date(member_clock.key, date(2026, 2, 10)))
    # 10 working days across the festival: Feb 11-14 (Sat 14 is 调休), Feb 24-28 (Sat 28 too), Mar 2.
    assert item.birth_date == date(2026, 3, 2)
    policy = policy_for(member_clock.key)
    policy.length = 5
    policy.save()
    item.refresh_from_db()
    assert item.birth_date == date(2026, 3, 2)
    assert due_date(member_clock.key, date(2026, 2, 10)) == date(2026, 2, 24)


def test_recompute_open_ones_asks_the_source(member_clock, make_item, monkeypatch):
    item = make_item(date(2026, 2, 27))
    monkeypatch.setattr(type(member_clock), "start_field", "", raising=False)
    monkeypatch.setattr(type(member_clock), "recompute_due", lambda self, obj: date(2026, 3, 31))
    assert member_clock.recompute_open() >= 1
    item.refresh_from_db()
    assert item.birth_date == date(2026, 3, 31)


def test_staff_edit_the_ladder_without_a_deploy(member_clock, make_item, demo):
    policy = policy_for(member_clock.key)
    policy.reminder_offsets = [1]
    policy.save()
    step = policy.escalation_steps.get(level=1)
    step.recipients = ["leaders"]
    step.save()
    item = make_item(date(2026, 2, 27))
    run_sweep(at(date(2026, 2, 26)))
    run_sweep(at(date(2026, 2, 28)))
    assert list(NoticeLedger.objects.markers().filter(object_id=item.pk).values_list("stage", flat=True)) == [
        "escalate:1",
        "remind:1",
    ] or sorted(NoticeLedger.objects.markers().filter(object_id=item.pk).values_list("stage", flat=True)) == [
        "escalate:1",
        "remind:1",
    ]
    assert notices_for(demo["leader"]) and not notices_for(demo["staff"])


def test_a_disabled_policy_sends_nothing(member_clock, make_item):
    policy = policy_for(member_clock.key)
    policy.is_active = False
    policy.save()
    make_item(date(2026, 2, 27))
    assert run_sweep(at(date(2026, 3, 20))).notices == 0


def test_deadline_mail_waits_for_the_morning_but_the_inbox_gets_it_at_once(member_clock, make_item):
    item = make_item(date(2026, 2, 27))
    item.user.email_mode = "digest"  # deadline notices never wait for the digest
    item.user.save()
    night = at(date(2026, 2, 25), 22, 30)
    with time_machine.travel(night, tick=False):
        mail.outbox.clear()
        run_sweep(night)
        assert len(notices_for(item.user)) == 1
        assert not [message for message in mail.outbox if item.user.email in message.to]
    with time_machine.travel(at(date(2026, 2, 26), 8, 5), tick=False):
        deliver_pending()
        deliver_pending()
    mine = [message for message in mail.outbox if item.user.email in message.to]
    assert len(mine) == 1 and "期限提醒" in mine[0].subject


def test_an_unknown_calendar_year_falls_back_to_weekdays_and_warns(member_clock, make_item, caplog):
    item = make_item(date(2031, 6, 6))  # a Friday; chinesecalendar has no 2031 data
    with caplog.at_level(logging.WARNING):
        result = run_sweep(at(date(2031, 6, 9)))  # Monday: 1 working day overdue, Monday-Friday
    assert "calendar is unknown" in caplog.text
    assert result.stages == 1
    assert NoticeLedger.objects.markers().filter(object_id=item.pk, stage="escalate:1").exists()


def test_the_command_runs_the_same_sweep_at_a_given_moment(member_clock, make_item, capsys):
    item = make_item(date(2026, 2, 27))
    call_command("sweep_deadlines", "--now", "2026-02-25T09:00")
    call_command("sweep_deadlines", "--now", "2026-02-25T09:30")
    assert NoticeLedger.objects.markers().filter(object_id=item.pk).count() == 1
    assert "发出 1 条通知" in capsys.readouterr().out


def test_the_default_schedule_runs_the_sweep_every_15_minutes(db):
    from django_celery_beat.models import PeriodicTask

    call_command("sync_periodic_tasks")
    task = PeriodicTask.objects.get(task="cppcc_portal.deadlines.sweep")
    assert task.interval.every == 15 and task.enabled


def test_every_default_periodic_task_names_a_registered_celery_task(db):
    from django_celery_beat.models import PeriodicTask

    from cppcc_portal.celery import app

    call_command("sync_periodic_tasks")
    app.loader.import_default_modules()
    scheduled = set(PeriodicTask.objects.values_list("task", flat=True))
    assert "members.tasks.send_five_ones_reminders" in scheduled
    assert scheduled <= set(app.tasks)


def test_the_policy_rows_are_created_with_their_default_ladder(member_clock, db):
    policy = policy_for(member_clock.key)
    assert policy.reminder_recipients == ["self"]
    assert list(policy.escalation_steps.values_list("level", "after_days")) == [(1, 1), (2, 10)]
    assert DeadlinePolicy.objects.filter(key=member_clock.key).count() == 1


def test_a_rolling_clock_owes_its_next_stage_and_the_same_sweep_sends_it(member_clock, make_item, demo):
    """A clock whose escalation starts its next cycle (like the B-class follow-up) may make
    the new cycle's stages owed at the very instant of the sweep; that sweep sends them."""
    from cppcc_portal import workdays
    from members.models import Member

    day = date(2026, 3, 10)
    item = make_item(workdays.add_working_days(day, -6))
    cycles = [workdays.add_working_days(day, -3), workdays.add_working_days(day, 1)]

    def roll(item, *, level: int) -> None:
        if level == 1 and cycles:  # the next cycle, still short enough to be owed at once
            Member.objects.filter(pk=item.pk).update(birth_date=cycles.pop(0))

    member_clock.on_overdue = roll
    first = run_sweep(at(day), deliver=False)
    markers = set(NoticeLedger.objects.markers().filter(object_id=item.pk).values_list("due_on", "stage"))
    original, overdue_cycle, next_cycle = (
        workdays.add_working_days(day, -6),
        *[workdays.add_working_days(day, n) for n in (-3, 1)],
    )
    assert markers == {
        (original, "escalate:1"),
        (overdue_cycle, "escalate:1"),  # owed because of the sweep's own side effect
        (next_cycle, "remind:2"),  # and the cycle after that is already in its reminder window
    }
    assert first.stages == 3
    self_notices = [n.subject for n in notices_for(item.user)]
    assert len(self_notices) == 3 and "期限提醒" in self_notices[-1]
    # The same instant swept again: nothing more is owed.
    again = run_sweep(at(day), deliver=False)
    assert again.stages == 0 and again.notices == 0
    assert len(notices_for(item.user)) == 3


def test_a_second_identical_sweep_command_sends_nothing(member_clock, make_item, demo):
    make_item(date(2026, 3, 6))
    make_item(date(2026, 3, 12))
    out = StringIO()
    call_command("sweep_deadlines", "--now", "2026-03-10T09:00:00+08:00", stdout=out)
    before = Notification.objects.count(), NoticeLedger.objects.count()
    assert before[0] > 0
    out = StringIO()
    call_command("sweep_deadlines", "--now", "2026-03-10T09:00:00+08:00", stdout=out)
    assert (Notification.objects.count(), NoticeLedger.objects.count()) == before
    assert "处理 0 项" in out.getvalue()
