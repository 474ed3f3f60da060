"""The sweep: find what is owed now, send it once.

For every registered ``ClockSource`` and each stage of its policy (the
escalation steps, then the reminder offsets) one query asks the indexed due-date
column for the open items inside that stage's window whose stage marker is not
yet in the ``NoticeLedger``. Items not yet due are never read, so the cost grows
with what is due, not with what is open.

Each owed (item, stage) is then handled in its own transaction:

1. lock the item row (``SKIP LOCKED`` on PostgreSQL: a parallel sweep or a web
   request holding it means "next sweep"), re-check it is still open and due;
2. write the stage marker (unique per item, clock, due date, stage) unless it is
   there: a concurrent sweep that got there first makes this a no-op;
3. run the step's side effect (``ClockSource.on_overdue``);
4. queue the notices (``notify(urgent=True)``: inbox rows now, e-mail/SMS rows
   for the delivery task) and one ledger row per recipient.

Everything of one stage commits together or not at all, so a worker killed
half-way leaves either a finished stage or none, and the next run (a redelivered
message, the next beat tick, ``manage.py sweep_deadlines``) finishes the rest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cppcc_portal import workdays
from cppcc_portal.errors import ApplicationError

from .registry import ClockSource, Unit, all_sources, get_clock, policy_for, rule_text

logger = logging.getLogger(__name__)

KIND_REMIND = "deadline.remind"
KIND_ESCALATE = "deadline.escalate"


@dataclass
class SweepResult:
    today: date
    stages: int = 0  # (item, stage) pairs handled now
    notices: int = 0  # notifications queued
    busy: int = 0  # items skipped because another transaction held them
    by_clock: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return f"{self.today:%Y-%m-%d}：处理 {self.stages} 项，发出 {self.notices} 条通知，跳过占用中 {self.busy} 项"


@dataclass(frozen=True)
class Stage:
    name: str
    level: int  # 0 for reminders
    relations: tuple[str, ...]
    due_from: date | None  # inclusive bounds on the due date
    due_to: date
    offset: int = 0  # reminders: working days before; escalations: working days overdue
    label: str = ""


# --- windows on the due-date column ------------------------------------------------


def last_working_day_on_or_before(day: date) -> date:
    while not workdays.is_working_day(day):
        day -= timedelta(days=1)
    return day


def reminder_bound(today: date, offset: int) -> date:
    """The latest due date whose ``offset``-working-days-before reminder is due by ``today``."""
    return workdays.add_working_days(last_working_day_on_or_before(today), offset)


def overdue_bound(today: date, days: int) -> date:
    """The latest due date that is at least ``days`` working days overdue on ``today``.

    Overdue by n means ``working_days_between(due, today) >= n``: counting back from
    today, the n-th working day must lie after the due date.
    """
    days = max(days, 1)
    counted, day = 0, today
    while True:
        if workdays.is_working_day(day):
            counted += 1
            if counted == days:
                return day - timedelta(days=1)
        day -= timedelta(days=1)


def stages_for(policy, steps, today: date) -> list[Stage]:
    """Escalation stages (level 1 first), then reminder stages (nearest first).

    An item is in one reminder stage at a time: the nearest offset whose day has
    come. A sweep that missed a day sends the reminder that is current, not the
    stale ones; escalations, which reach different people, are all owed.
    """
    stages = [
        Stage(
            name=f"escalate:{step.level}",
            level=step.level,
            relations=tuple(step.recipients or ()),
            due_from=None,
            due_to=overdue_bound(today, step.after_days),
            offset=step.after_days,
            label=step.label,
        )
        for step in steps
    ]
    offsets = sorted({int(offset) for offset in policy.reminder_offsets or () if int(offset) >= 0})
    lower = today
    for offset in offsets:
        upper = reminder_bound(today, offset)
        if upper >= lower:
            stages.append(
                Stage(
                    name=f"remind:{offset}",
                    level=0,
                    relations=tuple(policy.reminder_recipients or ()),
                    due_from=lower,
                    due_to=upper,
                    offset=offset,
                )
            )
        lower = max(lower, upper + timedelta(days=1))
    return stages


# --- the sweep ----------------------------------------------------------------------


def run_sweep(now: datetime | None = None, *, keys: list[str] | None = None, deliver: bool = True) -> SweepResult:
    """Send every reminder and escalation owed at ``now``; safe to run at any time, in parallel."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not workdays.calendar_known(today.year):
        logger.warning("Deadline sweep for %s: the official calendar is unknown, counting Monday-Friday", today.year)
    result = SweepResult(today=today)
    for source in all_sources():
        if keys and source.key not in keys:
            continue
        before = result.stages
        try:
            sweep_clock(source, today, result)
        except Exception:
            # One broken clock must not starve the others; the next sweep retries it.
            logger.exception("Deadline sweep failed for clock %s", source.key)
        result.by_clock[source.key] = result.stages - before
    if deliver and result.notices:
        from cppcc_portal.queue import send_task_now
        from cppcc_portal.tasks import deliver_pending_notifications

        send_task_now(deliver_pending_notifications)
    logger.info("Deadline sweep %s", result.summary())
    return result


def sweep_clock(source: ClockSource, today: date, result: SweepResult) -> None:
    policy = policy_for(source.key)
    if not policy.is_active:
        return
    steps = list(policy.escalation_steps.order_by("level"))
    content_type = ContentType.objects.get_for_model(source.get_model())
    for stage in stages_for(policy, steps, today):
        for pk, due in owed_items(source, content_type, stage):
            try:
                handle_stage(source, content_type, policy, stage, pk, due, today, result)
            except Exception:
                # This item's stage rolled back whole; the next sweep retries it.
                logger.exception("Deadline sweep: clock %s item %s stage %s failed", source.key, pk, stage.name)


def owed_items(source: ClockSource, content_type: ContentType, stage: Stage) -> list[tuple[int, date]]:
    """One indexed range query: open items in the stage's window not yet ledgered."""
    from cppcc_portal.models import NoticeLedger

    due_field = source.due_field
    done = NoticeLedger.objects.filter(
        content_type=content_type,
        object_id=OuterRef("pk"),
        clock=source.key,
        stage=stage.name,
        due_on=OuterRef(due_field),
        recipient__isnull=True,
    )
    window = {f"{due_field}__lte": stage.due_to, f"{due_field}__isnull": False}
    if stage.due_from is not None:
        window[f"{due_field}__gte"] = stage.due_from
    rows = (
        source.queryset().filter(**window).filter(~Exists(done)).order_by(due_field, "pk").values_list("pk", due_field)
    )
    return list(dict.fromkeys(rows))


def _lock(source: ClockSource, pk: int, due: date):
    queryset = source.queryset().filter(pk=pk, **{source.due_field: due})
    if source.related:
        queryset = queryset.select_related(*source.related)
    if connection.features.has_select_for_update:
        queryset = queryset.select_for_update(
            skip_locked=connection.features.has_select_for_update_skip_locked,
            of=("self",) if connection.features.has_select_for_update_of else (),
        )
    return queryset.first()


def handle_stage(
    source: ClockSource,
    content_type: ContentType,
    policy,
    stage: Stage,
    pk: int,
    due: date,
    today: date,
    result: SweepResult,
) -> None:
    from cppcc_portal.models import NoticeLedger
    from cppcc_portal.notifications import notify

    with transaction.atomic():
        item = _lock(source, pk, due)
        if item is None:  # held by another transaction, or no longer owed
            result.busy += 1
            return
        # The item row is locked (PostgreSQL) or the transaction holds the write lock
        # (SQLite), so nobody else can add the marker between this check and the insert;
        # the unique constraint is the backstop either way.
        marker = {"content_type": content_type, "object_id": pk, "clock": source.key, "stage": stage.name}
        if NoticeLedger.objects.filter(**marker, due_on=due, recipient__isnull=True).exists():
            return
        NoticeLedger.objects.create(**marker, due_on=due, recipient=None, level=stage.level)
        if stage.level:
            _run_side_effect(source, item, stage.level)
        users = _recipients(source, item, stage.relations)
        subject, body = compose(source, policy, item, stage, due, today)
        notices = notify(
            users,
            kind=KIND_ESCALATE if stage.level else KIND_REMIND,
            subject=subject,
            body=body,
            link=source.link(item),
            urgent=True,
            enqueue_delivery=False,
        )
        NoticeLedger.objects.bulk_create(
            [
                NoticeLedger(
                    content_type=content_type,
                    object_id=pk,
                    clock=source.key,
                    stage=stage.name,
                    level=stage.level,
                    due_on=due,
                    recipient_id=notice.recipient_id,
                    notification=notice,
                )
                for notice in notices
            ]
        )
        result.stages += 1
        result.notices += len(notices)


def _run_side_effect(source: ClockSource, item, level: int) -> None:
    try:
        with transaction.atomic():
            source.on_overdue(item, level=level)
    except ApplicationError as error:
        logger.warning("Clock %s item %s level %s: side effect declined: %s", source.key, item.pk, level, error.message)


def _recipients(source: ClockSource, item, relations: tuple[str, ...]) -> list:
    users: dict[int, object] = {}
    for relation in relations:
        for user in source.recipients(item, relation) or ():
            if user is not None:
                users.setdefault(user.pk, user)
    return list(users.values())


def compose(source: ClockSource, policy, item, stage: Stage, due: date, today: date) -> tuple[str, str]:
    title = source.title(item)
    clock = policy.name or get_clock(source.key).label
    rule = rule_text(source.key)
    if stage.level:
        late = workdays.working_days_between(due, today)
        subject = f"【逾期】{clock}已逾期{late}个工作日：{title}"
        lines = [
            f"“{title}”的{clock}应于{due:%Y年%m月%d日}前完成（{rule}），现已逾期{late}个工作日。",
            f"按办理时限规定升级至第{stage.level}级{f'：{stage.label}' if stage.label else ''}。",
        ]
    else:
        left = workdays.working_days_between(today, due)
        when = "今天到期" if due == today else f"还剩{left}个工作日"
        subject = f"【期限提醒】{clock}{when}：{title}"
        lines = [f"“{title}”的{clock}将于{due:%Y年%m月%d日}到期（{rule}），{when}。"]
    if policy.unit == Unit.CALENDAR_MONTHS:
        lines.append("到期日按自然月计算，遇节假日顺延至下一个工作日。")
    return subject, "\n".join(lines)
