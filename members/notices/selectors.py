"""Reads of 通知公告, shaped for their pages: the same few queries at any size."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from .models import Notice, NoticeReceipt


def notices_published() -> QuerySet[Notice]:
    """Every notice, newest first, with its recipient and read counts (the 办公室's list)."""
    return (
        Notice.objects.select_related("published_by")
        .annotate(
            recipient_count=Count("receipts"),
            read_count=Count("receipts", filter=Q(receipts__read_at__isnull=False)),
        )
        .order_by("-published_at", "-id")
    )


def notices_received(user) -> QuerySet[NoticeReceipt]:
    """The notices sent to ``user``, newest first, each with the user's own receipt."""
    return (
        NoticeReceipt.objects.filter(recipient=user)
        .select_related("notice")
        .order_by("-notice__published_at", "-notice_id")
    )


def receipts_of(notice: Notice, *, state: str = "") -> QuerySet[NoticeReceipt]:
    """Who received ``notice``: unread first, then by name; ``state`` = ``read`` or ``unread`` narrows it."""
    queryset = NoticeReceipt.objects.filter(notice=notice).select_related("recipient", "recipient__organization")
    if state == "read":
        queryset = queryset.filter(read_at__isnull=False)
    elif state == "unread":
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by(F("read_at").asc(nulls_first=True), "recipient__name", "recipient_id")


def receipt_counts(notice: Notice) -> dict[str, int]:
    return notice.receipts.aggregate(total=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)))
