"""People and organisations: users, terms, sectors, committees, members, units."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from cppcc_portal.roles import Role, user_has_role

from .enums import (
    HANDLING_KINDS,
    PROPOSER_KINDS,
    CommitteeRole,
    EmailMode,
    Gender,
    GroupRole,
    MemberStatus,
    OrganizationKind,
    PartyKind,
)
from .notices import models as notice_models  # noqa: F401  (registers the 通知公告 models)
from .performance import models as performance_models  # noqa: F401  (registers the performance record's models)
from .terms import models as terms_models  # noqa: F401  (registers the term memberships)

mobile_validator = RegexValidator(r"^1\d{10}$", "请填写11位手机号码。")


class Organization(models.Model):
    """Handling units, towns/streets, and the proposer organisations (集体提案单位): a party's
    district committee, a 界别, a 专委会, a people's organisation.

    A proposer organisation may name the party, sector or committee it speaks for, so the
    statistics count its proposals there (never under its contact member's sector)."""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("类别", max_length=20, choices=OrganizationKind.choices, db_index=True)
    party = models.ForeignKey(
        "Party", verbose_name="所属党派", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sector = models.ForeignKey(
        "Sector", verbose_name="所代表界别", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committee = models.ForeignKey(
        "Committee", verbose_name="所代表专委会", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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

    @property
    def files_proposals(self) -> bool:
        """A proposer organisation: files collective proposals and 社情民意 in its own name."""
        return self.kind in PROPOSER_KINDS


class User(AbstractUser):
    """A login. Roles are groups (see ``cppcc_portal.roles.Role``)."""

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
    is_unit_head = models.BooleanField(
        "单位负责人", default=False, help_text="承办单位的负责人签发答复；提案单位的负责人确认集体提案后方可提交。"
    )
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
        return user_has_role(self, role)

    def clean(self) -> None:
        super().clean()
        if self.organization_id and self.organization.kind not in HANDLING_KINDS + PROPOSER_KINDS:
            raise ValidationError(
                {"organization": "账号只能归属承办单位、镇街或集体提案单位（党派、界别、专委会、人民团体）。"}
            )


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
    office_staff = models.ManyToManyField(
        User,
        verbose_name="专委会办公室工作人员",
        blank=True,
        related_name="served_committees",
        help_text="本专委会办公室的机关工作人员：管理本委的协商、调研、视察，查看本委委员。",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "专门委员会"
        verbose_name_plural = "专门委员会"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:committee", args=[self.pk])


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


class ActivityGroup(models.Model):
    """界别活动组: members of related 界别 who study, research and consult together, served by
    the office of their 对口专委会."""

    name = models.CharField("名称", max_length=60, unique=True)
    committee = models.ForeignKey(
        Committee,
        verbose_name="对口专委会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity_groups",
    )
    sectors = models.ManyToManyField(Sector, verbose_name="涵盖界别", blank=True, related_name="activity_groups")
    members = models.ManyToManyField(
        Member, through="ActivityGroupMembership", verbose_name="成员", blank=True, related_name="activity_groups"
    )
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveIntegerField("排序", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "界别活动组"
        verbose_name_plural = "界别活动组"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:activity-group", args=[self.pk])


class ActivityGroupMembership(models.Model):
    member = models.ForeignKey(Member, verbose_name="委员", on_delete=models.CASCADE, related_name="group_memberships")
    group = models.ForeignKey(
        ActivityGroup, verbose_name="活动组", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("职务", max_length=10, choices=GroupRole.choices, default=GroupRole.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "活动组成员"
        verbose_name_plural = "活动组成员"
        constraints = [models.UniqueConstraint(fields=["member", "group"], name="unique_group_membership")]

    def __str__(self) -> str:
        return f"{self.group} {self.get_role_display()}"


class GroupYearPlan(models.Model):
    """年度工作计划 of one 专委会 or one 活动组 (the consultation and supervision topics it leads are
    shown beside it, from the yearly plans)."""

    committee = models.ForeignKey(
        Committee, verbose_name="专委会", null=True, blank=True, on_delete=models.CASCADE, related_name="year_plans"
    )
    activity_group = models.ForeignKey(
        ActivityGroup,
        verbose_name="活动组",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="year_plans",
    )
    year = models.PositiveSmallIntegerField("年度")
    text = models.TextField("工作要点", help_text="每行一项")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度工作计划"
        verbose_name_plural = "专委会、活动组年度工作计划"
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(committee__isnull=True, activity_group__isnull=False)
                | Q(committee__isnull=False, activity_group__isnull=True),
                name="year_plan_one_owner",
            ),
            models.UniqueConstraint(fields=["committee", "year"], name="one_plan_per_committee_year"),
            models.UniqueConstraint(fields=["activity_group", "year"], name="one_plan_per_group_year"),
        ]

    def __str__(self) -> str:
        return f"{self.committee or self.activity_group} {self.year}年度工作计划"

    @property
    def items(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]
