"""社情民意信息: public-opinion reports filed by members and stations, handled by the research office."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .enums import InstructionLevel, OpinionAction, OpinionStatus


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
