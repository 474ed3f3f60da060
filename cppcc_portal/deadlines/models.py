"""The deadline engine's tables: policies (a clock's staff-edited length and reminders),
escalation ladders and the notice ledger.

They belong to the ``cppcc_portal`` app (imported from ``cppcc_portal.models``), so
moving them here changed no table and needed no migration.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class DeadlinePolicyQuerySet(models.QuerySet):
    """Writes that send no per-row signal still tell the processes' policy copies (``policy_cache``)."""

    def _changed(self) -> None:
        from .policy_cache import policies_changed

        policies_changed()

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        self._changed()
        return rows

    def delete(self):
        deleted = super().delete()
        self._changed()
        return deleted

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        self._changed()
        return created

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        self._changed()
        return rows


class DeadlinePolicy(models.Model):
    """Staff-editable length and reminders of one declared clock.

    Rows are created from the clocks the apps declare (``cppcc_portal.deadlines``);
    editing one changes due dates set from then on, never those already set.
    """

    key = models.CharField("时限代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=60)
    start_label = models.CharField("起算说明", max_length=30, help_text="如：交办后")
    length = models.PositiveIntegerField("时限长度")
    unit = models.CharField(
        "单位",
        max_length=20,
        choices=[
            ("working_days", "个工作日"),
            ("calendar_months", "个月"),
            ("calendar_days", "天"),
        ],
    )
    reminder_offsets = models.JSONField("提前提醒（工作日）", default=list, blank=True, help_text="如 [30, 10, 3]")
    reminder_recipients = models.JSONField(
        "提醒对象", default=list, blank=True, help_text="到期前提醒谁（关系名称），如 unit_users"
    )
    is_active = models.BooleanField("启用提醒与升级", default=True)
    history = HistoricalRecords()

    objects = DeadlinePolicyQuerySet.as_manager()

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.name}（{self.start_label}{self.length}{self.get_unit_display()}）"


class EscalationStep(models.Model):
    """One rung of a clock's ladder: after N working days overdue, tell these people."""

    policy = models.ForeignKey(
        "cppcc_portal.DeadlinePolicy", on_delete=models.CASCADE, related_name="escalation_steps", verbose_name="时限"
    )
    level = models.PositiveSmallIntegerField("级别", validators=[MinValueValidator(1)])
    after_days = models.PositiveSmallIntegerField(
        "逾期满（工作日）",
        default=1,
        validators=[MinValueValidator(1)],
        help_text="到期日之后满N个工作日触发；1 表示逾期后的第一个工作日。",
    )
    recipients = models.JSONField("通知对象", default=list, blank=True, help_text="关系名称，如 unit_head、staff")
    label = models.CharField("说明", max_length=60, blank=True, help_text="如：督办领导介入并标记督办")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "逾期升级步骤"
        verbose_name_plural = "逾期升级步骤"
        ordering = ["policy", "level"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "level"], name="escalation_level_once_per_policy"),
        ]

    def __str__(self) -> str:
        return f"第{self.level}级：逾期满{self.after_days}个工作日"


class NoticeStage:
    """Stage names in the ledger: ``remind:<offset>`` and ``escalate:<level>``."""

    @staticmethod
    def remind(offset: int) -> str:
        return f"remind:{offset}"

    @staticmethod
    def escalate(level: int) -> str:
        return f"escalate:{level}"


class NoticeLedgerQuerySet(models.QuerySet):
    def markers(self) -> NoticeLedgerQuerySet:
        return self.filter(recipient__isnull=True)


class NoticeLedger(models.Model):
    """What the sweep has already told whom: one row per item, clock, due date, stage, recipient.

    The row with ``recipient`` empty marks the stage itself as done (and its side
    effect as applied); it is written first, in the same transaction as the
    notices, so a second or concurrent sweep finds it and does nothing. The due
    date is part of the key so an extension or a new cycle starts a fresh ladder.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="对象类型")
    object_id = models.PositiveBigIntegerField("对象ID")
    clock = models.CharField("时限代码", max_length=60)
    stage = models.CharField("阶段", max_length=30)
    level = models.PositiveSmallIntegerField("升级级别", default=0, help_text="0 为到期前提醒")
    due_on = models.DateField("到期日")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="接收人",
    )
    notification = models.ForeignKey(
        "cppcc_portal.Notification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("发送时间", auto_now_add=True)

    objects = NoticeLedgerQuerySet.as_manager()

    class Meta:
        verbose_name = "期限通知记录"
        verbose_name_plural = "期限通知记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "clock", "stage", "due_on", "recipient"],
                condition=models.Q(recipient__isnull=False),
                name="notice_once_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "clock", "stage", "due_on"],
                condition=models.Q(recipient__isnull=True),
                name="notice_stage_once",
            ),
        ]
        indexes = [
            models.Index(fields=["clock", "content_type", "object_id", "due_on"], name="notice_item_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.clock} #{self.object_id} {self.stage} {self.due_on}"
