"""社情民意信息: public-opinion reports filed by members and stations, handled by the research office."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .enums import (
    HigherLevel,
    InstructionLevel,
    IssueKind,
    IssueStatus,
    MicroKind,
    MicroStatus,
    OpinionAction,
    OpinionChannel,
    OpinionStatus,
)


class PublicOpinion(models.Model):
    """One report (一事一报). The original text is never changed; staff edit a copy for reporting."""

    title = models.CharField("标题", max_length=200)
    situation = models.TextField("基本情况")
    suggestion = models.TextField("意见建议")
    urgent = models.BooleanField("急事急报", default=False, db_index=True)
    author = models.ForeignKey(
        "members.Member", verbose_name="反映人", on_delete=models.PROTECT, related_name="public_opinions"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="filed_opinions"
    )
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name="以单位名义报送",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
        help_text="党派区委、界别、专委会或人民团体以本单位名义报送时，反映人为其联系委员。",
    )
    station = models.ForeignKey(
        "liaison_stations.Station",
        verbose_name="以联络站名义报送",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    activity = models.ForeignKey(
        "liaison_stations.StationActivity",
        verbose_name="来源活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
    )
    source_proposal = models.OneToOneField(
        "proposals.Proposal",
        verbose_name="由提案转化",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="public_opinion",
    )
    channel = models.CharField(
        "报送渠道", max_length=20, choices=OpinionChannel.choices, default=OpinionChannel.MEMBER, db_index=True
    )
    # From the rendered form: a second POST of the same form (a double click, or a phone's
    # offline outbox sending again) finds the first report instead of filing another.
    form_token = models.UUIDField("表单令牌", null=True, blank=True, unique=True, editable=False)
    status = models.CharField(
        "状态", max_length=20, choices=OpinionStatus.choices, default=OpinionStatus.SUBMITTED, db_index=True
    )
    head_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送单位负责人确认",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    head_confirmed_at = models.DateTimeField("负责人确认时间", null=True, blank=True)
    submitted_on = models.DateField("报送日期", db_index=True)
    review_due = models.DateField("审核期限", db_index=True)

    # The research office's version for reporting (blank until edited).
    report_title = models.CharField("编报标题", max_length=200, blank=True)
    report_text = models.TextField("编报正文", blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="编辑人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_at = models.DateTimeField("编辑时间", null=True, blank=True)

    decision_reason = models.TextField("采用/不采用说明", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField("审核日期", null=True, blank=True, db_index=True)
    reported_to_party_committee = models.BooleanField("报区委", default=False)
    reported_to_government = models.BooleanField("报区政府", default=False)
    reported_to_city_cppcc = models.BooleanField("报市政协", default=False)
    reported_on = models.DateField("报送上级日期", null=True, blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "社情民意"
        verbose_name_plural = "社情民意"
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["status", "review_due"], name="opinion_status_due_idx"),
            models.Index(fields=["-submitted_on", "-id"], name="opinion_list_idx"),  # the list's order
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[OpinionStatus.AWAITING_HEAD, OpinionStatus.SUBMITTED])
                | Q(decided_on__isnull=False),
                name="decided_opinion_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=OpinionStatus.NOT_ADOPTED) | ~Q(decision_reason=""),
                name="not_adopted_opinion_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinions:detail", args=[self.pk])

    @property
    def reported_to(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.reported_to_party_committee, "区委"),
                (self.reported_to_government, "区政府"),
                (self.reported_to_city_cppcc, "市政协"),
            )
            if flag
        ]

    @property
    def is_edited(self) -> bool:
        return bool(self.report_title or self.report_text)


class OpinionInstruction(models.Model):
    """批示: a leader's written instruction on an adopted report."""

    opinion = models.ForeignKey(PublicOpinion, on_delete=models.CASCADE, related_name="instructions")
    leader = models.CharField("批示领导", max_length=60)
    level = models.CharField("领导层级", max_length=20, choices=InstructionLevel.choices)
    text = models.TextField("批示内容")
    instructed_on = models.DateField("批示日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["instructed_on", "id"]

    def __str__(self) -> str:
        return f"{self.leader}（{self.instructed_on}）"


class OpinionFeedback(models.Model):
    """A department's feedback on how an adopted report was acted on."""

    opinion = models.ForeignKey(PublicOpinion, on_delete=models.CASCADE, related_name="feedback")
    department = models.ForeignKey(
        "members.Organization", verbose_name="反馈单位", on_delete=models.PROTECT, related_name="opinion_feedback"
    )
    text = models.TextField("落实情况")
    received_on = models.DateField("反馈日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门落实反馈"
        verbose_name_plural = "部门落实反馈"
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.department}（{self.received_on}）"


class OpinionEvent(models.Model):
    """The report's timeline: every step the member sees (who, what, when)."""

    opinion = models.ForeignKey(PublicOpinion, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField("事项", max_length=40, choices=OpinionAction.choices)
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "社情民意办理记录"
        verbose_name_plural = "社情民意办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.opinion_id} {self.action}"


class HigherAdoption(models.Model):
    """An adopted report taken up by the 市政协 or the 全国政协: each one is credited to the member."""

    opinion = models.ForeignKey(PublicOpinion, on_delete=models.CASCADE, related_name="higher_adoptions")
    level = models.CharField("采用单位", max_length=20, choices=HigherLevel.choices)
    adopted_on = models.DateField("采用日期")
    note = models.CharField("刊发情况", max_length=200, blank=True, help_text="如：《市政协社情民意》2026年第12期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "上级政协采用"
        verbose_name_plural = "上级政协采用"
        ordering = ["adopted_on", "id"]
        constraints = [models.UniqueConstraint(fields=["opinion", "level"], name="one_higher_adoption_per_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}采用（{self.adopted_on}）"


class OpinionIssue(models.Model):
    """《社情民意》第N期 or a 专报: adopted reports compiled, numbered per kind and year, sent out."""

    kind = models.CharField("刊物", max_length=20, choices=IssueKind.choices, default=IssueKind.REGULAR)
    year = models.PositiveIntegerField("年度", db_index=True)
    number = models.PositiveIntegerField("期号")
    total_number = models.PositiveIntegerField("总期号", null=True, blank=True)
    compiled_on = models.DateField("编发日期")
    editor_note = models.TextField("编者按", blank=True)
    opinions = models.ManyToManyField(PublicOpinion, verbose_name="收录社情民意", related_name="issues")
    status = models.CharField("状态", max_length=20, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    sent_on = models.DateField("报送日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "社情民意刊物"
        verbose_name_plural = "社情民意刊物"
        ordering = ["-year", "kind", "-number"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "number"], name="one_issue_number")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("opinions:issue", args=[self.pk])

    @property
    def label(self) -> str:
        return f"《{self.get_kind_display()}》{self.year}年第{self.number}期"


class IssueDelivery(models.Model):
    """One recipient an issue was sent to (区委办公室, 市政协研究室 ...)."""

    issue = models.ForeignKey(OpinionIssue, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.CharField("报送对象", max_length=100)
    sent_on = models.DateField("报送日期")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "刊物报送记录"
        verbose_name_plural = "刊物报送记录"
        ordering = ["sent_on", "id"]
        constraints = [models.UniqueConstraint(fields=["issue", "recipient"], name="one_delivery_per_recipient")]

    def __str__(self) -> str:
        return self.recipient


class MicroSuggestion(models.Model):
    """微建议 / 微监督: a member's short note on a local problem, to the unit responsible, answered on a clock."""

    kind = models.CharField("类型", max_length=20, choices=MicroKind.choices, default=MicroKind.SUGGESTION)
    title = models.CharField("标题", max_length=100)
    place = models.CharField("地点", max_length=100, blank=True, help_text="如：某小区东门")
    problem = models.TextField("问题")
    suggestion = models.TextField("建议")
    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.PROTECT, related_name="micro_suggestions"
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(
        "liaison_stations.Station",
        verbose_name="所在联络站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="micro_suggestions",
    )
    unit = models.ForeignKey(
        "members.Organization", verbose_name="责任单位", on_delete=models.PROTECT, related_name="micro_suggestions"
    )
    status = models.CharField(
        "状态", max_length=20, choices=MicroStatus.choices, default=MicroStatus.SUBMITTED, db_index=True
    )
    submitted_on = models.DateField("提出日期", db_index=True)
    answer_due = models.DateField("答复期限", db_index=True)
    answer = models.TextField("单位答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_on = models.DateField("答复日期", null=True, blank=True)
    opinion = models.OneToOneField(
        PublicOpinion,
        verbose_name="转为社情民意",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="micro_suggestion",
    )
    proposal = models.OneToOneField(
        "proposals.Proposal",
        verbose_name="转为提案草稿",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="micro_suggestion",
    )
    form_token = models.UUIDField("表单令牌", null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "微建议"
        verbose_name_plural = "微建议"
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["status", "answer_due"], name="micro_status_due_idx"),
            models.Index(fields=["-submitted_on", "-id"], name="micro_list_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MicroStatus.ANSWERED) | Q(answered_on__isnull=False),
                name="answered_micro_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinions:micro", args=[self.pk])


class MicroEvent(models.Model):
    """The 微建议's history: who moved it, from which status to which, when."""

    suggestion = models.ForeignKey(MicroSuggestion, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField("原状态", max_length=20, choices=MicroStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=MicroStatus.choices)
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "微建议办理记录"
        verbose_name_plural = "微建议办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.to_status}"
