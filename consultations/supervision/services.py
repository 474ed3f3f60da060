"""Every write of democratic supervision: items and their stages (the door), stage records,
委员问政 questions and answers, 特邀监督员 tasks.

Each service is keyword-only, takes the acting user, runs in one transaction, locks the row it
changes, checks the move against ``workflow`` and the actor's permission, writes a history row,
and queues notices with ``notify`` (delivered on commit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed, require_text
from cppcc_portal.notifications import notify
from cppcc_portal.photos import CheckedPhoto, check_photos
from cppcc_portal.roles import whole_office_staff
from members.models import Organization, User
from proposals import services as proposal_services

from ..models import Session, SupervisionPlan, SupervisorAppointment
from ..services.common import _require_staff
from . import clocks, ledger
from .enums import AnswerKind, RecordKind, Stage, TaskStatus
from .models import (
    Question,
    SupervisionItem,
    SupervisionItemEvent,
    SupervisionRecord,
    SupervisorPhoto,
    SupervisorTask,
    SupervisorTaskEvent,
)
from .workflow import BACKWARD, NEEDS_RECORD_TO_LEAVE, RECORD_STAGES, UNIT_RECORD_KINDS, stage_allowed, task_allowed

# The forms whose items link other records (names from consultations.defaults).
PROPOSAL_FORM = "提案监督"
MEETING_FORMS = ("会议监督", "委员问政")
QUESTION_FORM = "委员问政"


def _unit_users(organizations: Iterable) -> list[User]:
    return list(User.objects.filter(is_active=True, organization__in=list(organizations)))


def _staff() -> list[User]:
    return list(whole_office_staff())


def _lock_item(item: SupervisionItem) -> SupervisionItem:
    return SupervisionItem.objects.select_for_update(of=("self",)).select_related("form").get(pk=item.pk)


# --- Items and their stages ----------------------------------------------------------


@transaction.atomic
def item_create(*, actor, plan: SupervisionPlan, data: dict) -> SupervisionItem:
    """A new supervision item starts in 知情, its clock running from today."""
    _require_staff(actor)
    data = dict(data)
    departments = data.pop("departments", [])
    require_text(data.get("title", ""), "请填写监督事项。")
    topic = data.get("topic")
    if topic is not None and topic.plan_id != plan.pk:
        raise ValidationFailed("监督议题须属于本年度监督计划。")
    today = timezone.localdate()
    item = SupervisionItem(
        plan=plan, stage=Stage.INFORMING, stage_started_on=today, stage_due=clocks.stage_due(Stage.INFORMING, today),
        created_by=actor, **data,
    )  # fmt: skip
    item.full_clean(exclude=["departments", "proposals", "sessions"])
    item.save()
    item.departments.set(departments)
    SupervisionItemEvent.objects.create(item=item, actor=actor, from_stage="", to_stage=Stage.INFORMING, note="立项")
    notify(
        _unit_users(departments),
        kind="consultations.supervision",
        subject=f"民主监督事项：{item.title}",
        body=f"区政协将对贵单位开展{item.form}，请于 {item.stage_due:%Y-%m-%d} 前通报有关情况、提供材料。",
        link=item.get_absolute_url(),
    )
    return item


@transaction.atomic
def item_move(*, actor, item: SupervisionItem, to: str, note: str = "") -> SupervisionItem:
    """The door of a supervision item's stage:

    1. lock the item;
    2. check the move against ``workflow.STAGE_TRANSITIONS`` and the actor (the office), and that a
       forward move leaves a stage with at least one of its records;
    3. save the stage with its start and its clock's due date, and write the history row;
    4. tell the departments (and staff) what is now expected of them.
    """
    _require_staff(actor)
    item = _lock_item(item)
    current = item.stage
    if to not in Stage.values:
        raise ValidationFailed("未知的监督环节。")
    if not stage_allowed(current, to):
        raise TransitionNotAllowed(f"监督事项处于“{Stage(current).label}”环节，不能转入“{Stage(to).label}”。")
    backward = (current, to) in BACKWARD
    if not backward and not item.records.filter(stage=current).exists():
        raise TransitionNotAllowed(NEEDS_RECORD_TO_LEAVE[current])
    if backward:
        require_text(note, "退回上一环节须说明理由。")
    today = timezone.localdate()
    item.stage = to
    item.stage_started_on = today
    item.stage_due = clocks.stage_due(to, today)
    item.save(update_fields=["stage", "stage_started_on", "stage_due"])
    SupervisionItemEvent.objects.create(item=item, actor=actor, from_stage=current, to_stage=to, note=note)
    if to in (Stage.INFORMING, Stage.FEEDBACK):
        owed = "通报有关情况、提供材料" if to == Stage.INFORMING else "书面反馈办理落实情况"
        notify(
            _unit_users(item.departments.all()),
            kind="consultations.supervision",
            subject=f"民主监督（{Stage(to).label}）：{item.title}",
            body=f"请于 {item.stage_due:%Y-%m-%d} 前{owed}。{note}",
            link=item.get_absolute_url(),
        )
    return item


@transaction.atomic
def record_add(
    *,
    actor,
    item: SupervisionItem,
    kind: str,
    title: str,
    happened_on: date,
    text: str = "",
    organization: Organization | None = None,
    file=None,
) -> SupervisionRecord:
    """A record of the item's current stage. A department enters its own briefings, documents and
    formal feedback (in its own name); the office enters everything."""
    if not actor.has_perm("consultations.add_supervision_record", item):
        raise PermissionDeniedError("您无权为此监督事项录入材料。")
    item = _lock_item(item)
    if kind not in RECORD_STAGES:
        raise ValidationFailed("未知的记录类型。")
    staff = actor.has_perm("consultations.manage_supervision")
    if not staff:
        if kind not in UNIT_RECORD_KINDS:
            raise PermissionDeniedError("部门只能报送情况通报、文件资料和正式反馈。")
        organization = actor.organization
    if item.stage == Stage.DONE:
        raise TransitionNotAllowed("监督事项已办结，不能再录入材料。")
    stage = RECORD_STAGES[kind]
    if stage != item.stage:
        raise TransitionNotAllowed(
            f"“{RecordKind(kind).label}”属于{Stage(stage).label}环节，本事项当前处于{Stage(item.stage).label}环节。"
        )
    require_text(title, "请填写标题。")
    if happened_on > timezone.localdate():
        raise ValidationFailed("日期不能晚于今天。")
    record = SupervisionRecord(
        item=item, stage=stage, kind=kind, title=title.strip(), text=text, organization=organization,
        happened_on=happened_on, recorded_by=actor,
    )  # fmt: skip
    if file:
        record.file = file
    record.save()
    if not staff:
        notify(
            _staff(),
            kind="consultations.supervision",
            subject=f"{organization}报送了{RecordKind(kind).label}：{item.title}",
            link=item.get_absolute_url(),
        )
    return record


def _form_named(item: SupervisionItem, names: Sequence[str], what: str) -> None:
    if item.form.name not in names:
        raise ValidationFailed(f"只有{'、'.join(names)}事项可以关联{what}。")


@transaction.atomic
def item_link_proposals(*, actor, item: SupervisionItem, proposal_ids: Iterable[int]) -> SupervisionItem:
    """提案监督: the registered proposals this item supervises (replaces the list)."""
    _require_staff(actor)
    item = _lock_item(item)
    _form_named(item, (PROPOSAL_FORM,), "提案")
    try:
        proposals = proposal_services.consultation_check_linkable(proposal_ids=proposal_ids)
    except ValidationFailed as error:
        raise ValidationFailed(error.message.replace("提案办理协商会", "提案监督事项")) from None
    item.proposals.set(proposals)
    return item


@transaction.atomic
def item_link_sessions(*, actor, item: SupervisionItem, sessions: Iterable[Session]) -> SupervisionItem:
    """会议监督 and 委员问政: the sessions where the supervision happens (replaces the list)."""
    _require_staff(actor)
    item = _lock_item(item)
    _form_named(item, MEETING_FORMS, "会议")
    sessions = list(sessions)
    if item.questions.exclude(session__in=sessions).exists():
        raise ValidationFailed("已有委员就某场会议提问，不能取消关联该会议。")
    item.sessions.set(sessions)
    return item


# --- 委员问政 --------------------------------------------------------------------------------


@transaction.atomic
def question_ask(*, actor, item: SupervisionItem, session: Session, organization: Organization, text: str) -> Question:
    """A member asks a named department ahead of the session; the department is told."""
    if not actor.has_perm("consultations.ask_question"):
        raise PermissionDeniedError("只有委员可以提出问政问题。")
    item = _lock_item(item)
    if item.form.name != QUESTION_FORM:
        raise ValidationFailed("只有委员问政事项可以提问。")
    if not item.sessions.filter(pk=session.pk).exists():
        raise ValidationFailed("请选择本问政事项的问政会议。")
    if session.starts_at <= timezone.now():
        raise TransitionNotAllowed("问政会议已开始，不能再提交问题。")
    if not item.departments.filter(pk=organization.pk).exists():
        raise ValidationFailed("请选择本次问政的部门。")
    require_text(text, "请填写问题。")
    question = Question.objects.create(
        item=item, session=session, member=actor.member, organization=organization, text=text.strip(),
        written_due=clocks.question_due(session.session_date),
    )  # fmt: skip
    notify(
        _unit_users([organization]),
        kind="consultations.question",
        subject=f"委员问政：{actor.member.name}向贵单位提问",
        body=f"问政会议：{session.title}（{timezone.localtime(session.starts_at):%m月%d日 %H:%M}），请部门负责同志到会答复。",
        link=question.get_absolute_url(),
    )
    return question


def _lock_question(question: Question) -> Question:
    return (
        Question.objects.select_for_update(of=("self",))
        .select_related("session", "member__user", "organization")
        .get(pk=question.pk)
    )


def _answer(question: Question, *, actor, kind: str, by: str, text: str) -> Question:
    require_text(text, "请填写答复内容。")
    question.answer_kind = kind
    question.answered_by_name = by.strip()
    question.answer_text = text.strip()
    question.answered_at = timezone.now()
    question.answer_recorded_by = actor
    question.save(update_fields=["answer_kind", "answered_by_name", "answer_text", "answered_at", "answer_recorded_by"])
    member_user = question.member.user
    notify(
        [member_user] if member_user else [],
        kind="consultations.question",
        subject=f"您的问政问题已获{question.organization}{AnswerKind(kind).label}",
        body=question.answer_text[:200],
        link=question.get_absolute_url(),
    )
    return question


@transaction.atomic
def question_answer_at_session(*, actor, question: Question, answered_by_name: str, text: str) -> Question:
    """At the session the office records the department head's answer against the question."""
    _require_staff(actor)
    question = _lock_question(question)
    if question.answered_at:
        raise TransitionNotAllowed("该问题已答复。")
    if question.session.starts_at > timezone.now():
        raise TransitionNotAllowed("问政会议尚未开始，现场答复须在会上录入。")
    require_text(answered_by_name, "请填写答复的部门负责同志。")
    return _answer(question, actor=actor, kind=AnswerKind.AT_SESSION, by=answered_by_name, text=text)


@transaction.atomic
def question_answer_in_writing(*, actor, question: Question, text: str, answered_by_name: str = "") -> Question:
    """A question left unanswered at the session gets the department's written answer (its clock:
    ``clocks.QUESTION_ANSWER``), entered by the department's user (or by the office for it)."""
    if not actor.has_perm("consultations.answer_question", question):
        raise PermissionDeniedError("只有被问部门可以书面答复。")
    question = _lock_question(question)
    if question.answered_at:
        raise TransitionNotAllowed("该问题已答复。")
    if not question.session.has_ended():
        raise TransitionNotAllowed("问政会议尚未结束：请在会上答复，会后未答复的问题再书面答复。")
    return _answer(
        question, actor=actor, kind=AnswerKind.WRITTEN, by=answered_by_name or getattr(actor, "name", ""), text=text
    )


# --- 特邀监督员 tasks -----------------------------------------------------------------------


def _lock_task(task: SupervisorTask) -> SupervisorTask:
    return (
        SupervisorTask.objects.select_for_update(of=("self",))
        .select_related("appointment__member__user", "organization")
        .get(pk=task.pk)
    )


def _task_move(task: SupervisorTask, *, actor, to: str, note: str = "") -> str:
    """Check the move against ``workflow.TASK_TRANSITIONS``, set it and write the history row."""
    current = task.status
    if not task_allowed(current, to):
        raise TransitionNotAllowed(f"任务“{TaskStatus(current).label}”，不能改为“{TaskStatus(to).label}”。")
    task.status = to
    SupervisorTaskEvent.objects.create(task=task, actor=actor, from_status=current, to_status=to, note=note)
    return current


def _supervisor_users(task: SupervisorTask) -> list[User]:
    member = task.appointment.member
    return [member.user] if member is not None and member.user_id else []


@transaction.atomic
def task_assign(*, actor, appointment: SupervisorAppointment, data: dict) -> SupervisorTask:
    """The office gives a supervisor in office a task; the report clock starts."""
    _require_staff(actor)
    data = dict(data)
    today = timezone.localdate()
    appointment = SupervisorAppointment.objects.select_related("member__user", "organization").get(pk=appointment.pk)
    if not appointment.is_current(today):
        raise ValidationFailed("该特邀监督员不在聘期内。")
    require_text(data.get("title", ""), "请填写任务名称。")
    data.setdefault("organization", appointment.organization)
    data["organization"] = data["organization"] or appointment.organization
    task = SupervisorTask(
        appointment=appointment, assigned_on=today, assigned_by=actor, report_due=clocks.task_report_due(today), **data
    )
    task.full_clean()
    task.save()
    SupervisorTaskEvent.objects.create(task=task, actor=actor, from_status="", to_status=TaskStatus.ASSIGNED)
    notify(
        _supervisor_users(task),
        kind="consultations.supervisor",
        subject=f"特邀监督员任务（{task.get_kind_display()}）：{task.title}",
        body=f"被监督部门：{task.organization}。请于 {task.report_due:%Y-%m-%d} 前提交监督报告。",
        link=task.get_absolute_url(),
    )
    return task


@transaction.atomic
def task_report(
    *, actor, task: SupervisorTask, text: str, suggestions: str = "", photos: Sequence = ()
) -> SupervisorTask:
    """The supervisor (or the office for one from outside) files the report with photos; a member
    supervisor is credited in the ledger."""
    if not actor.has_perm("consultations.report_supervisor_task", task):
        raise PermissionDeniedError("只有本任务的特邀监督员或机关工作人员可以提交报告。")
    checked: list[CheckedPhoto] = check_photos(photos)
    task = _lock_task(task)
    require_text(text, "请填写监督报告。")
    _task_move(task, actor=actor, to=TaskStatus.REPORTED)
    task.report_text = text.strip()
    task.report_suggestions = suggestions.strip()
    task.reported_on = timezone.localdate()
    task.save(update_fields=["status", "report_text", "report_suggestions", "reported_on"])
    for photo in checked:
        row = SupervisorPhoto(task=task, content_type=photo.content_type, caption=photo.upload.name[:100])
        row.image.save(f"photo{photo.extension}", photo.upload, save=False)
        row.save()
    ledger.sync(task)
    notify(
        _staff(),
        kind="consultations.supervisor",
        subject=f"特邀监督员报告：{task.title}",
        body=f"{task.appointment.supervisor_name}已提交监督报告，请审阅后转{task.organization}。",
        link=task.get_absolute_url(),
    )
    return task


@transaction.atomic
def task_forward(*, actor, task: SupervisorTask, note: str = "") -> SupervisorTask:
    """The office forwards the report to the department; the department's feedback clock starts."""
    _require_staff(actor)
    task = _lock_task(task)
    _task_move(task, actor=actor, to=TaskStatus.FORWARDED, note=note)
    today = timezone.localdate()
    task.forwarded_on = today
    task.feedback_due = clocks.task_feedback_due(today)
    task.save(update_fields=["status", "forwarded_on", "feedback_due"])
    notify(
        _unit_users([task.organization]),
        kind="consultations.supervisor",
        subject=f"特邀监督员报告请反馈：{task.title}",
        body=f"请于 {task.feedback_due:%Y-%m-%d} 前反馈整改落实情况。{note}",
        link=task.get_absolute_url(),
    )
    return task


@transaction.atomic
def task_feedback(*, actor, task: SupervisorTask, text: str) -> SupervisorTask:
    """The department answers the forwarded report; the supervisor and the office are told."""
    task = _lock_task(task)
    if not actor.has_perm("consultations.answer_supervisor_task", task):
        raise PermissionDeniedError("只有被监督部门可以反馈，且须在报告转来之后。")
    require_text(text, "请填写反馈内容。")
    _task_move(task, actor=actor, to=TaskStatus.ANSWERED)
    task.feedback_text = text.strip()
    task.feedback_on = timezone.localdate()
    task.save(update_fields=["status", "feedback_text", "feedback_on"])
    notify(
        [*_supervisor_users(task), *_staff()],
        kind="consultations.supervisor",
        subject=f"{task.organization}已反馈：{task.title}",
        body=task.feedback_text[:200],
        link=task.get_absolute_url(),
    )
    return task
