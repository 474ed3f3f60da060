"""Consultation clocks, declared once; lengths are staff-editable DeadlinePolicy rows.

"Before" clocks (notice, materials, the day-before reminder) count back from the
session date: the stored column is the date by which the thing must happen, and
the clock stays open until it has.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from cppcc_portal.deadlines import ClockSource, ClockSpec, Unit, due_date, policy_for, register_clock, register_source
from cppcc_portal.deadlines.registry import Escalation
from cppcc_portal.roles import Role, users_with_role, whole_office_staff
from members.models import User

from .enums import EXPECTED_STATES
from .models import Invitation
from .selectors import outcome_pending_departments

NOTICE = "consultations.notice"
MATERIALS = "consultations.materials"
REMINDER = "consultations.reminder"
MINUTES = "consultations.minutes"
FEEDBACK = "consultations.outcome_feedback"


def _organiser_task_before_session(key: str, label: str, length: int, overdue: str) -> ClockSpec:
    """A task the organiser must finish ``length`` working days before the session."""
    return ClockSpec(
        key=key,
        label=label,
        start_label="会前",
        length=length,
        unit=Unit.WORKING_DAYS,
        reminders=(2,),
        remind=("organiser",),
        escalations=(Escalation(after_days=1, notify=("organiser", "staff"), label=overdue),),
        extra={"direction": "before"},
    )


register_clock(_organiser_task_before_session(NOTICE, "协商会议通知", 15, "通知逾期未发"))
register_clock(_organiser_task_before_session(MATERIALS, "协商会议材料分发", 10, "材料逾期未分发"))
register_clock(
    ClockSpec(
        key=REMINDER,
        label="协商会议会前提醒",
        start_label="会前",
        length=1,
        unit=Unit.WORKING_DAYS,
        reminders=(0,),
        remind=("attendees",),
        extra={"direction": "before"},
    )
)
register_clock(
    ClockSpec(
        key=MINUTES,
        label="协商会议纪要",
        start_label="会后",
        length=7,
        unit=Unit.WORKING_DAYS,
        reminders=(2,),
        remind=("organiser",),
        escalations=(Escalation(after_days=1, notify=("organiser", "organiser_head"), label="纪要逾期"),),
    )
)
register_clock(
    ClockSpec(
        key=FEEDBACK,
        label="协商成果落实反馈",
        start_label="报送后",
        length=30,
        unit=Unit.WORKING_DAYS,
        reminders=(10,),
        remind=("unit_users", "staff"),
        escalations=(Escalation(after_days=1, notify=("staff", "leaders"), label="成果反馈逾期"),),
    )
)


def before(key: str, session_date: date) -> date:
    """The date a "before" clock falls due: ``length`` (policy) before the session."""
    return due_date(key, session_date, length=-policy_for(key).length)


def session_due_dates(session_date: date) -> dict[str, date]:
    return {
        "notice_due": before(NOTICE, session_date),
        "materials_due": before(MATERIALS, session_date),
        "reminder_due": before(REMINDER, session_date),
        "minutes_due": due_date(MINUTES, session_date),
    }


# --- Recipients ------------------------------------------------------------------


def _session_organisers(session) -> list:
    """Who runs the session: its creator, else every staff user."""
    if session.created_by_id and session.created_by.is_active:
        return [session.created_by]
    return list(whole_office_staff())


class _SessionSource(ClockSource):
    model = "consultations.Session"
    start_field = "starts_at"
    related = ("created_by",)
    export_fields = ("title",)
    relations = {
        "organiser": "会议组织者",
        "organiser_head": "组织部门负责人（主席会议成员）",
        "staff": "机关工作人员",
        "leaders": "主席会议成员",
        "attendees": "确认参加的委员",
        "members": "全部受邀委员",
    }
    before = True  # the stored date is N working days *before* the session

    def recompute_due(self, item):
        session_day = timezone.localdate(item.starts_at)
        return before(self.key, session_day) if self.before else due_date(self.key, session_day)

    def recipients(self, item, relation: str) -> list:
        if relation == "organiser":
            return _session_organisers(item)
        if relation == "staff":
            return list(whole_office_staff())
        if relation in ("leaders", "leader", "organiser_head"):
            return list(users_with_role(Role.LEADER))
        if relation in ("attendees", "members"):
            invitations = Invitation.objects.filter(session=item, member__user__is_active=True).select_related(
                "member__user"
            )
            if relation == "attendees":
                invitations = invitations.filter(status__in=EXPECTED_STATES)
            return [invitation.member.user for invitation in invitations]
        return []

    def link(self, item) -> str:
        return item.get_absolute_url()


class NoticeSource(_SessionSource):
    key = NOTICE
    due_field = "notice_due"

    def open_filter(self) -> Q:
        return Q(notice_sent_at__isnull=True, starts_at__gt=timezone.now())

    def title(self, item) -> str:
        return f"请发出会议通知：{item.title}"


class MaterialsSource(_SessionSource):
    key = MATERIALS
    due_field = "materials_due"

    def open_filter(self) -> Q:
        return Q(materials_sent_at__isnull=True, starts_at__gt=timezone.now())

    def title(self, item) -> str:
        return f"请分发会议材料：{item.title}"


class ReminderSource(_SessionSource):
    key = REMINDER
    due_field = "reminder_due"
    export_fields = ("title", "starts_at", "venue")

    def open_filter(self) -> Q:
        return Q(starts_at__gt=timezone.now())

    def title(self, item) -> str:
        return f"会议提醒：{item.title}（{timezone.localtime(item.starts_at):%m月%d日 %H:%M}，{item.venue}）"


class MinutesSource(_SessionSource):
    key = MINUTES
    due_field = "minutes_due"
    before = False

    def open_filter(self) -> Q:
        return Q(minutes_done_at__isnull=True, ends_at__lte=timezone.now())

    def title(self, item) -> str:
        return f"会议纪要待完成：{item.title}"


class FeedbackSource(ClockSource):
    key = FEEDBACK
    model = "consultations.Outcome"
    due_field = "feedback_due"
    start_field = "first_sent_on"
    export_fields = ("title",)
    relations = {"unit_users": "尚未反馈的责任部门用户", "staff": "机关工作人员", "leaders": "主席会议成员"}

    def open_filter(self) -> Q:
        return Q(feedback_due__isnull=False, feedback_completed_on__isnull=True)

    def recipients(self, item, relation: str) -> list:
        if relation == "staff":
            return list(whole_office_staff())
        if relation in ("leaders", "leader"):
            return list(users_with_role(Role.LEADER))
        if relation == "unit_users":
            return list(
                User.objects.filter(is_active=True, organization__in=outcome_pending_departments(item)).distinct()
            )
        return []

    def title(self, item) -> str:
        return f"协商成果待反馈：{item.title}"

    def link(self, item) -> str:
        return item.get_absolute_url()


for _source in (NoticeSource(), MaterialsSource(), ReminderSource(), MinutesSource(), FeedbackSource()):
    register_source(_source)
