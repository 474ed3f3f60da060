"""The deadline engine's tables: escalation ladders and the notice ledger.

They belong to the ``cppcc_portal`` app (imported from ``cppcc_portal.models``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


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
