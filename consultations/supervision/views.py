"""Democratic supervision pages: items and their stages, 委员问政 questions, 特邀监督员 tasks."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from cppcc_portal.access import objectgetter, permission_required
from cppcc_portal.forms import report_form_errors, run_service
from cppcc_portal.paging import render_list
from cppcc_portal.writeversion import cached

from ..models import SupervisionPlan
from ..views.common import _form_page, _stream, _submit
from . import selectors, services
from .enums import Stage, TaskStatus
from .forms import (
    ForwardForm,
    ItemForm,
    ItemProposalsForm,
    ItemSessionsForm,
    MoveForm,
    QuestionForm,
    RecordForm,
    SessionAnswerForm,
    TaskFeedbackForm,
    TaskForm,
    TaskReportForm,
    WrittenAnswerForm,
)
from .models import Question, SupervisionItem, SupervisionRecord, SupervisorPhoto, SupervisorTask
from .workflow import moves_from

PER_PAGE = 30


@permission_required("consultations.browse_supervision_items")
def item_list(request: HttpRequest) -> HttpResponse:
    items = selectors.items_for(request.user).order_by("-plan__year", "stage_due", "-pk")
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        items = items.filter(stage=stage)
    return render_list(
        request,
        "consultations/supervision/item_list.html",
        items,
        PER_PAGE,
        stages=Stage.choices,
        stage=stage,
        today=timezone.localdate(),
        can_manage=request.user.has_perm("consultations.manage_supervision"),
    )


@permission_required("consultations.manage_supervision")
def item_new(request: HttpRequest, year: int) -> HttpResponse:
    form = ItemForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        plan, _ = SupervisionPlan.objects.get_or_create(year=year, defaults={"title": f"{year}年度民主监督计划"})
        item = run_service(
            request, services.item_create, "监督事项已建立，进入知情环节。", plan=plan, data=form.cleaned_data
        )
        if item:
            return redirect(item)
    return _form_page(
        request, title=f"新增{year}年度民主监督事项", form=form, back=reverse("consultations:supervision", args=[year])
    )


@permission_required("consultations.see_supervision_item", fn=objectgetter(SupervisionItem, "pk"))
def item(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(pk)
    user = request.user
    staff = user.has_perm("consultations.manage_supervision")
    records = list(item.records.select_related("organization", "recorded_by"))
    questions = list(item.questions.select_related("member", "organization", "session").order_by("session", "pk"))
    record_form = None
    if item.stage != Stage.DONE and user.has_perm("consultations.add_supervision_record", item):
        record_form = RecordForm(stage=item.stage, staff=staff)
        if record_form.has_kinds:
            # Its fields (the units' list; today's date) are the same for every page of the stage.
            asked = (item.stage, staff, timezone.localdate().isoformat())
            html = cached("supervision-record-form", asked, partial(_fields_html, record_form), request=request)
            record_form = mark_safe(html)  # nosec B308 (our own render)
        else:
            record_form = None
    is_question_item = item.form.name == services.QUESTION_FORM
    can_ask = (
        is_question_item
        and user.has_perm("consultations.ask_question")
        and hasattr(user, "member")
        and item.sessions.filter(starts_at__gt=timezone.now()).exists()
    )
    return render(
        request,
        "consultations/supervision/item.html",
        {
            "item": item,
            "stages": [(stage, [r for r in records if r.stage == stage]) for stage in Stage if stage != Stage.DONE],
            "stage_order": list(Stage),
            "events": item.events.select_related("actor"),
            "tasks": item.tasks.select_related("appointment__member", "organization"),
            "questions": questions,
            "is_question_item": is_question_item,
            "can_manage": staff,
            "record_form": record_form,
            "move_form": MoveForm(stage=item.stage) if staff and moves_from(item.stage) else None,
            "proposals_form": ItemProposalsForm.for_item(item)
            if staff and item.form.name == services.PROPOSAL_FORM
            else None,
            "sessions_form": _sessions_form_html(request, item)
            if staff and item.form.name in services.MEETING_FORMS
            else None,
            "question_form": QuestionForm(item=item) if can_ask else None,
            "answer_form": SessionAnswerForm() if staff else None,
            "now": timezone.now(),
        },
    )


def _fields_html(form) -> str:
    """A form's fields as the page prints them (``|crispy``; no CSRF token: that is the page's)."""
    return render_to_string("consultations/partials/crispy_form.html", {"form": form})


def _sessions_form_html(request: HttpRequest, item: SupervisionItem) -> str:
    """The 关联会议 picker: every session of two years (hundreds of options at a district's size),
    rendered once per item and write version."""
    return mark_safe(  # nosec B308 (our own render)
        cached(
            "supervision-item-sessions-form",
            item.pk,
            lambda: _fields_html(ItemSessionsForm(item=item)),
            request=request,
        )
    )


@require_POST
@permission_required("consultations.manage_supervision")
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(SupervisionItem, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        label = Stage(form.cleaned_data["to"]).label
        run_service(request, services.item_move, f"已转入{label}环节。", item=item, **form.cleaned_data)
    else:
        report_form_errors(request, form)
    return redirect(item)


@require_POST
@permission_required("consultations.add_supervision_record", fn=objectgetter(SupervisionItem, "pk"))
def record_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(SupervisionItem, pk=pk)
    form = RecordForm(
        request.POST, request.FILES, stage=item.stage, staff=request.user.has_perm("consultations.manage_supervision")
    )
    return _submit(request, form, services.record_add, "材料已录入。", back=item, item=item)


@permission_required("consultations.download_supervision_record", fn=objectgetter(SupervisionRecord, "pk"))
def record_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _stream(get_object_or_404(SupervisionRecord, pk=pk).file)


@require_POST
@permission_required("consultations.manage_supervision")
def item_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(SupervisionItem, pk=pk)
    form = ItemProposalsForm(request.POST, prefix="p")
    if form.is_valid():
        run_service(
            request,
            services.item_link_proposals,
            "监督的提案已更新。",
            item=item,
            proposal_ids=form.cleaned_data["lines"],
        )
    else:
        report_form_errors(request, form)
    return redirect(item)


@require_POST
@permission_required("consultations.manage_supervision")
def item_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(SupervisionItem, pk=pk)
    return _submit(
        request,
        ItemSessionsForm(request.POST, item=item),
        services.item_link_sessions,
        "关联会议已更新。",
        back=item,
        item=item,
    )


# --- 委员问政 ------------------------------------------------------------------------------


@require_POST
@permission_required("consultations.ask_question")
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(SupervisionItem, pk=pk)
    if not request.user.has_perm("consultations.see_supervision_item", item):
        messages.error(request, "您无权查看此监督事项。")
        return redirect("consultations:question-list")
    return _submit(
        request,
        QuestionForm(request.POST, item=item),
        services.question_ask,
        "问题已提交，将转被问部门。",
        back=item,
        item=item,
    )


@permission_required("consultations.browse_questions")
def question_list(request: HttpRequest) -> HttpResponse:
    questions = selectors.questions_for(request.user).order_by("answered_at", "written_due", "-pk")
    if request.GET.get("open"):
        questions = questions.filter(answered_at__isnull=True)
    return render_list(
        request, "consultations/supervision/question_list.html", questions, PER_PAGE, now=timezone.now(),
        open_only=bool(request.GET.get("open")),
    )  # fmt: skip


@permission_required("consultations.see_question", fn=objectgetter(Question, "pk"))
def question(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("session", "member", "organization", "item"), pk=pk)
    user = request.user
    can_answer_written = (
        not question.answered_at
        and question.session.has_ended()
        and user.has_perm("consultations.answer_question", question)
    )
    form = WrittenAnswerForm(request.POST or None) if can_answer_written else None
    if request.method == "POST":
        if form is None:
            messages.error(request, "该问题现在不能书面答复。")
        elif form.is_valid():
            if run_service(
                request, services.question_answer_in_writing, "书面答复已提交。", question=question, **form.cleaned_data
            ):
                return redirect(question)
        else:
            report_form_errors(request, form)
    return render(
        request,
        "consultations/supervision/question.html",
        {
            "question": question,
            "form": form,
            "answer_form": SessionAnswerForm()
            if user.has_perm("consultations.manage_supervision")
            and not question.answered_at
            and question.session.starts_at <= timezone.now()
            else None,
        },
    )


@require_POST
@permission_required("consultations.manage_supervision")
def question_session_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    back = (request.POST.get("back") == "item" and question.item) or question
    return _submit(
        request, SessionAnswerForm(request.POST), services.question_answer_at_session, "现场答复已记录。",
        back=back, question=question,
    )  # fmt: skip


# --- 特邀监督员 tasks ----------------------------------------------------------------------


@permission_required("consultations.browse_supervisor_tasks")
def task_list(request: HttpRequest) -> HttpResponse:
    tasks = selectors.tasks_for(request.user).order_by("-assigned_on", "-pk")
    status = request.GET.get("status", "")
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    return render_list(
        request, "consultations/supervision/task_list.html", tasks, PER_PAGE, statuses=TaskStatus.choices,
        status=status, can_manage=request.user.has_perm("consultations.manage_supervision"), today=timezone.localdate(),
    )  # fmt: skip


@permission_required("consultations.manage_supervision")
def task_new(request: HttpRequest) -> HttpResponse:
    form = TaskForm(request.POST or None, initial={"appointment": request.GET.get("appointment")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        appointment = data.pop("appointment")
        task = run_service(request, services.task_assign, "任务已派发。", appointment=appointment, data=data)
        if task:
            return redirect(task)
    return _form_page(
        request, title="派发特邀监督员任务", form=form, back=reverse("consultations:supervisor-task-list")
    )


@permission_required("consultations.see_supervisor_task", fn=objectgetter(SupervisorTask, "pk"))
def task(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(
        SupervisorTask.objects.select_related(
            "appointment__member", "appointment__organization", "organization", "item"
        ),
        pk=pk,
    )
    user = request.user
    staff = user.has_perm("consultations.manage_supervision")
    return render(
        request,
        "consultations/supervision/task.html",
        {
            "task": task,
            "photos": task.photos.all(),
            "events": task.events.select_related("actor"),
            "can_report": task.status == TaskStatus.ASSIGNED
            and user.has_perm("consultations.report_supervisor_task", task),
            "forward_form": ForwardForm() if staff and task.status == TaskStatus.REPORTED else None,
            "feedback_form": TaskFeedbackForm()
            if task.status == TaskStatus.FORWARDED and user.has_perm("consultations.answer_supervisor_task", task)
            else None,
        },
    )


@permission_required("consultations.report_supervisor_task", fn=objectgetter(SupervisorTask, "pk"))
def task_report(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(SupervisorTask.objects.select_related("appointment__member"), pk=pk)
    form = TaskReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if run_service(request, services.task_report, "监督报告已提交。", task=task, **form.cleaned_data):
            return redirect(task)
    return _form_page(
        request, title=f"提交监督报告：{task.title}", form=form, back=task.get_absolute_url(), multipart=True,
        intro=task.brief,
    )  # fmt: skip


@require_POST
@permission_required("consultations.manage_supervision")
def task_forward(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(SupervisorTask, pk=pk)
    return _submit(
        request, ForwardForm(request.POST), services.task_forward, "报告已转被监督部门。", back=task, task=task
    )


@require_POST
@permission_required("consultations.answer_supervisor_task", fn=objectgetter(SupervisorTask, "pk"))
def task_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(SupervisorTask, pk=pk)
    return _submit(
        request, TaskFeedbackForm(request.POST), services.task_feedback, "反馈已提交。", back=task, task=task
    )


@permission_required("consultations.see_supervisor_photo", fn=objectgetter(SupervisorPhoto, "pk"))
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    return _stream(get_object_or_404(SupervisorPhoto, pk=pk).image)
