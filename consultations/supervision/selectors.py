"""Reads of democratic supervision shaped for the pages, filtered to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cppcc_portal.roles import is_member, sees_everything

from ..models import SupervisionTopic
from .enums import TaskStatus
from .models import Question, SupervisionItem, SupervisorTask


def items_for(user) -> QuerySet[SupervisionItem]:
    """Every item for the office, leaders and members; a department's own items for its users."""
    items = SupervisionItem.objects.select_related("form", "plan", "topic").prefetch_related("departments")
    if sees_everything(user) or is_member(user):
        return items
    if user.organization_id:
        return items.filter(departments=user.organization_id)
    return items.none()


def item_detail(pk: int) -> SupervisionItem:
    return (
        SupervisionItem.objects.select_related("form", "plan", "topic", "created_by")
        .prefetch_related("departments", "proposals", "sessions")
        .get(pk=pk)
    )


def questions_for(user) -> QuerySet[Question]:
    """The office and leaders see every question, a member their own, a department those put to it."""
    questions = Question.objects.select_related("session", "member", "organization", "item")
    if sees_everything(user):
        return questions
    member = getattr(user, "member", None)
    if member is not None:
        return questions.filter(member=member)
    if user.organization_id:
        return questions.filter(organization=user.organization_id)
    return questions.none()


def tasks_for(user) -> QuerySet[SupervisorTask]:
    """The office and leaders see every task, a supervisor their own, a department the reports forwarded to it."""
    tasks = SupervisorTask.objects.select_related("appointment__member", "organization", "item")
    if sees_everything(user):
        return tasks
    member = getattr(user, "member", None)
    if member is not None:
        return tasks.filter(appointment__member=member)
    if user.organization_id:
        return tasks.filter(organization=user.organization_id, status__in=[TaskStatus.FORWARDED, TaskStatus.ANSWERED])
    return tasks.none()


@dataclass(frozen=True)
class KeyShare:
    year: int
    key: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.key / self.total, 1) if self.total else None


def key_topic_shares(year: int) -> tuple[KeyShare, KeyShare]:
    """重点监督议题 among the plan's topics, this year and the year before (one query)."""
    rows = {
        row["plan__year"]: row
        for row in SupervisionTopic.objects.filter(plan__year__in=[year, year - 1])
        .values("plan__year")
        .annotate(total=Count("pk"), key=Count("pk", filter=Q(is_key=True)))
    }

    def share(y: int) -> KeyShare:
        row = rows.get(y, {})
        return KeyShare(year=y, key=row.get("key", 0), total=row.get("total", 0))

    return share(year), share(year - 1)


def stage_counts(year: int) -> dict[str, int]:
    return dict(SupervisionItem.objects.filter(plan__year=year).values_list("stage").annotate(n=Count("pk")).order_by())
