"""The performance record (委员履职): the ledger, scoring, 五个一, study, 述职, selection,
contact duties, visits and plenary attendance.

Models of the ``members`` app (its app label and tables are unchanged); ``members/models.py``
imports this module so Django registers them. Writes go through ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..enums import PerformanceAct
from .enums import (
    AttendanceStatus,
    CandidateStatus,
    RecommendChannel,
    ReminderKind,
    ReportStatus,
    RoundStatus,
)


class PerformanceRecord(models.Model):
    """One countable act of one member: the performance ledger (谁组织谁记录).

    Written only through ``members.performance.services.performance_record``; the unique key
    (member, act, source) makes a second write of the same act a no-op.
    """

    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.CASCADE, related_name="performance"
    )
    act = models.CharField("履职事项", max_length=40, choices=PerformanceAct.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    on = models.DateField("日期", db_index=True)
    note = models.CharField("说明", max_length=200, blank=True)
    points = models.DecimalField(
        "分值", max_digits=6, decimal_places=1, default=0, help_text="按记录日期有效的计分规则计算；规则调整后重算。"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "履职记录"
        verbose_name_plural = "履职记录"
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "act", "source_type", "source_id"], name="unique_performance_act"
            ),
        ]
        indexes = [models.Index(fields=["member", "on"], name="perf_member_on_idx")]

    def __str__(self) -> str:
        return f"{self.member} {self.get_act_display()} {self.on}"


class ScoringRule(models.Model):
    """Act → points and yearly cap, valid for a span of dates (staff edit, then recompute)."""

    act = models.CharField("履职事项", max_length=40, choices=PerformanceAct.choices, db_index=True)
    points = models.DecimalField("每次分值", max_digits=6, decimal_places=1)
    yearly_cap = models.DecimalField(
        "年度上限", max_digits=6, decimal_places=1, null=True, blank=True, help_text="留空表示不设上限。"
    )
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="留空表示长期有效（含当日）。")
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "计分规则"
        verbose_name_plural = "计分规则"
        ordering = ["act", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["act", "valid_from"], name="unique_rule_start_per_act"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="scoring_rule_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_act_display()} {self.points}分"

    def clean(self) -> None:
        super().clean()
        if not self.act or not self.valid_from:
            return
        overlapping = ScoringRule.objects.filter(act=self.act).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        if overlapping.exists():
            raise ValidationError("同一履职事项的计分规则有效期不能重叠，请先为旧规则填写失效日期。")


class ScoreBand(models.Model):
    """A grade band: a total at or above ``min_score`` (and below the next band) earns ``name``."""

    name = models.CharField("等次", max_length=20, unique=True)
    min_score = models.DecimalField("最低分（含）", max_digits=6, decimal_places=1, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "评定等次"
        verbose_name_plural = "评定等次"
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return f"{self.name}（≥{self.min_score}）"


class FiveOnesRequirement(models.Model):
    """One of the yearly minimums (五个一): at least ``minimum`` entries of any of ``acts``."""

    name = models.CharField("名称", max_length=40, unique=True, help_text="如：一篇学习心得")
    acts = models.JSONField("计入的履职事项", default=list)
    minimum = models.PositiveSmallIntegerField("年度最少次数", default=1)
    order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "五个一要求"
        verbose_name_plural = "五个一要求"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        valid = set(PerformanceAct.values)
        if not self.acts or not isinstance(self.acts, list) or set(self.acts) - valid:
            raise ValidationError({"acts": "请至少选择一个有效的履职事项。"})


class MemberYearScore(models.Model):
    """A member's total for a year: derived from the ledger, rebuilt by ``recompute_scores``."""

    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.CASCADE, related_name="year_scores"
    )
    year = models.PositiveSmallIntegerField("年度")
    total = models.DecimalField("总分", max_digits=7, decimal_places=1, default=0)
    act_count = models.PositiveIntegerField("履职次数", default=0)
    # Per act: entries and raw points (before caps), so the statistics read one row per member
    # instead of the year's whole ledger. Kept with ``total`` by ``scoring``.
    act_counts = models.JSONField("各项履职次数", default=dict, blank=True)
    act_points = models.JSONField("各项计分（未封顶）", default=dict, blank=True)
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "年度得分"
        verbose_name_plural = "年度得分"
        ordering = ["-year", "-total"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="unique_member_year_score")]
        indexes = [models.Index(fields=["year", "total"], name="score_year_total_idx")]

    def __str__(self) -> str:
        return f"{self.member} {self.year}年 {self.total}分"


class FiveOnesReminder(models.Model):
    """Ledger of 五个一 reminders: the unique key makes each one go out once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="five_ones_reminders"
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    kind = models.CharField("类型", max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "五个一提醒记录"
        verbose_name_plural = "五个一提醒记录"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "year", "quarter", "kind"], name="unique_five_ones_reminder")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.year}Q{self.quarter} {self.get_kind_display()}"


class ReadingGroup(models.Model):
    """读书群组."""

    name = models.CharField("名称", max_length=60, unique=True)
    description = models.TextField("简介", blank=True)
    members = models.ManyToManyField("members.Member", verbose_name="成员", blank=True, related_name="reading_groups")
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "读书群组"
        verbose_name_plural = "读书群组"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StudyMaterial(models.Model):
    """学习资料 published by staff."""

    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    link = models.URLField("原文链接", blank=True)
    group = models.ForeignKey(
        ReadingGroup,
        verbose_name="读书群组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )
    published_on = models.DateField("发布日期", db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "学习资料"
        verbose_name_plural = "学习资料"
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("members:study-material", kwargs={"pk": self.pk})


class StudyReflection(models.Model):
    """学习心得: a member's reflection; staff may mark it excellent."""

    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.CASCADE, related_name="reflections"
    )
    material = models.ForeignKey(
        StudyMaterial,
        verbose_name="学习资料",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reflections",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    submitted_on = models.DateField("提交日期", db_index=True)
    is_excellent = models.BooleanField("优秀心得", default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="标记人", null=True, blank=True, on_delete=models.SET_NULL
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "学习心得"
        verbose_name_plural = "学习心得"
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("members:reflection-detail", kwargs={"pk": self.pk})


class Training(models.Model):
    """委员培训."""

    title = models.CharField("培训名称", max_length=200)
    held_on = models.DateField("培训日期", db_index=True)
    location = models.CharField("地点", max_length=200, blank=True)
    description = models.TextField("内容", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "委员培训"
        verbose_name_plural = "委员培训"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("members:training-detail", kwargs={"pk": self.pk})


class TrainingAttendance(models.Model):
    training = models.ForeignKey(Training, verbose_name="培训", on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.CASCADE, related_name="trainings"
    )
    status = models.CharField("出席情况", max_length=10, choices=AttendanceStatus.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "培训出席"
        verbose_name_plural = "培训出席"
        constraints = [models.UniqueConstraint(fields=["training", "member"], name="unique_training_attendance")]
        # The training list counts each shown training's attended rows from this index alone.
        indexes = [models.Index(fields=["training", "status"], name="training_attendance_status")]

    def __str__(self) -> str:
        return f"{self.training} {self.member} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.training.get_absolute_url()


class AnnualReport(models.Model):
    """年度述职: written by the member, reviewed by staff; accepted reports join the file."""

    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.CASCADE, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    summary = models.TextField("履职情况摘要", blank=True, help_text="按年度履职记录生成，可修改。")
    body = models.TextField("述职正文", blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度述职"
        verbose_name_plural = "年度述职"
        ordering = ["-year", "member__name"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="unique_annual_report")]

    def __str__(self) -> str:
        return f"{self.member} {self.year}年度述职"

    def get_absolute_url(self) -> str:
        return reverse("members:report-review", kwargs={"pk": self.pk})


class AnnualReportLog(models.Model):
    """Who moved a 述职 from which state to which, when, and why."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "述职流转记录"
        verbose_name_plural = "述职流转记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report} {self.from_status}→{self.to_status}"


class SelectionRound(models.Model):
    """优秀委员评选: one round a year."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("名称", max_length=100)
    cap_percent = models.DecimalField(
        "推荐比例上限（%）",
        max_digits=4,
        decimal_places=1,
        default=8,
        validators=[MinValueValidator(5), MaxValueValidator(10)],
        help_text="占在任委员（不含主席会议成员）的比例，5%–10%。",
    )
    status = models.CharField(
        "状态", max_length=20, choices=RoundStatus.choices, default=RoundStatus.RECOMMENDING, db_index=True
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "优秀委员评选"
        verbose_name_plural = "优秀委员评选"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cap_percent__gte=5) & Q(cap_percent__lte=10), name="selection_cap_between_5_and_10"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("members:selection-detail", kwargs={"pk": self.pk})


class SelectionCandidate(models.Model):
    round = models.ForeignKey(SelectionRound, verbose_name="评选", on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.CASCADE, related_name="selections"
    )
    channel = models.CharField("推荐渠道", max_length=20, choices=RecommendChannel.choices)
    committee = models.ForeignKey(
        "members.Committee",
        verbose_name="推荐专委会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sector = models.ForeignKey(
        "members.Sector", verbose_name="推荐界别", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("推荐理由")
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="推荐人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.RECOMMENDED
    )
    review_note = models.CharField("审核意见", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "优秀委员候选人"
        verbose_name_plural = "优秀委员候选人"
        ordering = ["round", "member__name"]
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="unique_candidate_per_round")]

    def __str__(self) -> str:
        return f"{self.round} {self.member}"


class LeaderSectorDuty(models.Model):
    """党组成员联系界别: a leader looks after a sector."""

    leader = models.ForeignKey(
        "members.Member", verbose_name="联系领导", on_delete=models.CASCADE, related_name="sector_duties"
    )
    sector = models.ForeignKey(
        "members.Sector", verbose_name="界别", on_delete=models.CASCADE, related_name="leader_duties"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "领导联系界别"
        verbose_name_plural = "领导联系界别"
        ordering = ["sector__order", "leader__name"]
        constraints = [models.UniqueConstraint(fields=["leader", "sector"], name="unique_leader_sector")]

    def __str__(self) -> str:
        return f"{self.leader} → {self.sector}"


class CpcContactDuty(models.Model):
    """联系党外委员: a CPC member looks after a non-CPC member (one contact each)."""

    cpc_member = models.ForeignKey(
        "members.Member", verbose_name="中共党员委员", on_delete=models.CASCADE, related_name="contacts"
    )
    non_cpc_member = models.OneToOneField(
        "members.Member", verbose_name="党外委员", on_delete=models.CASCADE, related_name="contact_duty"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "联系党外委员"
        verbose_name_plural = "联系党外委员"
        ordering = ["cpc_member__name"]

    def __str__(self) -> str:
        return f"{self.cpc_member} → {self.non_cpc_member}"


class Visit(models.Model):
    """走访委员: date, content and the issues the member raised."""

    member = models.ForeignKey(
        "members.Member", verbose_name="走访对象", on_delete=models.CASCADE, related_name="visits"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="走访人", on_delete=models.PROTECT, related_name="visits_made"
    )
    visited_on = models.DateField("走访日期", db_index=True)
    content = models.TextField("走访内容")
    issues = models.TextField("反映的问题和建议", blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["member", "visited_on"], name="visit_member_on_idx")]

    def __str__(self) -> str:
        return f"{self.visitor} 走访 {self.member} {self.visited_on}"


class PlenaryAttendance(models.Model):
    """Attendance at a plenary session (全体会议), recorded by staff; feeds the ledger."""

    session = models.ForeignKey(
        "members.PlenarySession", verbose_name="会次", on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.CASCADE, related_name="plenary_attendance"
    )
    status = models.CharField("出席情况", max_length=10, choices=AttendanceStatus.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "全体会议出席"
        verbose_name_plural = "全体会议出席"
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="unique_plenary_attendance")]

    def __str__(self) -> str:
        return f"{self.session} {self.member} {self.get_status_display()}"


class PlenaryGroup(models.Model):
    """分组讨论: a discussion group of a plenary session, usually of one or more 界别."""

    session = models.ForeignKey(
        "members.PlenarySession", verbose_name="会次", on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField("小组名称", max_length=60, help_text="如：第一组（中共、共青团、工会）")
    sectors = models.ManyToManyField(
        "members.Sector", verbose_name="所含界别", blank=True, related_name="plenary_groups"
    )
    venue = models.CharField("讨论地点", max_length=100, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "大会讨论小组"
        verbose_name_plural = "大会讨论小组"
        ordering = ["session", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "name"], name="unique_plenary_group")]

    def __str__(self) -> str:
        return self.name


class PlenaryDay(models.Model):
    """One day (or half-day sitting) of a plenary session: 开幕大会, 分组讨论, 闭幕大会 …"""

    session = models.ForeignKey(
        "members.PlenarySession", verbose_name="会次", on_delete=models.CASCADE, related_name="days"
    )
    on = models.DateField("日期")
    title = models.CharField("议程", max_length=60, help_text="如：开幕大会、分组讨论、闭幕大会")
    is_group_discussion = models.BooleanField("分组讨论", default=False, help_text="分组讨论时登记每位委员所在小组。")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "大会日程"
        verbose_name_plural = "大会日程"
        ordering = ["session", "on", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "on", "title"], name="unique_plenary_day")]

    def __str__(self) -> str:
        return f"{self.on:%m月%d日} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("members:plenary-day", kwargs={"pk": self.pk})


class PlenaryDayAttendance(models.Model):
    """A member's attendance on one plenary day (and the group they discussed in).

    The session's ``PlenaryAttendance`` is rolled up from these rows, so the ledger still
    credits the plenary once, however many days are recorded."""

    day = models.ForeignKey(PlenaryDay, verbose_name="日程", on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.CASCADE, related_name="plenary_days"
    )
    status = models.CharField("出席情况", max_length=10, choices=AttendanceStatus.choices)
    group = models.ForeignKey(
        PlenaryGroup,
        verbose_name="讨论小组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendance",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "大会每日出席"
        verbose_name_plural = "大会每日出席"
        constraints = [models.UniqueConstraint(fields=["day", "member"], name="unique_plenary_day_attendance")]

    def __str__(self) -> str:
        return f"{self.day} {self.member} {self.get_status_display()}"
