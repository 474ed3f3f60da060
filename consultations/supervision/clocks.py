"""Supervision clocks: one per stage of an item, the written answer to a 问政 question, and a
特邀监督员 task's report and the department's feedback. Lengths are staff-editable policies."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from cppcc_portal.deadlines import ClockSource, ClockSpec, Escalation, Unit, due_date, register_clock, register_source
from cppcc_portal.roles import Role, users_with_role, whole_office_staff
from members.models import User

from .enums import Stage, TaskStatus

STAGE_CLOCKS: dict[str, str] = {
    Stage.INFORMING: "consultations.supervision_informing",
    Stage.COMMUNICATING: "consultations.supervision_communicating",
    Stage.FEEDBACK: "consultations.supervision_feedback",
    Stage.TRACKING: "consultations.supervision_tracking",
}
QUESTION_ANSWER = "consultations.question_written_answer"
TASK_REPORT = "consultations.supervisor_report"
TASK_FEEDBACK = "consultations.supervisor_feedback"

_STAGE_DEFAULTS = {  # stage: (length in working days, who is reminded, label)
    Stage.INFORMING: (15, ("unit_users", "staff"), "民主监督知情环节"),
    Stage.COMMUNICATING: (20, ("staff",), "民主监督沟通环节"),
    Stage.FEEDBACK: (30, ("unit_users", "staff"), "民主监督部门反馈"),
    Stage.TRACKING: (60, ("staff",), "民主监督跟踪落实"),
}

for _stage, (_length, _remind, _label) in _STAGE_DEFAULTS.items():
    register_clock(
        ClockSpec(
            key=STAGE_CLOCKS[_stage],
            label=_label,
            start_label="进入本环节后",
            length=_length,
            unit=Unit.WORKING_DAYS,
            reminders=(5,),
            remind=_remind,
            escalations=(Escalation(after_days=1, notify=("staff", "leaders"), label=f"{_label}逾期"),),
        )
    )
register_clock(
    ClockSpec(
        key=QUESTION_ANSWER,
        label="委员问政书面答复",
        start_label="问政会议后",
        length=10,
        unit=Unit.WORKING_DAYS,
        reminders=(3,),
        remind=("unit_users",),
        escalations=(Escalation(after_days=1, notify=("unit_users", "staff"), label="问政书面答复逾期"),),
    )
)
register_clock(
    ClockSpec(
        key=TASK_REPORT,
        label="特邀监督员报告",
        start_label="派发后",
        length=20,
        unit=Unit.WORKING_DAYS,
        reminders=(5,),
        remind=("supervisor",),
        escalations=(Escalation(after_days=1, notify=("staff",), label="监督报告逾期"),),
    )
)
register_clock(
    ClockSpec(
        key=TASK_FEEDBACK,
        label="特邀监督员报告部门反馈",
        start_label="转部门后",
        length=15,
        unit=Unit.WORKING_DAYS,
        reminders=(5,),
        remind=("unit_users",),
        escalations=(Escalation(after_days=1, notify=("unit_users", "staff"), label="监督报告反馈逾期"),),
    )
)


def stage_due(stage: str, started_on: date) -> date | None:
    """When ``stage``, entered on ``started_on``, is due (None once done)."""
    key = STAGE_CLOCKS.get(stage)
    return due_date(key, started_on) if key else None


def question_due(session_day: date) -> date:
    return due_date(QUESTION_ANSWER, session_day)


def task_report_due(assigned_on: date) -> date:
    return due_date(TASK_REPORT, assigned_on)


def task_feedback_due(forwarded_on: date) -> date:
    return due_date(TASK_FEEDBACK, forwarded_on)


def _staff() -> list:
    return list(whole_office_staff())


def _unit_users(organization_ids) -> list:
    return list(User.objects.filter(is_active=True, organization__in=list(organization_ids)).order_by("pk"))


_RELATIONS = {"unit_users": "被监督部门用户", "staff": "机关工作人员", "leaders": "主席会议成员"}


class StageSource(ClockSource):
    """One stage's clock: the items standing in that stage."""

    model = "consultations.SupervisionItem"
    due_field = "stage_due"
    start_field = "stage_started_on"
    export_fields = ("title",)
    relations = _RELATIONS

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.key = STAGE_CLOCKS[stage]

    def open_filter(self) -> Q:
        return Q(stage=self.stage, stage_due__isnull=False)

    def unit_filter(self, organization) -> Q:
        return Q(departments=organization)

    def recipients(self, item, relation: str) -> list:
        if relation == "staff":
            return _staff()
        if relation in ("leaders", "leader"):
            return list(users_with_role(Role.LEADER))
        if relation == "unit_users":
            return _unit_users(item.departments.values_list("pk", flat=True))
        return []

    def title(self, item) -> str:
        return f"民主监督（{Stage(self.stage).label}）：{item.title}"


class QuestionSource(ClockSource):
    """An unanswered question, once its session is over, is owed a written answer."""

    key = QUESTION_ANSWER
    model = "consultations.Question"
    due_field = "written_due"
    unit_field = "organization"
    related = ("organization", "session")
    export_fields = ("session__title", "organization__name")
    relations = _RELATIONS

    def open_filter(self) -> Q:
        return Q(answered_at__isnull=True, session__ends_at__lte=timezone.now())

    def recipients(self, item, relation: str) -> list:
        if relation == "staff":
            return _staff()
        if relation == "unit_users":
            return _unit_users([item.organization_id])
        return []

    def recompute_due(self, item) -> date | None:
        return question_due(timezone.localdate(item.session.starts_at))

    def title(self, item) -> str:
        return f"委员问政待书面答复：{item.session.title}（{item.organization.name}）"


class TaskReportSource(ClockSource):
    key = TASK_REPORT
    model = "consultations.SupervisorTask"
    due_field = "report_due"
    start_field = "assigned_on"
    unit_field = ""
    related = ("appointment__member__user",)
    export_fields = ("title",)
    relations = {"supervisor": "特邀监督员", "staff": "机关工作人员"}

    def open_filter(self) -> Q:
        return Q(status=TaskStatus.ASSIGNED)

    def recipients(self, item, relation: str) -> list:
        if relation == "staff":
            return _staff()
        if relation == "supervisor":
            member = item.appointment.member
            # A supervisor from outside has no account: the office files the report for them.
            if member is None or member.user is None:
                return _staff()
            return [member.user] if member.user.is_active else []
        return []

    def title(self, item) -> str:
        return f"特邀监督员任务待报告：{item.title}"


class TaskFeedbackSource(ClockSource):
    key = TASK_FEEDBACK
    model = "consultations.SupervisorTask"
    due_field = "feedback_due"
    start_field = "forwarded_on"
    unit_field = "organization"
    related = ("organization",)
    export_fields = ("title",)
    relations = _RELATIONS

    def open_filter(self) -> Q:
        return Q(status=TaskStatus.FORWARDED)

    def recipients(self, item, relation: str) -> list:
        if relation == "staff":
            return _staff()
        if relation == "unit_users":
            return _unit_users([item.organization_id])
        return []

    def title(self, item) -> str:
        return f"特邀监督员报告待部门反馈：{item.title}"


for _source in (
    *(StageSource(stage) for stage in STAGE_CLOCKS),
    QuestionSource(),
    TaskReportSource(),
    TaskFeedbackSource(),
):
    register_source(_source)
