"""Term memberships (任职记录): what held for a member from one date to another within a term."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..enums import CommitteeRole, MembershipReason


class TermMembership(models.Model):
    """A span of one member's seat in one term with the same 界别, position and committees.

    A mid-term change closes the open span the day before and opens the next one on the day,
    so the span valid on a date says what the member was on that date (statistics, scoring).
    """

    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.CASCADE, related_name="memberships"
    )
    term = models.ForeignKey("members.Term", verbose_name="届次", on_delete=models.PROTECT, related_name="memberships")
    sector = models.ForeignKey(
        "members.Sector", verbose_name="界别", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(
        "members.Position", verbose_name="政协职务", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    joined_on = models.DateField("起始日期")
    joined_reason = models.CharField("起始原因", max_length=20, choices=MembershipReason.choices)
    left_on = models.DateField("截止日期", null=True, blank=True, help_text="留空表示仍在任。")
    left_reason = models.CharField("截止原因", max_length=20, choices=MembershipReason.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "任职记录"
        verbose_name_plural = "任职记录（届次、界别、职务）"
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(left_on__isnull=True), name="one_open_membership"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["member", "joined_on"], name="membership_member_on_idx")]

    def __str__(self) -> str:
        return f"{self.member} {self.term} {self.sector or ''} {self.joined_on}–{self.left_on or ''}"

    @property
    def is_open(self) -> bool:
        return self.left_on is None


class TermCommitteeSeat(models.Model):
    """A committee seat held during a membership span."""

    membership = models.ForeignKey(TermMembership, on_delete=models.CASCADE, related_name="committee_seats")
    committee = models.ForeignKey(
        "members.Committee", verbose_name="专委会", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("职务", max_length=10, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)

    class Meta:
        verbose_name = "任职期间专委会"
        verbose_name_plural = "任职期间专委会"
        constraints = [models.UniqueConstraint(fields=["membership", "committee"], name="unique_term_committee_seat")]

    def __str__(self) -> str:
        return f"{self.committee} {self.get_role_display()}"
