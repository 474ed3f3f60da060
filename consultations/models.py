"""Consultation (协商) and democratic supervision (民主监督).

The chain: ``Topic`` (in a yearly ``ConsultationPlan``) → ``ResearchProject`` →
``Session`` (invitations, check-in, speeches, minutes) → ``Outcome``
(suggestions, deliveries, 批示, department adoption). The topic's chain stage is
derived from these rows (``consultations.workflow.derive_stage``).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from simple_history.models import HistoricalRecords

from .enums import (
    Adoption,
    CheckinMethod,
    InstructionLevel,
    InvitationKind,
    Moderation,
    OnlinePhase,
    OutcomeKind,
    ParticipantIdentity,
    RsvpStatus,
    SpeechKind,
    TopicSource,
)

QUARTERS = [(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")]


def new_token() -> str:
    return secrets.token_urlsafe(24)


# The QR code on the staff's screen changes every CHECKIN_CODE_MINUTES; a code is
# accepted in its own period and the next, so a forwarded link dies within minutes.
CHECKIN_CODE_MINUTES = 3


def checkin_period(now: datetime) -> int:
    return int(now.timestamp()) // (CHECKIN_CODE_MINUTES * 60)


def upload_path(instance, filename: str) -> str:
    # Files sit under MEDIA_ROOT and are streamed by an access-checked view only.
    return f"consultations/{type(instance).__name__.lower()}/{timezone.now():%Y/%m}/{secrets.token_hex(8)}-{filename}"


class ConsultationForm(models.Model):
    """协商形式: a list staff keep in the admin (全体会议, 请你来商量 …)."""

    name = models.CharField("名称", max_length=40, unique=True)
    order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "协商形式"
        verbose_name_plural = "协商形式"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ConsultationPlan(models.Model):
    """年度协商计划."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("标题", max_length=100, blank=True)
    approved_on = models.DateField("通过日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度协商计划"
        verbose_name_plural = "年度协商计划"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title or f"{self.year}年度协商计划"

    def get_absolute_url(self) -> str:
        return reverse("consultations:plan", kwargs={"year": self.year})


class Topic(models.Model):
    """议题 of the yearly plan."""

    plan = models.ForeignKey(ConsultationPlan, verbose_name="年度计划", on_delete=models.CASCADE, related_name="topics")
    title = models.CharField("议题", max_length=200)
    description = models.TextField("说明", blank=True)
    form = models.ForeignKey(ConsultationForm, verbose_name="协商形式", on_delete=models.PROTECT)
    source = models.CharField("议题来源", max_length=20, choices=TopicSource.choices)
    source_note = models.CharField("提出者", max_length=100, blank=True, help_text="如：区委书记点题、某委员推荐")
    lead_committee = models.ForeignKey(
        "members.Committee", verbose_name="牵头专委会", null=True, blank=True, on_delete=models.PROTECT
    )
    planned_quarter = models.PositiveSmallIntegerField("计划季度", choices=QUARTERS)
    departments = models.ManyToManyField(
        "members.Organization", verbose_name="相关部门", blank=True, related_name="consultation_topics"
    )
    order = models.PositiveIntegerField("排序", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "协商议题"
        verbose_name_plural = "协商议题"
        ordering = ["planned_quarter", "order", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:topic", kwargs={"pk": self.pk})

    @property
    def quarter_ends_on(self) -> date:
        year = self.plan.year
        return {1: date(year, 3, 31), 2: date(year, 6, 30), 3: date(year, 9, 30), 4: date(year, 12, 31)}[
            self.planned_quarter
        ]


class ResearchProject(models.Model):
    """调研课题."""

    topic = models.ForeignKey(
        Topic, verbose_name="协商议题", null=True, blank=True, on_delete=models.SET_NULL, related_name="research"
    )
    title = models.CharField("课题名称", max_length=200)
    lead = models.ForeignKey(
        "members.Member", verbose_name="牵头人", on_delete=models.PROTECT, related_name="led_research"
    )
    team = models.ManyToManyField("members.Member", verbose_name="课题组成员", blank=True, related_name="research")
    committees = models.ManyToManyField(
        "members.Committee",
        verbose_name="承办专委会",
        blank=True,
        related_name="research_projects",
        help_text="可多选：几个专委会联合开展的课题，各专委会页面都会显示。",
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("计划完成日期")
    schedule = models.TextField("工作安排", blank=True)
    report_summary = models.TextField("调研报告摘要", blank=True)
    report_file = models.FileField("调研报告", upload_to=upload_path, blank=True)
    completed_on = models.DateField("报告完成日期", null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "调研课题"
        verbose_name_plural = "调研课题"
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:research", kwargs={"pk": self.pk})


class FieldVisit(models.Model):
    project = models.ForeignKey(ResearchProject, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("日期")
    place = models.CharField("地点/单位", max_length=200)
    note = models.TextField("情况", blank=True)

    class Meta:
        verbose_name = "实地调研"
        verbose_name_plural = "实地调研"
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.place}"


class Session(models.Model):
    """A consultation meeting (协商活动)."""

    topic = models.ForeignKey(
        Topic, verbose_name="协商议题", null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    title = models.CharField("会议名称", max_length=200)
    form = models.ForeignKey(ConsultationForm, verbose_name="协商形式", on_delete=models.PROTECT)
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间")
    venue = models.CharField("地点", max_length=200)
    organiser = models.ForeignKey(
        "members.Committee", verbose_name="承办专委会", null=True, blank=True, on_delete=models.PROTECT
    )
    committees = models.ManyToManyField(
        "members.Committee",
        verbose_name="联合承办专委会",
        blank=True,
        related_name="joint_sessions",
        help_text="与承办专委会联合组织的其他专委会；各专委会页面都会显示。",
    )
    organiser_note = models.CharField("组织单位", max_length=100, blank=True, help_text="如：区政协办公室")
    is_public = models.BooleanField("公开活动", default=False, help_text="公开活动所有委员可见，可自愿报名")
    # 远程协商: members join by video and check in through the portal during the session.
    is_online = models.BooleanField(
        "远程协商", default=False, help_text="委员通过视频会议参加，会议期间在平台上在线签到"
    )
    meeting_url = models.URLField("视频会议链接", max_length=500, blank=True)
    description = models.TextField("会议议程", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checkin_token = models.CharField("签到令牌", max_length=64, unique=True, default=new_token, editable=False)
    # Clocks: the dates stored when the session is scheduled (see clocks.py).
    notice_due = models.DateField("通知最迟发出", db_index=True)
    notice_sent_at = models.DateTimeField("通知发出时间", null=True, blank=True)
    materials_due = models.DateField("材料最迟分发", db_index=True)
    materials_sent_at = models.DateTimeField("材料分发时间", null=True, blank=True)
    reminder_due = models.DateField("会前提醒日", db_index=True)
    minutes_due = models.DateField("纪要应完成", db_index=True)
    minutes_text = models.TextField("会议纪要", blank=True)
    minutes_file = models.FileField("纪要附件", upload_to=upload_path, blank=True)
    minutes_done_at = models.DateTimeField("纪要完成时间", null=True, blank=True)
    # 提案办理协商会: the proposals taken up (linked through consultations.services only).
    proposals = models.ManyToManyField(
        "proposals.Proposal", verbose_name="关联提案", blank=True, related_name="consultation_sessions"
    )
    history = HistoricalRecords(excluded_fields=["checkin_token"])

    class Meta:
        verbose_name = "协商活动"
        verbose_name_plural = "协商活动"
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["-starts_at", "-id"], name="session_list_idx")]  # the lists' order
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:session", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.is_online and not self.meeting_url:
            raise ValidationError({"meeting_url": "远程协商须填写视频会议链接。"})

    @property
    def session_date(self) -> date:
        return timezone.localdate(self.starts_at)

    def has_ended(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def checkin_code(self, now: datetime | None = None) -> str:
        """The code the QR shows now: its period and a MAC of it keyed by the session's secret."""
        return self._code_for(checkin_period(now or timezone.now()))

    def _code_for(self, period: int) -> str:
        digest = salted_hmac("consultations.checkin", str(period), secret=self.checkin_token).hexdigest()
        return f"{period:x}-{digest[:20]}"

    def code_age(self, code: str, now: datetime | None = None) -> int | None:
        """How many periods ago ``code`` was shown for this session, or None if it never was."""
        period_hex, _, _ = code.partition("-")
        try:
            period = int(period_hex, 16)
        except ValueError:
            return None
        if period > checkin_period(now or timezone.now()) or not constant_time_compare(code, self._code_for(period)):
            return None
        return checkin_period(now or timezone.now()) - period

    def checkin_path(self, now: datetime | None = None) -> str:
        return reverse("consultations:checkin", kwargs={"pk": self.pk, "token": self.checkin_code(now)})


class Invitation(models.Model):
    """A member invited to a session: the RSVP, leave, and check-in in one row."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey("members.Member", verbose_name="委员", on_delete=models.CASCADE)
    kind = models.CharField("参加方式", max_length=10, choices=InvitationKind.choices, default=InvitationKind.REQUIRED)
    status = models.CharField(
        "回复", max_length=20, choices=RsvpStatus.choices, default=RsvpStatus.PENDING, db_index=True
    )
    leave_reason = models.CharField("请假事由", max_length=200, blank=True)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    leave_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    leave_decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    leave_note = models.CharField("审批意见", max_length=200, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checkin_method = models.CharField("签到方式", max_length=10, choices=CheckinMethod.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "委员邀请"
        verbose_name_plural = "委员邀请"
        ordering = ["session", "member__position__rank", "member__name"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="unique_invitation")]

    def __str__(self) -> str:
        return f"{self.session} · {self.member}"


class SessionOfficial(models.Model):
    """An official from a handling unit invited to a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="officials")
    organization = models.ForeignKey("members.Organization", verbose_name="单位", on_delete=models.PROTECT)
    name = models.CharField("姓名", max_length=40, blank=True)
    title = models.CharField("职务", max_length=60, blank=True)

    class Meta:
        verbose_name = "列席部门负责同志"
        verbose_name_plural = "列席部门负责同志"
        constraints = [models.UniqueConstraint(fields=["session", "organization", "name"], name="unique_official")]

    def __str__(self) -> str:
        return f"{self.organization} {self.name}".strip()


class OutsideParticipant(models.Model):
    """Someone without an account (parent, teacher, pupil, expert). Never a login."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="outsiders")
    name = models.CharField("姓名", max_length=40)
    identity = models.CharField("身份", max_length=20, choices=ParticipantIdentity.choices)
    affiliation = models.CharField("单位/学校", max_length=100, blank=True)
    contact = models.CharField("联系方式", max_length=60, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)

    class Meta:
        verbose_name = "特邀参加人员"
        verbose_name_plural = "特邀参加人员（无账号）"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_identity_display()}）"


class SessionMaterial(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to=upload_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "会议材料"
        verbose_name_plural = "会议材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Speech(models.Model):
    """发言: written before the session, or marked by staff as delivered."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speeches")
    member = models.ForeignKey("members.Member", verbose_name="委员", on_delete=models.CASCADE)
    kind = models.CharField("发言形式", max_length=10, choices=SpeechKind.choices, default=SpeechKind.WRITTEN)
    title = models.CharField("题目", max_length=200)
    text = models.TextField("发言内容", blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    delivered = models.BooleanField("已在会上发言", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议发言"
        verbose_name_plural = "会议发言"
        ordering = ["session", "submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="one_speech_per_member")]

    def __str__(self) -> str:
        return f"{self.member}：{self.title}"


class Outcome(models.Model):
    """协商成果 (建议案, 协商专报, 纪要)."""

    topic = models.ForeignKey(
        Topic, verbose_name="协商议题", null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    session = models.ForeignKey(
        Session, verbose_name="协商活动", null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    kind = models.CharField("成果形式", max_length=20, choices=OutcomeKind.choices)
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("内容摘要", blank=True)
    created_at = models.DateTimeField("形成时间", auto_now_add=True)
    first_sent_on = models.DateField("首次报送日期", null=True, blank=True)
    feedback_due = models.DateField("反馈期限", null=True, blank=True, db_index=True)
    feedback_completed_on = models.DateField("反馈办结日期", null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "协商成果"
        verbose_name_plural = "协商成果"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:outcome", kwargs={"pk": self.pk})


class Suggestion(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="suggestions")
    number = models.PositiveSmallIntegerField("序号")
    text = models.TextField("建议内容")
    departments = models.ManyToManyField(
        "members.Organization", verbose_name="责任部门", blank=True, related_name="consultation_suggestions"
    )

    class Meta:
        verbose_name = "具体建议"
        verbose_name_plural = "具体建议"
        ordering = ["outcome", "number"]
        constraints = [models.UniqueConstraint(fields=["outcome", "number"], name="unique_suggestion_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"


class Delivery(models.Model):
    """报送: where an outcome was sent and when."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="deliveries")
    body = models.CharField("报送对象", max_length=100, help_text="如：区委、区政府、区教育局")
    sent_on = models.DateField("报送日期")

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.body} {self.sent_on}"


class Instruction(models.Model):
    """批示: a leader's written instruction on an outcome."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="instructions")
    leader_name = models.CharField("批示领导", max_length=60)
    level = models.CharField("领导层级", max_length=20, choices=InstructionLevel.choices)
    text = models.TextField("批示内容")
    instructed_on = models.DateField("批示日期")

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["instructed_on", "id"]

    def __str__(self) -> str:
        return f"{self.leader_name} {self.instructed_on}"


class AdoptionFeedback(models.Model):
    """One department's adoption of one suggestion (采纳 / 部分采纳 / 未采纳)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="feedback")
    organization = models.ForeignKey("members.Organization", verbose_name="部门", on_delete=models.PROTECT)
    adoption = models.CharField("采纳情况", max_length=20, choices=Adoption.choices)
    text = models.TextField("落实情况")
    replied_on = models.DateField("反馈日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "部门采纳反馈"
        verbose_name_plural = "部门采纳反馈"
        ordering = ["suggestion", "organization__order"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "organization"], name="one_feedback_per_department")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_adoption_display()}"


# --- 网络议政 (online deliberation) -------------------------------------------------------


class OnlineTopic(models.Model):
    """A 网络议政 topic: background material, a window, the invited members and perhaps the public.

    Its phase (``phase``) follows from the window and ``closed_at``; closing compiles the
    意见汇总 into ``outcome``, a consultation outcome tracked like any other.
    """

    title = models.CharField("议政题目", max_length=200)
    topic = models.ForeignKey(
        Topic, verbose_name="协商议题", null=True, blank=True, on_delete=models.SET_NULL, related_name="online_topics"
    )
    background = models.TextField("背景材料")
    attachment = models.FileField("背景材料附件", upload_to=upload_path, blank=True)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    is_public = models.BooleanField("向社会公开征集意见", default=False, help_text="公开后群众可留言，留言经审核后显示")
    members = models.ManyToManyField(
        "members.Member", verbose_name="邀请委员", blank=True, related_name="online_topics"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField("汇总时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="汇总人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.OneToOneField(
        Outcome, verbose_name="意见汇总", null=True, blank=True, on_delete=models.SET_NULL, related_name="online_topic"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "网络议政"
        verbose_name_plural = "网络议政"
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["-opens_at", "-id"], name="online_topic_list_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="online_topic_window_ordered")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:online-topic", kwargs={"pk": self.pk})

    def phase(self, now: datetime | None = None) -> OnlinePhase:
        now = now or timezone.now()
        if self.closed_at:
            return OnlinePhase.CLOSED
        if now < self.opens_at:
            return OnlinePhase.UPCOMING
        if now < self.closes_at:
            return OnlinePhase.OPEN
        return OnlinePhase.ENDED

    @property
    def current_phase(self) -> OnlinePhase:  # templates cannot pass arguments
        return self.phase()


class OnlinePost(models.Model):
    """An opinion in a 网络议政 topic: a member's (shown at once), or the public's (shown once approved).

    Replies go one level deep: ``parent`` is always a top-level post.
    """

    topic = models.ForeignKey(OnlineTopic, verbose_name="网络议政", on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", verbose_name="回复", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="委员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public_name = models.CharField("留言人", max_length=40, blank=True)
    client_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    text = models.TextField("意见内容")
    created_at = models.DateTimeField("发表时间", default=timezone.now)
    moderation = models.CharField(
        "审核", max_length=10, choices=Moderation.choices, default=Moderation.APPROVED, db_index=True
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)
    adopted_at = models.DateTimeField("采纳时间", null=True, blank=True)
    # The adopted opinion as a suggestion of the 意见汇总, where departments answer it.
    suggestion = models.OneToOneField(
        Suggestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="online_post"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "网络议政意见"
        verbose_name_plural = "网络议政意见"
        ordering = ["topic", "created_at", "id"]
        indexes = [
            models.Index(fields=["topic", "created_at", "id"], name="online_post_topic_idx"),
            models.Index(fields=["client_address", "created_at"], name="online_post_address_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(public_name=""), name="online_post_has_author"
            )
        ]

    def __str__(self) -> str:
        return f"{self.author}：{self.text[:30]}"

    @property
    def author(self) -> str:
        return self.member.name if self.member_id else f"{self.public_name}（群众）"

    @property
    def is_public_comment(self) -> bool:
        return self.member_id is None


# --- Democratic supervision (民主监督) ---------------------------------------------


class SupervisionForm(models.Model):
    """民主监督形式: 会议监督, 提案监督, 视察监督 … (kept by staff in the admin)."""

    name = models.CharField("名称", max_length=40, unique=True)
    order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "民主监督形式"
        verbose_name_plural = "民主监督形式"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SupervisionPlan(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("标题", max_length=100, blank=True)
    note = models.TextField("说明", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度民主监督计划"
        verbose_name_plural = "年度民主监督计划"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title or f"{self.year}年度民主监督计划"


class SupervisionTopic(models.Model):
    plan = models.ForeignKey(SupervisionPlan, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField("监督议题", max_length=200)
    form = models.ForeignKey(SupervisionForm, verbose_name="监督形式", on_delete=models.PROTECT)
    lead_committee = models.ForeignKey(
        "members.Committee", verbose_name="牵头专委会", null=True, blank=True, on_delete=models.PROTECT
    )
    departments = models.ManyToManyField(
        "members.Organization", verbose_name="监督对象部门", blank=True, related_name="supervision_topics"
    )
    planned_quarter = models.PositiveSmallIntegerField("计划季度", choices=QUARTERS)
    description = models.TextField("说明", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "民主监督议题"
        verbose_name_plural = "民主监督议题"
        ordering = ["planned_quarter", "id"]

    def __str__(self) -> str:
        return self.title


class Inspection(models.Model):
    """视察."""

    topic = models.ForeignKey(
        SupervisionTopic,
        verbose_name="监督议题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    title = models.CharField("视察主题", max_length=200)
    inspected_on = models.DateField("视察日期", db_index=True)
    place = models.CharField("视察地点", max_length=200)
    departments = models.ManyToManyField(
        "members.Organization", verbose_name="被视察部门", blank=True, related_name="inspections"
    )
    committees = models.ManyToManyField(
        "members.Committee",
        verbose_name="组织专委会",
        blank=True,
        related_name="inspections",
        help_text="可多选：几个专委会联合视察，各专委会页面都会显示。",
    )
    participants = models.ManyToManyField(
        "members.Member", verbose_name="参加委员", blank=True, related_name="inspections"
    )
    findings = models.TextField("发现的问题", blank=True)
    suggestions = models.TextField("意见建议", blank=True)
    feedback_text = models.TextField("部门反馈", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "视察"
        verbose_name_plural = "视察"
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:inspection", kwargs={"pk": self.pk})


class SupervisorAppointment(models.Model):
    """特邀监督员: a member appointed to supervise a named department."""

    member = models.ForeignKey("members.Member", verbose_name="委员", on_delete=models.CASCADE)
    organization = models.ForeignKey("members.Organization", verbose_name="受聘部门", on_delete=models.PROTECT)
    starts_on = models.DateField("聘期开始")
    ends_on = models.DateField("聘期结束")
    note = models.CharField("备注", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "特邀监督员"
        verbose_name_plural = "特邀监督员"
        ordering = ["organization__order", "member__name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="appointment_term_ordered"),
            models.UniqueConstraint(fields=["member", "organization", "starts_on"], name="unique_appointment"),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.organization}"

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on <= self.ends_on


class CalendarToken(models.Model):
    """The secret in a member's personal iCal feed URL; resettable."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_feed")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "日历订阅令牌"
        verbose_name_plural = "日历订阅令牌"

    def __str__(self) -> str:
        return f"{self.user} 日历订阅"
