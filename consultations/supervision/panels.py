"""What supervision contributes to the navigation and the workbench."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cppcc_portal.hooks import NavItem, Panel, register

from .enums import OPEN_STAGES, TaskStatus
from .models import Question, SupervisionItem, SupervisorTask


@register("nav_items")
def supervision_nav(user):
    if user.has_perm("consultations.browse_supervision_items"):
        yield NavItem("监督事项", reverse("consultations:supervision-item-list"), order=45, group="民主监督")
    if user.has_perm("consultations.browse_questions"):
        yield NavItem("委员问政", reverse("consultations:question-list"), order=46, group="民主监督")
    if user.has_perm("consultations.browse_supervisor_tasks"):
        yield NavItem("特邀监督员任务", reverse("consultations:supervisor-task-list"), order=47, group="民主监督")


@register("workbench_panels")
def supervision_owed_panel(request):
    """What the user owes supervision now: a department its briefings, feedback, written answers
    and report feedback; a supervisor their reports."""
    user = request.user
    if user.has_perm("consultations.manage_supervision"):
        return None
    items, questions, tasks = [], [], []
    if user.organization_id:
        items = list(
            SupervisionItem.objects.filter(departments=user.organization_id, stage__in=OPEN_STAGES)
            .select_related("form")
            .order_by("stage_due")[:8]
        )
        questions = list(
            Question.objects.filter(
                organization=user.organization_id, answered_at__isnull=True, session__ends_at__lte=timezone.now()
            )
            .select_related("session")
            .order_by("written_due")[:8]
        )
        tasks = list(
            SupervisorTask.objects.filter(organization=user.organization_id, status=TaskStatus.FORWARDED).order_by(
                "feedback_due"
            )[:8]
        )
    member = getattr(user, "member", None)
    if member is not None:
        tasks += list(
            SupervisorTask.objects.filter(appointment__member=member, status=TaskStatus.ASSIGNED).order_by(
                "report_due"
            )[:8]
        )
    if not (items or questions or tasks):
        return None
    return Panel(
        "consultations/supervision/panels/owed.html",
        {"items": items, "questions": questions, "tasks": tasks, "today": timezone.localdate()},
        order=23,
        title="民主监督待办",
    )
