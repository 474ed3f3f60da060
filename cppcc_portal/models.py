"""Cross-cutting models: calendar overrides and the notification inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class WorkdayOverride(models.Model):
    """A local exception to the official calendar; it always wins."""

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日", help_text="勾选表示当天上班（补班），不勾选表示当天放假")
    note = models.CharField("说明", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_working_day else '放假'}"


class Notification(models.Model):
    """One notice to one person: always in the inbox, maybe also by e-mail/SMS."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人"
    )
    kind = models.CharField("类型", max_length=60)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    urgent = models.BooleanField("紧急（期限通知）", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # Outbound delivery, decided from the recipient's preferences when created.
    send_email = models.BooleanField("发邮件", default=False)
    send_sms = models.BooleanField("发短信", default=False)
    in_digest = models.BooleanField("汇总发送", default=False)
    email_sent_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    sms_sent_at = models.DateTimeField("短信发送时间", null=True, blank=True)
    delivery_pending = models.BooleanField("待外发", default=False)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_unread_idx"),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_inbox_idx"),  # the inbox
            models.Index(
                fields=["delivery_pending"],
                condition=models.Q(delivery_pending=True),
                name="notif_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


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

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.name}（{self.start_label}{self.length}{self.get_unit_display()}）"


# The deadline engine's own tables live with it; they belong to this app.
from .deadlines.models import EscalationStep, NoticeLedger  # noqa: E402

__all__ = ["DeadlinePolicy", "EscalationStep", "NoticeLedger", "Notification", "WorkdayOverride"]
