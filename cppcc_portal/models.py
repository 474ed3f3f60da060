"""Cross-cutting models: calendar overrides, the notification inbox and the kept generated documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

# The deadline engine's tables live with it (cppcc_portal/deadlines/models.py) and belong to
# this app; importing them here is what registers them when Django loads the app's models.
from .deadlines.models import DeadlinePolicy, EscalationStep, NoticeLedger


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


class NotificationQuerySet(models.QuerySet):
    """Writes that send no per-row signal still move the recipients' unread counts
    (``cppcc_portal.notifications.unread_count``); ``post_save``/``post_delete`` cover the rest."""

    COUNTED = {"recipient", "recipient_id", "read_at"}

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _unread_changed(row.recipient_id for row in created)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if self.COUNTED & set(fields):
            _unread_changed(row.recipient_id for row in objs)
        return rows

    def update(self, **kwargs):
        if not self.COUNTED & set(kwargs):
            return super().update(**kwargs)
        recipients = set(self.values_list("recipient_id", flat=True).order_by().distinct())
        rows = super().update(**kwargs)
        _unread_changed(recipients | {kwargs.get("recipient_id") or getattr(kwargs.get("recipient"), "pk", None)})
        return rows

    def delete(self):
        recipients = set(self.values_list("recipient_id", flat=True).order_by().distinct())
        deleted = super().delete()
        _unread_changed(recipients)
        return deleted


def _unread_changed(user_ids) -> None:
    # Inside: cppcc_portal.notifications imports this module.
    from .notifications import unread_changed

    unread_changed(user_ids)


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

    objects = NotificationQuerySet.as_manager()

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


class GeneratedDocument(models.Model):
    """A large document built in the background (``cppcc_portal.generated``) and kept: one per
    kind, parameters and data version (the whole database's write version,
    ``cppcc_portal.writeversion``), served again while no write has happened since. A document
    with no version (none to read, or the build may have missed a write not yet committed) is
    only for the people who waited for it, by its number; no other request is offered it."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "正在生成"
        READY = "ready", "已生成"
        FAILED = "failed", "生成失败"

    kind = models.CharField("文档类型", max_length=60)
    params_key = models.CharField("参数", max_length=200)
    params = models.JSONField("参数值", default=dict)
    data_version = models.CharField("数据版本", max_length=40, null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="申请人"
    )
    file = models.FileField("文件", upload_to="generated/%Y/%m/", blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    error = models.TextField("错误信息", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "生成文档"
        verbose_name_plural = "生成文档"
        constraints = [
            models.UniqueConstraint(fields=["kind", "params_key", "data_version"], name="generated_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.params_key} v{self.data_version or '-'}（{self.get_status_display()}）"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED


__all__ = [
    "DeadlinePolicy",
    "EscalationStep",
    "GeneratedDocument",
    "NoticeLedger",
    "Notification",
    "WorkdayOverride",
]
