"""通知公告: a notice or document the 办公室 publishes to chosen groups, and who has read it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class NoticeKind(models.TextChoices):
    NOTICE = "notice", "通知"
    DOCUMENT = "document", "文件"


def attachment_path(instance, filename: str) -> str:
    return f"notices/{instance.notice_id}/{filename}"


class Notice(models.Model):
    kind = models.CharField("类型", max_length=10, choices=NoticeKind.choices, default=NoticeKind.NOTICE)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    audience = models.CharField("发送范围", max_length=500, help_text="发布时所选的对象组，如：全体委员；经济界")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", db_index=True)

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at", "-id"], name="notice_list_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = "通知附件"
        verbose_name_plural = "通知附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("notices:attachment", args=[self.pk])


class NoticeReceipt(models.Model):
    """One recipient of a notice: when they first opened it, and the reminders sent to them."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notice_receipts"
    )
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    reminded_at = models.DateTimeField("最近提醒时间", null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField("提醒次数", default=0)

    class Meta:
        verbose_name = "阅读回执"
        verbose_name_plural = "阅读回执"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["notice", "recipient"], name="unique_notice_receipt")]
        indexes = [models.Index(fields=["recipient", "notice"], name="notice_receipt_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.notice} → {self.recipient}"
