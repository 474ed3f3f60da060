"""委员联络站 · 委员活动站 · 界别协商工作室."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class StationType(models.Model):
    """Configurable: 镇街委员联络站, 社区联络站, 委员活动站, 界别协商工作室."""

    name = models.CharField("名称", max_length=40, unique=True)
    order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "联络站类型"
        verbose_name_plural = "联络站类型"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Station(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    station_type = models.ForeignKey(
        StationType, verbose_name="类型", on_delete=models.PROTECT, related_name="stations"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    coverage = models.CharField("覆盖镇街/社区", max_length=300, blank=True)
    head = models.ForeignKey(
        "members.Member",
        verbose_name="站长",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_stations",
    )
    instructor_name = models.CharField("指导员", max_length=40, blank=True)
    instructor_post = models.CharField("指导员职务", max_length=100, blank=True)
    instructor_contact = models.CharField("指导员联系方式", max_length=40, blank=True)
    liaison_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="包联领导",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_stations",
    )
    reception_days = models.CharField("接待日", max_length=100, blank=True, help_text="如：每月第一个周三上午")
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveIntegerField("排序", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "联络站"
        verbose_name_plural = "联络站"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class StationMembership(models.Model):
    """A member's one home station (就近划分进站)."""

    member = models.OneToOneField(
        "members.Member", verbose_name="委员", on_delete=models.CASCADE, related_name="station_membership"
    )
    station = models.ForeignKey(Station, verbose_name="联络站", on_delete=models.CASCADE, related_name="memberships")
    since = models.DateField("进站日期", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "进站委员"
        verbose_name_plural = "进站委员"

    def __str__(self) -> str:
        return f"{self.member} → {self.station}"
