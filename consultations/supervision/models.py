"""Democratic supervision (民主监督) items, their stage records, 委员问政 questions and 特邀监督员 tasks.

The plan, its topics, inspections and the supervisor roster live in ``consultations.models``;
``consultations.models`` imports these so Django finds them in the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from ..models import Session, SupervisionForm, SupervisionPlan, SupervisionTopic, SupervisorAppointment, upload_path
from .enums import AnswerKind, RecordKind, Stage, TaskKind, TaskStatus


class SupervisionItem(models.Model):
    """One supervision matter of the year, whatever its form, moving 知情 → 沟通 → 反馈 → 跟踪 → 完成."""

    plan = models.ForeignKey(SupervisionPlan, verbose_name="年度计划", on_delete=models.CASCADE, related_name="items")
    topic = models.ForeignKey(
        SupervisionTopic,
        verbose_name="监督议题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    form = models.ForeignKey(SupervisionForm, verbose_name="监督形式", on_delete=models.PROTECT)
    title = models.CharField("监督事项", max_length=200)
    description = models.TextField("说明", blank=True)
    departments = models.ManyToManyField(
        "members.Organization", verbose_name="监督对象部门", blank=True, related_name="supervision_items"
    )
    stage = models.CharField("当前环节", max_length=20, choices=Stage.choices, default=Stage.INFORMING, db_index=True)
    stage_started_on = models.DateField("本环节开始")
    stage_due = models.DateField("本环节期限", null=True, blank=True, db_index=True)
    proposals = models.ManyToManyField(
        "proposals.Proposal", verbose_name="关联提案", blank=True, related_name="supervision_items"
    )
    sessions = models.ManyToManyField(Session, verbose_name="关联会议", blank=True, related_name="supervision_items")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "民主监督事项"
        verbose_name_plural = "民主监督事项"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:supervision-item", kwargs={"pk": self.pk})


class SupervisionItemEvent(models.Model):
    """The item's history: every stage change (who, from, to, note, when)."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_stage = models.CharField("原环节", max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField("新环节", max_length=20, choices=Stage.choices)
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "民主监督环节记录"
        verbose_name_plural = "民主监督环节记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.from_stage}→{self.to_stage}"


class SupervisionRecord(models.Model):
    """A record of a stage: a briefing or document (知情), a meeting, inspection or question (沟通),
    the department's formal feedback (反馈), a follow-up (跟踪)."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="records")
    stage = models.CharField("环节", max_length=20, choices=Stage.choices)
    kind = models.CharField("记录类型", max_length=20, choices=RecordKind.choices)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容", blank=True)
    organization = models.ForeignKey(
        "members.Organization", verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    happened_on = models.DateField("日期")
    file = models.FileField("附件", upload_to=upload_path, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "民主监督环节材料"
        verbose_name_plural = "民主监督环节材料"
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """委员问政: a member's question to a named department, asked ahead of the session."""

    item = models.ForeignKey(
        SupervisionItem, verbose_name="问政事项", on_delete=models.CASCADE, related_name="questions"
    )
    session = models.ForeignKey(Session, verbose_name="问政会议", on_delete=models.PROTECT, related_name="questions")
    member = models.ForeignKey("members.Member", verbose_name="提问委员", on_delete=models.PROTECT)
    organization = models.ForeignKey(
        "members.Organization", verbose_name="被问部门", on_delete=models.PROTECT, related_name="questions"
    )
    text = models.TextField("问题")
    asked_at = models.DateTimeField("提问时间", auto_now_add=True)
    written_due = models.DateField("书面答复期限", db_index=True)
    answer_kind = models.CharField("答复方式", max_length=10, choices=AnswerKind.choices, blank=True)
    answered_by_name = models.CharField("答复人", max_length=60, blank=True)
    answer_text = models.TextField("答复内容", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "委员问政问题"
        verbose_name_plural = "委员问政问题"
        ordering = ["-asked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member} 问 {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("consultations:question", kwargs={"pk": self.pk})


class SupervisorTask(models.Model):
    """A task given to a 特邀监督员: 视察, 明察暗访 or 评议部门; the report goes to the department."""

    appointment = models.ForeignKey(
        SupervisorAppointment, verbose_name="特邀监督员", on_delete=models.PROTECT, related_name="tasks"
    )
    item = models.ForeignKey(
        SupervisionItem, verbose_name="监督事项", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    kind = models.CharField("任务类型", max_length=20, choices=TaskKind.choices)
    title = models.CharField("任务", max_length=200)
    brief = models.TextField("任务说明", blank=True)
    organization = models.ForeignKey(
        "members.Organization", verbose_name="被监督部门", on_delete=models.PROTECT, related_name="supervisor_tasks"
    )
    status = models.CharField(
        "状态", max_length=20, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED, db_index=True
    )
    assigned_on = models.DateField("派发日期")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    report_due = models.DateField("报告期限", db_index=True)
    report_text = models.TextField("监督报告", blank=True)
    report_suggestions = models.TextField("意见建议", blank=True)
    reported_on = models.DateField("报告日期", null=True, blank=True)
    forwarded_on = models.DateField("转部门日期", null=True, blank=True)
    feedback_due = models.DateField("部门反馈期限", null=True, blank=True, db_index=True)
    feedback_text = models.TextField("部门反馈", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)

    class Meta:
        verbose_name = "特邀监督员任务"
        verbose_name_plural = "特邀监督员任务"
        ordering = ["-assigned_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:supervisor-task", kwargs={"pk": self.pk})


class SupervisorTaskEvent(models.Model):
    task = models.ForeignKey(SupervisorTask, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField("原状态", max_length=20, choices=TaskStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=TaskStatus.choices)
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "特邀监督员任务记录"
        verbose_name_plural = "特邀监督员任务记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.from_status}→{self.to_status}"


class SupervisorPhoto(models.Model):
    task = models.ForeignKey(SupervisorTask, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to=upload_path)
    content_type = models.CharField(max_length=40)
    caption = models.CharField("说明", max_length=100, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "监督报告照片"
        verbose_name_plural = "监督报告照片"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or f"照片{self.pk}"
