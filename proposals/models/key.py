"""重点提案遴选: staff nominate candidates of a session, the 主席会议 decides; each key proposal then has a
督办 leader (on ``Proposal.key_leader``) and, often, 领办 leaders of the 区委 or 区政府 (names, not logins)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..enums import KeySelectionState


class KeySelection(models.Model):
    """One selection round (遴选) of a session's key proposals. ``state`` changes only in
    ``proposals.services.key``; ``version`` refuses a stale page."""

    session = models.ForeignKey(
        "members.PlenarySession", verbose_name="会次", on_delete=models.PROTECT, related_name="key_selections"
    )
    title = models.CharField("名称", max_length=100)
    state = models.CharField(
        "状态", max_length=20, choices=KeySelectionState.choices, default=KeySelectionState.NOMINATING, db_index=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("发起时间")
    meeting_on = models.DateField("主席会议日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("决定录入时间", null=True, blank=True)
    decision_note = models.TextField("主席会议意见", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "重点提案遴选"
        verbose_name_plural = "重点提案遴选"
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["-opened_at", "-id"], name="key_selection_opened_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:key-selection", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == KeySelectionState.NOMINATING


class KeyCandidate(models.Model):
    """A proposal nominated in a round; ``chosen`` is the 主席会议's answer (None until it decides)."""

    selection = models.ForeignKey(KeySelection, on_delete=models.CASCADE, related_name="candidates")
    proposal = models.ForeignKey(
        "proposals.Proposal", verbose_name="提案", on_delete=models.CASCADE, related_name="key_candidacies"
    )
    reason = models.CharField("推荐理由", max_length=200, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="推荐人", on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField("推荐时间")
    chosen = models.BooleanField("主席会议确定", null=True, blank=True)

    class Meta:
        verbose_name = "重点提案候选"
        verbose_name_plural = "重点提案候选"
        ordering = ["proposal__sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "proposal"], name="unique_key_candidate"),
        ]

    def __str__(self) -> str:
        return f"{self.selection}：{self.proposal}"


class LeadingOfficial(models.Model):
    """领办: a 区委 or 区政府 leader who personally leads a key proposal's handling (a name, not a login)."""

    proposal = models.ForeignKey(
        "proposals.Proposal", verbose_name="提案", on_delete=models.CASCADE, related_name="leading_officials"
    )
    name = models.CharField("姓名", max_length=40)
    post = models.CharField("职务", max_length=80)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "领办领导"
        verbose_name_plural = "领办领导"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.post}{self.name}"
