"""委员联络站 · 委员活动站 · 界别协商工作室."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .enums import ActivityKind, DonationKind, MatterStatus, ServiceKind


class StationType(models.Model):
    """Configurable: 镇街委员联络站, 社区联络站, 委员活动站, 界别协商工作室."""

    name = models.CharField("名称", max_length=40, unique=True)
    order = models.PositiveIntegerField("排序", default=100)
    is_studio = models.BooleanField(
        "界别协商工作室", default=False, help_text="委员可在所属联络站之外另行加入此类站点。"
    )

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
    town = models.ForeignKey(
        "members.Organization",
        verbose_name="所在镇街",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "town_street"},
    )
    map_x = models.DecimalField(
        "地图横坐标", max_digits=5, decimal_places=2, null=True, blank=True, help_text="0–100，自左向右"
    )
    map_y = models.DecimalField(
        "地图纵坐标", max_digits=5, decimal_places=2, null=True, blank=True, help_text="0–100，自上向下"
    )
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveIntegerField("排序", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "联络站"
        verbose_name_plural = "联络站"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stations:detail", args=[self.pk])


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


class StudioMembership(models.Model):
    """A member's place in a 界别协商工作室, beside their home station."""

    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.CASCADE, related_name="studio_memberships"
    )
    station = models.ForeignKey(
        Station, verbose_name="界别协商工作室", on_delete=models.CASCADE, related_name="studio_memberships"
    )
    since = models.DateField("加入日期", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作室成员"
        verbose_name_plural = "界别协商工作室成员"
        constraints = [models.UniqueConstraint(fields=["member", "station"], name="unique_studio_membership")]

    def __str__(self) -> str:
        return f"{self.member} → {self.station}"

    def clean(self) -> None:
        if self.station_id and not self.station.station_type.is_studio:
            raise ValidationError({"station": "只能加入界别协商工作室；所属联络站请在“进站委员”中设置。"})


class DistrictMap(models.Model):
    """The 履职地图's outline of the district, drawn offline (no map tiles): one row."""

    name = models.CharField("区名", max_length=40, default="本区")
    outline = models.TextField(
        "区域轮廓",
        help_text="多边形顶点，坐标 0–100，如：10,20 60,5 95,40 70,95 15,80。各联络站的坐标在联络站中设置。",
    )

    class Meta:
        verbose_name = "履职地图"
        verbose_name_plural = "履职地图（区域轮廓）"

    def __str__(self) -> str:
        return f"{self.name}履职地图"

    def clean(self) -> None:
        try:
            points = parse_outline(self.outline)
        except ValueError as error:
            raise ValidationError({"outline": str(error)}) from error
        if len(points) < 3:
            raise ValidationError({"outline": "轮廓至少需要三个顶点。"})


def parse_outline(text: str) -> list[tuple[float, float]]:
    """``"10,20 60,5 …"`` → points, each coordinate within 0–100."""
    points = []
    for pair in text.replace("\n", " ").split():
        try:
            x, y = (float(value) for value in pair.split(","))
        except ValueError as error:
            raise ValueError(f"无法识别的顶点「{pair}」，请写成“横坐标,纵坐标”。") from error
        if not (0 <= x <= 100 and 0 <= y <= 100):
            raise ValueError(f"顶点「{pair}」超出 0–100 的范围。")
        points.append((x, y))
    return points


class StationActivity(models.Model):
    """One activity at a station: who took part, whom it reached, what came of it."""

    station = models.ForeignKey(Station, verbose_name="联络站", on_delete=models.PROTECT, related_name="activities")
    held_on = models.DateField("活动日期", db_index=True)
    kind = models.CharField("活动类型", max_length=20, choices=ActivityKind.choices, db_index=True)
    service_kind = models.CharField(
        "服务类别", max_length=20, choices=ServiceKind.choices, blank=True, help_text="仅“为民服务”填写"
    )
    title = models.CharField("活动名称", max_length=200)
    description = models.TextField("活动内容", blank=True)
    participants = models.ManyToManyField(
        "members.Member", verbose_name="参加委员", blank=True, related_name="station_activities"
    )
    citizens_reached = models.PositiveIntegerField("服务群众（人次）", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        verbose_name = "联络站活动"
        verbose_name_plural = "联络站活动"
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["station", "held_on"], name="activity_station_date_idx"),
            models.Index(fields=["-held_on", "-id"], name="activity_list_idx"),  # the lists' order
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ActivityKind.SERVICE) | Q(service_kind=""), name="service_kind_only_for_service"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("stations:activity", args=[self.pk])

    @property
    def kind_label(self) -> str:
        label = self.get_kind_display()
        if self.kind == ActivityKind.SERVICE and self.service_kind:
            label += f"·{self.get_service_kind_display()}"
        return label


def photo_path(instance: ActivityPhoto, filename: str) -> str:
    # Never trust the uploaded name: a random name, the extension from the verified format.
    return f"stations/photos/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:6]}"


class ActivityPhoto(models.Model):
    """An image of an activity, under MEDIA_ROOT; served only through ``stations:photo``."""

    activity = models.ForeignKey(StationActivity, verbose_name="活动", on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to=photo_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    width = models.PositiveIntegerField("宽")
    height = models.PositiveIntegerField("高")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or self.image.name

    def get_absolute_url(self) -> str:
        return reverse("stations:photo", args=[self.pk])


class LivelihoodMatter(models.Model):
    """民生实事 (我为群众办实事): a problem raised at a station, followed to its end."""

    station = models.ForeignKey(Station, verbose_name="联络站", on_delete=models.PROTECT, related_name="matters")
    activity = models.ForeignKey(
        StationActivity,
        verbose_name="来源活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters",
    )
    problem = models.TextField("反映问题")
    raised_by = models.CharField("反映人", max_length=100, help_text="群众姓名或单位")
    raised_on = models.DateField("受理日期", db_index=True)
    department = models.ForeignKey(
        "members.Organization",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="livelihood_matters",
    )
    members = models.ManyToManyField(
        "members.Member", verbose_name="经办委员", blank=True, related_name="livelihood_matters"
    )
    status = models.CharField(
        "状态", max_length=20, choices=MatterStatus.choices, default=MatterStatus.ACCEPTED, db_index=True
    )
    unsolvable_reason = models.TextField("无法解决原因", blank=True)
    resolution = models.TextField("办理结果", blank=True)
    resolved_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = "民生实事"
        verbose_name_plural = "民生实事"
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MatterStatus.SOLVED) | Q(resolved_on__isnull=False),
                name="solved_matter_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=MatterStatus.UNSOLVABLE) | ~Q(unsolvable_reason=""),
                name="unsolvable_matter_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.problem[:40]

    def get_absolute_url(self) -> str:
        return reverse("stations:matter", args=[self.pk])


class LivelihoodMatterLog(models.Model):
    """Who moved a 民生实事 from which status to which, and why."""

    matter = models.ForeignKey(LivelihoodMatter, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField("原状态", max_length=20, choices=MatterStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=MatterStatus.choices)
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "民生实事办理记录"
        verbose_name_plural = "民生实事办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.from_status} → {self.to_status}"


class Donation(models.Model):
    """公益捐赠: money (Decimal yuan) or goods, given through a station."""

    station = models.ForeignKey(Station, verbose_name="联络站", on_delete=models.PROTECT, related_name="donations")
    donated_on = models.DateField("捐赠日期", db_index=True)
    donor = models.CharField("捐赠方", max_length=100)
    donor_member = models.ForeignKey(
        "members.Member",
        verbose_name="捐赠委员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donations",
    )
    kind = models.CharField("捐赠形式", max_length=10, choices=DonationKind.choices)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    goods = models.CharField("物资", max_length=200, blank=True)
    goods_value = models.DecimalField("物资折价（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    recipient = models.CharField("受赠对象/用途", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "公益捐赠"
        verbose_name_plural = "公益捐赠"
        ordering = ["-donated_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=DonationKind.MONEY) | Q(amount__gt=0), name="money_donation_has_amount"
            ),
            models.CheckConstraint(condition=~Q(kind=DonationKind.GOODS) | ~Q(goods=""), name="goods_donation_named"),
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.get_kind_display()}"
