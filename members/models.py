"""People and organisations: users, terms, sectors, committees, members, units."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .enums import (
    CommitteeRole,
    EmailMode,
    Gender,
    MemberStatus,
    OrganizationKind,
    PartyKind,
    PerformanceAct,
)
from .roles import Role

mobile_validator = RegexValidator(r"^1\d{10}$", "请填写11位手机号码。")


class Organization(models.Model):
    """Handling units, towns/streets, parties and people's organisations."""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("类别", max_length=20, choices=OrganizationKind.choices, db_index=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveIntegerField("排序", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构（承办单位、镇街、党派团体）"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A login. Roles are groups (see ``members.roles.Role``)."""

    name = models.CharField("姓名", max_length=40, blank=True)
    mobile = models.CharField("手机", max_length=11, blank=True, validators=[mobile_validator])
    organization = models.ForeignKey(
        Organization,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="承办单位用户必须属于且只属于一个单位。",
    )
    is_unit_head = models.BooleanField("单位负责人", default=False)
    email_mode = models.CharField("邮件通知", max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)
    sms_enabled = models.BooleanField("期限通知发短信", default=True)
    # No password hashes or sign-in times in the history: a copy of every old hash is a gift to an attacker.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.username

    def sms_number(self) -> str:
        member = getattr(self, "member", None)
        return self.mobile or (member.mobile if member else "")

    def has_role(self, role: Role | str) -> bool:
        names = getattr(self, "_role_names", None)
        if names is None:
            names = self._role_names = set(self.groups.values_list("name", flat=True))
        return role in names

    def clean(self) -> None:
        super().clean()
        allowed = (OrganizationKind.HANDLING_UNIT, OrganizationKind.TOWN_STREET)
        if self.organization_id and self.organization.kind not in allowed:
            raise ValidationError({"organization": "账号只能归属承办单位或镇街。"})


class Term(models.Model):
    """届: a five-year term."""

    number = models.PositiveSmallIntegerField("届次", unique=True)
    name = models.CharField("名称", max_length=20, help_text="如：第二届")
    short_name = models.CharField("简称", max_length=10, help_text="用于提案编号，如：二届")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    is_current = models.BooleanField("本届", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "届次"
        verbose_name_plural = "届次"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_term"),
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="term_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Term | None:
        return cls.objects.filter(is_current=True).first()


class PlenarySession(models.Model):
    """次会议: the yearly plenary session of a term, and its proposal window."""

    term = models.ForeignKey(Term, verbose_name="届次", on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField("会次")
    name = models.CharField("名称", max_length=40, help_text="如：第二届第三次会议")
    short_name = models.CharField("简称", max_length=20, help_text="用于提案编号，如：二届三次会议")
    year = models.PositiveSmallIntegerField("年度")
    opens_on = models.DateField("大会开幕")
    closes_on = models.DateField("大会闭幕")
    proposal_deadline = models.DateField("大会提案截止日期", null=True, blank=True)
    is_current = models.BooleanField("当前会次", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "会次"
        verbose_name_plural = "会次（次会议）"
        ordering = ["-term__number", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="unique_session_per_term"),
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_session"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> PlenarySession | None:
        return cls.objects.select_related("term").filter(is_current=True).first()


class Sector(models.Model):
    """界别."""

    name = models.CharField("名称", max_length=40, unique=True)
    order = models.PositiveIntegerField("排序", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "界别"
        verbose_name_plural = "界别"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Committee(models.Model):
    """专门委员会 (and the 提案委 among them)."""

    name = models.CharField("名称", max_length=60, unique=True)
    short_name = models.CharField("简称", max_length=20, blank=True)
    order = models.PositiveIntegerField("排序", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "专门委员会"
        verbose_name_plural = "专门委员会"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Party(models.Model):
    """Party affiliation: 中共, the eight democratic parties, 无党派人士, 群众."""

    name = models.CharField("名称", max_length=40, unique=True)
    kind = models.CharField("类别", max_length=20, choices=PartyKind.choices)
    order = models.PositiveIntegerField("排序", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "党派"
        verbose_name_plural = "党派"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """政协职务: 主席, 副主席, 秘书长, 常委, 委员."""

    name = models.CharField("名称", max_length=20, unique=True)
    rank = models.PositiveSmallIntegerField("排序", default=100, help_text="数字越小职务越高")
    is_leadership = models.BooleanField("主席会议成员", default=False)
    is_standing_committee = models.BooleanField("常委会组成人员", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "政协职务"
        verbose_name_plural = "政协职务"
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(models.QuerySet):
    def with_profile(self) -> MemberQuerySet:
        return self.select_related("party", "sector", "position").prefetch_related(
            models.Prefetch(
                "committee_memberships",
                queryset=CommitteeMembership.objects.select_related("committee").order_by("committee__order"),
            ),
            "terms",
        )

    def active(self) -> MemberQuerySet:
        return self.filter(status=MemberStatus.ACTIVE)


class Member(models.Model):
    """委员. One row per person; ``user`` is set when the member has a login."""

    user = models.OneToOneField(
        User, verbose_name="登录账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    name = models.CharField("姓名", max_length=40, db_index=True)
    gender = models.CharField("性别", max_length=2, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期", null=True, blank=True)
    party = models.ForeignKey(Party, verbose_name="党派", null=True, blank=True, on_delete=models.PROTECT)
    sector = models.ForeignKey(
        Sector, verbose_name="界别", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    employer_title = models.CharField("工作单位及职务", max_length=200, blank=True)
    mobile = models.CharField("手机", max_length=11, blank=True, validators=[mobile_validator])
    office_phone = models.CharField("办公电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通讯地址", max_length=200, blank=True)
    position = models.ForeignKey(Position, verbose_name="政协职务", null=True, blank=True, on_delete=models.PROTECT)
    terms = models.ManyToManyField(Term, verbose_name="届次", blank=True, related_name="members")
    committees = models.ManyToManyField(
        Committee, through="CommitteeMembership", verbose_name="专委会", blank=True, related_name="members"
    )
    status = models.CharField(
        "状态", max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE, db_index=True
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "委员"
        verbose_name_plural = "委员"
        ordering = ["position__rank", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mobile"], condition=~Q(mobile=""), name="unique_member_mobile"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = date.today()
        return (
            today.year
            - self.birth_date.year
            - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))
        )

    @property
    def is_standing_committee(self) -> bool:
        return bool(self.position and self.position.is_standing_committee)


class CommitteeMembership(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="committee_memberships")
    committee = models.ForeignKey(
        Committee, verbose_name="专委会", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("职务", max_length=10, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "专委会成员"
        verbose_name_plural = "专委会成员"
        constraints = [models.UniqueConstraint(fields=["member", "committee"], name="unique_committee_membership")]

    def __str__(self) -> str:
        return f"{self.committee} {self.get_role_display()}"


class PerformanceRecord(models.Model):
    """One countable act of one member: the performance ledger (谁组织谁记录).

    Written only through ``members.services.performance_record``; the unique key
    (member, act, source) makes a second write of the same act a no-op.
    """

    member = models.ForeignKey(Member, verbose_name="委员", on_delete=models.CASCADE, related_name="performance")
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


# --- Member performance (委员履职): scoring, 五个一, study, 述职, selection, contacts ---------
# Services and pages live in ``members/performance/``.

from .performance.enums import (  # noqa: E402
    AttendanceStatus,
    CandidateStatus,
    RecommendChannel,
    ReminderKind,
    ReportStatus,
    RoundStatus,
)


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

    member = models.ForeignKey(Member, verbose_name="委员", on_delete=models.CASCADE, related_name="year_scores")
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

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="five_ones_reminders")
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
    members = models.ManyToManyField(Member, verbose_name="成员", blank=True, related_name="reading_groups")
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
    created_by = models.ForeignKey(User, verbose_name="发布人", null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "学习资料"
        verbose_name_plural = "学习资料"
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("members:study-material", kwargs={"pk": self.pk})


class StudyReflection(models.Model):
    """学习心得: a member's reflection; staff may mark it excellent."""

    member = models.ForeignKey(Member, verbose_name="委员", on_delete=models.CASCADE, related_name="reflections")
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
    marked_by = models.ForeignKey(User, verbose_name="标记人", null=True, blank=True, on_delete=models.SET_NULL)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "学习心得"
        verbose_name_plural = "学习心得"
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("members:reflection-detail", kwargs={"pk": self.pk})


class Training(models.Model):
    """委员培训."""

    title = models.CharField("培训名称", max_length=200)
    held_on = models.DateField("培训日期", db_index=True)
    location = models.CharField("地点", max_length=200, blank=True)
    description = models.TextField("内容", blank=True)
    created_by = models.ForeignKey(User, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "委员培训"
        verbose_name_plural = "委员培训"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("members:training-detail", kwargs={"pk": self.pk})


class TrainingAttendance(models.Model):
    training = models.ForeignKey(Training, verbose_name="培训", on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, verbose_name="委员", on_delete=models.CASCADE, related_name="trainings")
    status = models.CharField("出席情况", max_length=10, choices=AttendanceStatus.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "培训出席"
        verbose_name_plural = "培训出席"
        constraints = [models.UniqueConstraint(fields=["training", "member"], name="unique_training_attendance")]

    def __str__(self) -> str:
        return f"{self.training} {self.member} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.training.get_absolute_url()


class AnnualReport(models.Model):
    """年度述职: written by the member, reviewed by staff; accepted reports join the file."""

    member = models.ForeignKey(Member, verbose_name="委员", on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    summary = models.TextField("履职情况摘要", blank=True, help_text="按年度履职记录生成，可修改。")
    body = models.TextField("述职正文", blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
        from django.urls import reverse

        return reverse("members:report-review", kwargs={"pk": self.pk})


class AnnualReportLog(models.Model):
    """Who moved a 述职 from which state to which, when, and why."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
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
        from django.urls import reverse

        return reverse("members:selection-detail", kwargs={"pk": self.pk})


class SelectionCandidate(models.Model):
    round = models.ForeignKey(SelectionRound, verbose_name="评选", on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey(Member, verbose_name="委员", on_delete=models.CASCADE, related_name="selections")
    channel = models.CharField("推荐渠道", max_length=20, choices=RecommendChannel.choices)
    committee = models.ForeignKey(
        Committee, verbose_name="推荐专委会", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sector = models.ForeignKey(
        Sector, verbose_name="推荐界别", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("推荐理由")
    recommended_by = models.ForeignKey(
        User, verbose_name="推荐人", null=True, on_delete=models.SET_NULL, related_name="+"
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

    leader = models.ForeignKey(Member, verbose_name="联系领导", on_delete=models.CASCADE, related_name="sector_duties")
    sector = models.ForeignKey(Sector, verbose_name="界别", on_delete=models.CASCADE, related_name="leader_duties")
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
        Member, verbose_name="中共党员委员", on_delete=models.CASCADE, related_name="contacts"
    )
    non_cpc_member = models.OneToOneField(
        Member, verbose_name="党外委员", on_delete=models.CASCADE, related_name="contact_duty"
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

    member = models.ForeignKey(Member, verbose_name="走访对象", on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey(User, verbose_name="走访人", on_delete=models.PROTECT, related_name="visits_made")
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
        PlenarySession, verbose_name="会次", on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(Member, verbose_name="委员", on_delete=models.CASCADE, related_name="plenary_attendance")
    status = models.CharField("出席情况", max_length=10, choices=AttendanceStatus.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "全体会议出席"
        verbose_name_plural = "全体会议出席"
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="unique_plenary_attendance")]

    def __str__(self) -> str:
        return f"{self.session} {self.member} {self.get_status_display()}"
