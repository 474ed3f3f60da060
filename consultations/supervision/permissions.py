"""Who may see and do what in democratic supervision (``rules``)."""

from __future__ import annotations

import rules

from cppcc_portal.roles import is_member, is_office_staff, is_unit_user, sees_everything

from .enums import TaskStatus


@rules.predicate
def unit_supervised(user, item) -> bool:
    """The user's department is one the item supervises."""
    if item is None or not user.organization_id:
        return False
    return item.departments.filter(pk=user.organization_id).exists()


@rules.predicate
def asked_by_user(user, question) -> bool:
    member = getattr(user, "member", None)
    return question is not None and member is not None and question.member_id == member.pk


@rules.predicate
def unit_asked(user, question) -> bool:
    return question is not None and bool(user.organization_id) and question.organization_id == user.organization_id


@rules.predicate
def is_task_supervisor(user, task) -> bool:
    member = getattr(user, "member", None)
    return task is not None and member is not None and task.appointment.member_id == member.pk


@rules.predicate
def unit_of_forwarded_task(user, task) -> bool:
    """The department sees a report once the office has forwarded it, never before."""
    return (
        task is not None
        and bool(user.organization_id)
        and task.organization_id == user.organization_id
        and task.status in (TaskStatus.FORWARDED, TaskStatus.ANSWERED)
    )


@rules.predicate
def photo_task_visible(user, photo) -> bool:
    return photo is not None and user.has_perm("consultations.see_supervisor_task", photo.task)


@rules.predicate
def record_item_visible(user, record) -> bool:
    return record is not None and user.has_perm("consultations.see_supervision_item", record.item)


# Supervision is run by the office as a whole (全部科室, the 秘书长, admins); its divisions do not
# share it out yet.
rules.add_perm("consultations.manage_supervision", is_office_staff)
rules.add_perm("consultations.browse_supervision_items", sees_everything | is_member | is_unit_user)
rules.add_perm("consultations.see_supervision_item", sees_everything | is_member | (is_unit_user & unit_supervised))
# Departments enter their briefings and formal feedback themselves; the office enters the rest.
rules.add_perm("consultations.add_supervision_record", is_office_staff | (is_unit_user & unit_supervised))
rules.add_perm("consultations.download_supervision_record", record_item_visible)
rules.add_perm("consultations.ask_question", is_member)
rules.add_perm("consultations.browse_questions", sees_everything | is_member | is_unit_user)
rules.add_perm("consultations.see_question", sees_everything | asked_by_user | (is_unit_user & unit_asked))
rules.add_perm("consultations.answer_question", is_office_staff | (is_unit_user & unit_asked))
rules.add_perm("consultations.browse_supervisor_tasks", sees_everything | is_member | is_unit_user)
rules.add_perm(
    "consultations.see_supervisor_task", sees_everything | is_task_supervisor | (is_unit_user & unit_of_forwarded_task)
)
rules.add_perm("consultations.report_supervisor_task", is_office_staff | is_task_supervisor)
rules.add_perm("consultations.answer_supervisor_task", is_office_staff | (is_unit_user & unit_of_forwarded_task))
rules.add_perm("consultations.see_supervisor_photo", photo_task_visible)
