"""Staff-editable lists and settings of the proposal work, and the number counter."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

DEFAULT_NUMBER_FORMAT = "{session}第{seq:04d}号"
DEFAULT_INTERIM_NUMBER_FORMAT = "{session}平时第{seq:04d}号"
PERIOD_WORDS = {"plenary": "大会", "interim": "平时"}


class ProposalCategory(models.Model):
    """提案类别: 经济建设, 政治建设, ... (staff edit the list)."""

    name = models.CharField("名称", max_length=40, unique=True)
    order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "提案类别"
        verbose_name_plural = "提案类别"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class NonRegistrationReason(models.Model):
    """不予立案的理由 (seeded with the national list of 10)."""

    text = models.CharField("理由", max_length=200, unique=True)
    order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "不予立案理由"
        verbose_name_plural = "不予立案理由"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class ProposalSettings(models.Model):
    """One row: how this district runs its proposal work (edited in the admin)."""

    number_format = models.CharField(
        "提案编号格式",
        max_length=100,
        default=DEFAULT_NUMBER_FORMAT,
        help_text="大会提案的编号。可用占位：{session} 会次简称（如二届五次会议），{term} 届次简称，{year} 年度，"
        "{period} 大会/平时，{seq} 序号（{seq:04d} 表示补足4位）。例如 {session}大会第{seq:04d}号。",
    )
    interim_number_format = models.CharField(
        "平时提案编号格式",
        max_length=100,
        default=DEFAULT_INTERIM_NUMBER_FORMAT,
        help_text="大会提案截止后提交的平时提案单独编号，占位同上；须与大会提案编号格式不同。",
    )
    members_see_registered = models.BooleanField(
        "委员可查阅他人已立案提案", default=False, help_text="勾选后，委员可只读查看本届所有已立案提案。"
    )
    max_handling_months = models.PositiveSmallIntegerField(
        "办理期限上限（月，含延期）", default=6, help_text="承办单位申请延期后，办理期限合计不得超过此月数。"
    )
    max_attachment_mb = models.PositiveSmallIntegerField("单个附件大小上限（MB）", default=10)
    key_share_min = models.PositiveSmallIntegerField(
        "重点提案比例下限（%）", default=5, help_text="重点提案候选占本会次立案提案的比例，低于此数时遴选页面提示。"
    )
    key_share_max = models.PositiveSmallIntegerField(
        "重点提案比例上限（%）", default=10, help_text="高于此数时遴选页面提示。"
    )
    similarity_threshold = models.FloatField(
        "相似提案提示阈值", default=0.35, help_text="0–1，越小提示越多。按案由和内容的分词相似度计算。"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "提案工作设置"
        verbose_name_plural = "提案工作设置"

    def __str__(self) -> str:
        return "提案工作设置"

    @classmethod
    def get(cls) -> ProposalSettings:
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings

    def clean(self) -> None:
        if self.number_format == self.interim_number_format:
            raise ValidationError("平时提案编号格式须与大会提案编号格式不同，否则两个序列的编号会重复。")

    def format_number(self, *, session, seq: int, period: str = "plenary") -> str:
        """The number of the ``seq``-th proposal of ``session`` in ``period``'s own series."""
        values = {
            "session": session.short_name,
            "term": session.term.short_name,
            "year": session.year,
            "seq": seq,
            "period": PERIOD_WORDS.get(period, ""),
        }
        interim = period == "interim"
        pattern, fallback = (
            (self.interim_number_format, DEFAULT_INTERIM_NUMBER_FORMAT)
            if interim
            else (self.number_format, DEFAULT_NUMBER_FORMAT)
        )
        try:
            return pattern.format(**values)
        except (KeyError, IndexError, ValueError):
            return fallback.format(**values)


class ProposalNumberCounter(models.Model):
    """The last number given in one plenary session and period (大会 / 平时); locked while numbering."""

    session = models.ForeignKey(
        "members.PlenarySession", verbose_name="会次", on_delete=models.CASCADE, related_name="proposal_counters"
    )
    period = models.CharField("提案类型", max_length=10, default="plenary")
    last_number = models.PositiveIntegerField("已用最大序号", default=0)

    class Meta:
        verbose_name = "提案编号计数器"
        verbose_name_plural = "提案编号计数器"
        constraints = [models.UniqueConstraint(fields=["session", "period"], name="unique_counter_session_period")]

    def __str__(self) -> str:
        return f"{self.session} {self.period} {self.last_number}"
