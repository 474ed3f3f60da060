"""The sweep: find what is owed now, send it once.

For every registered ``ClockSource`` and each stage of its policy (the
escalation steps, then the reminder offsets) one query asks the indexed due-date
column for the open items inside that stage's window whose stage marker is not
yet in the ``NoticeLedger``. Items not yet due are never read, so the cost grows
with what is due, not with what is open.

The owed items of a stage are then handled a batch per transaction (see
``handle_batch``), with a fixed number of queries per batch, never one per item:

1. one locking query for the batch (``SKIP LOCKED`` on PostgreSQL: a row a parallel
   sweep or a web request holds means "next sweep"), re-checking it is open and due;
2. the stage markers (unique per item, clock, due date, stage) in one insert: a
   concurrent sweep that got there first rolls the batch back rather than send twice;
3. the step's side effect for the batch (``ClockSource.on_overdue_many``; a timeline
   entry per item is one insert for the whole batch);
4. the recipients for the whole batch, then the notices (inbox rows now, e-mail/SMS
   rows for the delivery task) and one ledger row per recipient, one insert each.

Everything of one batch commits together or not at all, so a worker killed
half-way leaves finished items or none, and the next run (a redelivered
message, the next beat tick, ``manage.py sweep_deadlines``) finishes the rest.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.utils import timezone

from cppcc_portal import workdays
from cppcc_portal.models import Notification
from cppcc_portal.notifications import DELIVER_TASK, build_notifications
from cppcc_portal.queue import send_task_now

from .models import NoticeLedger
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
        send_task_now(DELIVER_TASK)
    logger.info("Deadline sweep %s", result.summary())
    return result


MAX_PASSES = 10  # a clock whose side effects keep making stages owed at the same instant
# Items locked and handled in one transaction. A batch holds its rows' locks until it
# commits, so batches start small and double while each commits within a second: a
# slow recipient lookup keeps transactions short, and a worker killed mid-sweep loses
# little (the next sweep redoes the uncommitted batch, never a committed one).
FIRST_BATCH, BATCH_SIZE, QUICK_BATCH_SECONDS = 2, 500, 1.0


def sweep_clock(source: ClockSource, today: date, result: SweepResult) -> None:
    """Every stage of one clock, then again while the sweep's own side effects made more owed.

    A rolling clock (the B-class follow-up: its escalation starts the next cycle) may owe
    a stage of its new due date at once; the next pass sends it in this same sweep.
    """
    policy = policy_for(source.key)
    if not policy.is_active:
        return
    steps = list(policy.escalation_steps.order_by("level"))
    content_type = ContentType.objects.get_for_model(source.get_model())
    stages = stages_for(policy, steps, today)
    for _pass in range(MAX_PASSES):
        handled = sum(sweep_stage(source, content_type, policy, stage, today, result) for stage in stages)
        if not handled:
            break
    else:
        logger.warning("Deadline sweep: clock %s still owed stages after %s passes", source.key, MAX_PASSES)
    if _pass and connection.features.has_select_for_update_skip_locked:
        # Still owed after this sweep's work: held by another transaction just now.
        result.busy += sum(_owed(source, content_type, stage).count() for stage in stages)


def sweep_stage(source: ClockSource, content_type: ContentType, policy, stage: Stage, today, result) -> int:
    """The owed items of one stage, a batch per transaction; returns how many were handled."""
    if not _owed(source, content_type, stage).exists():  # the common case: one indexed probe
        return 0
    handled, size = 0, FIRST_BATCH
    while True:
        started = time.monotonic()
        try:
            done, full = handle_batch(source, content_type, policy, stage, today, result, size=size)
        except Exception:
            # Something in the batch broke it (all of it rolled back): take the items one
            # at a time, so only the broken one waits for the next sweep.
            logger.exception("Deadline sweep: clock %s stage %s batch failed", source.key, stage.name)
            for pk, _due in owed_items(source, content_type, stage)[:BATCH_SIZE]:
                try:
                    handled += handle_batch(source, content_type, policy, stage, today, result, pks=[pk])[0]
                except Exception:
                    logger.exception("Deadline sweep: clock %s item %s stage %s failed", source.key, pk, stage.name)
            return handled
        handled += done
        if not full:
            return handled
        if time.monotonic() - started < QUICK_BATCH_SECONDS:
            size = min(size * 2, BATCH_SIZE)


def _ledgered(source: ClockSource, content_type: ContentType, stage: Stage) -> Exists:
    return Exists(
        NoticeLedger.objects.filter(
            content_type=content_type,
            object_id=OuterRef("pk"),
            clock=source.key,
            stage=stage.name,
            due_on=OuterRef(source.due_field),
            recipient__isnull=True,
        )
    )


def _owed(source: ClockSource, content_type: ContentType, stage: Stage):
    """Open items in the stage's window (a range on the indexed due date), not yet ledgered."""
    due_field = source.due_field
    window = {f"{due_field}__lte": stage.due_to, f"{due_field}__isnull": False}
    if stage.due_from is not None:
        window[f"{due_field}__gte"] = stage.due_from
    return source.queryset().filter(**window).filter(~_ledgered(source, content_type, stage))


def owed_items(source: ClockSource, content_type: ContentType, stage: Stage) -> list[tuple[int, date]]:
    """One indexed range query: open items in the stage's window not yet ledgered."""
    rows = _owed(source, content_type, stage).order_by(source.due_field, "pk").values_list("pk", source.due_field)
    return list(dict.fromkeys(rows))


def _lock_owed(source: ClockSource, content_type: ContentType, stage: Stage, pks: list[int] | None, size: int) -> list:
    """The one locking query of a batch: owed items, rows held by others skipped."""
    queryset = _owed(source, content_type, stage)
    if pks is not None:
        queryset = queryset.filter(pk__in=pks)
    if source.related:
        queryset = queryset.select_related(*source.related)
    if connection.features.has_select_for_update:
        queryset = queryset.select_for_update(
            skip_locked=connection.features.has_select_for_update_skip_locked,
            of=("self",) if connection.features.has_select_for_update_of else (),
        )
    items = list(queryset.order_by(source.due_field, "pk")[:size])
    return list({item.pk: item for item in items}.values())


def handle_batch(
    source: ClockSource,
    content_type: ContentType,
    policy,
    stage: Stage,
    today: date,
    result: SweepResult,
    *,
    pks: list[int] | None = None,
    size: int = BATCH_SIZE,
) -> tuple[int, bool]:
    """Lock a batch of owed items and send their stage, all in one transaction.

    Returns (items handled, whether the batch was full: more may be owed).

    1. one ``SELECT … FOR UPDATE SKIP LOCKED`` for the owed items (rows a parallel
       sweep or a web request holds are left for the next sweep; SQLite's IMMEDIATE
       transaction serialises sweeps instead);
    2. one query for markers committed since that statement's snapshot (a parallel
       sweep that finished an item just before we locked it): those items are dropped;
    3. the stage markers in one insert (unique per item, clock, due date, stage: the
       backstop that rolls the whole batch back rather than send twice);
    4. the escalation's side effects for the batch (``ClockSource.on_overdue_many``: per
       item in a savepoint by default, one insert for a timeline-only clock);
    5. the notices and their ledger rows, one insert each.
    """
    with transaction.atomic():
        locked = _lock_owed(source, content_type, stage, pks, size)
        full = len(locked) >= size
        if not locked:
            return 0, full
        due_field = source.due_field
        finished = set(
            NoticeLedger.objects.markers()
            .filter(
                content_type=content_type,
                clock=source.key,
                stage=stage.name,
                object_id__in=[item.pk for item in locked],
            )
            .values_list("object_id", "due_on")
        )
        items = [item for item in locked if (item.pk, getattr(item, due_field)) not in finished]
        NoticeLedger.objects.bulk_create(
            _ledger_row(source, content_type, stage, item, getattr(item, due_field), recipient=None) for item in items
        )
        dues = {item.pk: getattr(item, due_field) for item in items}  # before any side effect
        if stage.level and items:
            source.on_overdue_many(items, level=stage.level)
        recipients = _recipients_for(source, items, stage.relations)
        rule = rule_text(source.key, policy=policy)
        kind = KIND_ESCALATE if stage.level else KIND_REMIND
        notices: list = []
        owners: list = []
        for item in items:
            due = dues[item.pk]
            subject, body = compose(source, policy, item, stage, due, today, rule=rule)
            built = build_notifications(
                recipients.get(item.pk, ()),
                kind=kind,
                subject=subject,
                body=body,
                link=source.link(item),
                urgent=True,
            )
            notices += built
            owners += [(item, due)] * len(built)
        created = Notification.objects.bulk_create(notices)
        NoticeLedger.objects.bulk_create(
            _ledger_row(source, content_type, stage, item, due, recipient_id=notice.recipient_id, notification=notice)
            for (item, due), notice in zip(owners, created, strict=True)
        )
        result.stages += len(items)
        result.notices += len(created)
    return len(items), full


def _ledger_row(
    source: ClockSource, content_type: ContentType, stage: Stage, item, due: date, **recipient
) -> NoticeLedger:
    """A ledger row for ``item`` at ``stage``: the stage marker (``recipient=None``) or one notice's row."""
    return NoticeLedger(
        content_type=content_type,
        object_id=item.pk,
        clock=source.key,
        stage=stage.name,
        level=stage.level,
        due_on=due,
        **recipient,
    )


def _recipients_for(source: ClockSource, items: list, relations: tuple[str, ...]) -> dict[int, list]:
    """Distinct users per item for the stage's relations, a few queries for the whole batch."""
    users: dict[int, dict[int, object]] = {item.pk: {} for item in items}
    everyone: dict[tuple, object] = {}  # one instance per user for the whole batch
    for relation in relations:
        for pk, found in source.recipients_for(items, relation).items():
            for user in found or ():
                if user is not None:
                    user = everyone.setdefault((type(user), user.pk), user)
                    users[pk].setdefault(user.pk, user)
    _prefetch_members(list(everyone.values()))
    return {pk: list(found.values()) for pk, found in users.items()}


def _prefetch_members(users: list) -> None:
    """The notices read each recipient's member record (``sms_number``): one query for the batch."""
    by_model: dict[type, list] = {}
    for user in users:
        by_model.setdefault(type(user), []).append(user)
    for model, found in by_model.items():
        try:
            model._meta.get_field("member")
        except (AttributeError, FieldDoesNotExist):
            continue
        prefetch_related_objects(found, "member")


def compose(
    source: ClockSource, policy, item, stage: Stage, due: date, today: date, *, rule: str | None = None
) -> tuple[str, str]:
    title = source.title(item)
    clock = policy.name or get_clock(source.key).label
    rule = rule or rule_text(source.key, policy=policy)
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
