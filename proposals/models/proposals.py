"""提案: the proposal, its proposers, its handling units and its timeline."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..enums import (
    ACTIVE_ASSIGNMENT_STATES,
    CO_VIEWS_OPEN_STATES,
    COLLECTIVE_KINDS,
    HANDLING_OPEN_STATES,
    PRIVATE_DRAFT_STATES,
    REGISTERED_STATES,
    REPLYING_KINDS,
    AssignmentKind,
    AssignmentState,
    AttachmentKind,
    ContactMethod,
    ConversionKind,
    EvaluatorRole,
    Period,
    ProposalState,
    ProposerKind,
    QualityRating,
    ReplyClass,
    RequestState,
    Satisfaction,
    SignerRole,
    SignerStatus,
    SupervisionKind,
)


class Proposal(models.Model):
    """One proposal (一事一案). ``state`` changes only in ``proposals.services``."""

    session = models.ForeignKey(
        "members.PlenarySession", verbose_name="会次", on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField("案由", max_length=200)
    category = models.ForeignKey(
        "proposals.ProposalCategory", verbose_name="类别", on_delete=models.PROTECT, related_name="proposals"
    )
    background = models.TextField("情况分析")
    suggestions = models.TextField("具体建议")
    kind = models.CharField("提案人类型", max_length=20, choices=ProposerKind.choices, default=ProposerKind.INDIVIDUAL)
    period = models.CharField("提案类型", max_length=10, choices=Period.choices, default=Period.PLENARY)
    author = models.ForeignKey(
        "members.Member",
        verbose_name="第一提案人",
        on_delete=models.PROTECT,
        related_name="authored_proposals",
        help_text="集体提案为第一联系人。",
    )
    proposer_org = models.ForeignKey(
        "members.Organization",
        verbose_name="提案单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collective_proposals",
        help_text="集体提案以其名义提出的党派区委、界别、专委会或人民团体。",
    )
    collective_name = models.CharField(
        "提案单位名称", max_length=100, blank=True, editable=False, help_text="提出时提案单位的名称"
    )
    head_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提案单位负责人确认",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    head_confirmed_at = models.DateTimeField("负责人确认时间", null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="filed_proposals"
    )
    suggested_units = models.ManyToManyField(
        "members.Organization", verbose_name="建议承办单位", blank=True, related_name="suggested_for_proposals"
    )
    state = models.CharField(
        "状态", max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField("版本", default=1, help_text="每次变更加一；页面提交时核对，防止重复提交。")
    keywords = models.TextField("关键词", blank=True, editable=False, help_text="分词结果，用于相似提案提示")
    form_token = models.UUIDField("表单令牌", null=True, blank=True, unique=True, editable=False)

    number = models.CharField("提案编号", max_length=60, blank=True, db_index=True)
    sequence = models.PositiveIntegerField("序号", null=True, blank=True)

    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    review_due = models.DateField("立案审查期限", null=True, blank=True, db_index=True)
    reviewed_at = models.DateTimeField("审查时间", null=True, blank=True)
    registered_at = models.DateTimeField("立案时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    return_reason = models.TextField("退回理由", blank=True)
    reject_reason = models.ForeignKey(
        "proposals.NonRegistrationReason",
        verbose_name="不予立案理由",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reject_note = models.TextField("不予立案说明", blank=True)
    conversion_consent = models.BooleanField("提案人同意转化", default=False)
    conversion_kind = models.CharField(
        "转化为", max_length=20, choices=ConversionKind.choices, blank=True, default=ConversionKind.NONE
    )
    merged_into = models.ForeignKey(
        "self", verbose_name="并入提案", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_children"
    )

    is_key = models.BooleanField("重点提案", default=False, db_index=True)
    is_excellent = models.BooleanField("优秀提案", default=False, db_index=True)
    key_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="督办领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_proposals",
    )
    close_note = models.TextField("办结说明", blank=True)
    publish_consent = models.BooleanField(
        "提案人同意公开",
        default=False,
        help_text="办结后可在“提案办理公开”页面公开；每个承办单位的答复也须同意公开。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "提案"
        verbose_name_plural = "提案"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "period", "sequence"],
                condition=Q(sequence__isnull=False),
                name="unique_proposal_sequence",
            ),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="unique_proposal_number"),
            # A collective proposal is filed in an organisation's name; a member's never is.
            models.CheckConstraint(
                condition=Q(kind__in=COLLECTIVE_KINDS, proposer_org__isnull=False)
                | (~Q(kind__in=COLLECTIVE_KINDS) & Q(proposer_org__isnull=True)),
                name="collective_proposal_has_organization",
            ),
        ]
        indexes = [
            # Covering: the year's figures on /stats/ count a session's proposals from the index alone
            # (the proposer breakdowns too: kind, collective name, proposer organisation).
            models.Index(
                fields=["session", "state"],
                include=[
                    "id",
                    "category",
                    "kind",
                    "author",
                    "is_key",
                    "is_excellent",
                    "conversion_kind",
                    "collective_name",
                    "proposer_org",
                    "submitted_at",  # the first proposer's 界别 on the day (PROPOSER_SECTOR)
                ],
                name="proposal_session_stats_idx",
            ),
            # Covering: the list's count under the draft-visibility rule reads the index, not the table.
            models.Index(
                fields=["state"], include=["id", "submitted_at", "filed_by", "author"], name="proposal_visibility_idx"
            ),
            models.Index(fields=["state", "submitted_at"], name="proposal_state_submitted_idx"),
            # 待交办 on /proposals/review/: the registered proposals not yet handed out, in number order.
            models.Index(
                fields=["session", "sequence", "id"],
                condition=Q(state=ProposalState.REGISTERED),
                name="proposal_awaiting_idx",
            ),
            # 并案's search (``proposals.picker``): a session's registered proposals in number order,
            # read until the first matches are found (a common word such as 建议 matches at once).
            models.Index(
                fields=["session", "sequence", "id"],
                condition=Q(state__in=REGISTERED_STATES),
                name="proposal_session_numbered_idx",
            ),
            # The list's order (/proposals/, the admin changelist) and the public list's.
            models.Index(fields=["-created_at", "-id"], name="proposal_created_idx"),
            models.Index(fields=["state", "-closed_at", "-id"], name="proposal_state_closed_idx"),
            # /public/proposals/: the closed proposals whose proposers agreed, newest first, counted from
            # the index; a search too short for a trigram reads 案由 and 编号 here, not in the table.
            # Longer searches use trigram indexes created on PostgreSQL only by migration
            # 0021_search_trigram (GIN, so not declared here: SQLite could not build them).
            models.Index(
                fields=["-closed_at", "-id"],
                include=["title", "number"],
                condition=Q(state=ProposalState.CLOSED, publish_consent=True),
                name="proposal_public_idx",
            ),
            # The board's review clock (proposals/clocks.py): its page walks the submitted ones by due date
            # (review_due stays set after review, so the plain column index walks every reviewed one first).
            models.Index(
                fields=["review_due", "id"],
                condition=Q(state=ProposalState.SUBMITTED),
                name="proposal_review_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def is_collective(self) -> bool:
        return self.kind in COLLECTIVE_KINDS

    @property
    def awaits_head_confirmation(self) -> bool:
        """A collective proposal its organisation's head has not confirmed (since the last edit)."""
        return self.is_collective and self.head_confirmed_at is None

    @property
    def is_private_draft(self) -> bool:
        """Never submitted: a draft, or a draft its author withdrew. Only its writers see it."""
        return self.state in PRIVATE_DRAFT_STATES and self.submitted_at is None

    @property
    def current_review_due(self):
        return self.review_due if self.state == ProposalState.SUBMITTED else None

    @property
    def proposer_label(self) -> str:
        return self.collective_name or self.author.name


class Signer(models.Model):
    """A co-signer (附议人) of a joint proposal, or a contact member of a collective one."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="signers")
    member = models.ForeignKey(
        "members.Member", verbose_name="委员", on_delete=models.PROTECT, related_name="signed_proposals"
    )
    role = models.CharField("身份", max_length=20, choices=SignerRole.choices, default=SignerRole.CO_SIGNER)
    status = models.CharField("状态", max_length=20, choices=SignerStatus.choices, default=SignerStatus.INVITED)
    invited_at = models.DateTimeField("邀请时间", default=timezone.now)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "附议人"
        verbose_name_plural = "附议人"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "member"], name="unique_proposal_signer")]

    def __str__(self) -> str:
        return f"{self.member} {self.get_status_display()}"


class Assignment(models.Model):
    """One handling unit's part of a proposal (主办/会办/分办), with its own state and clocks."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "members.Organization", verbose_name="承办单位", on_delete=models.PROTECT, related_name="proposal_assignments"
    )
    kind = models.CharField("办理方式", max_length=10, choices=AssignmentKind.choices)
    state = models.CharField(
        "状态", max_length=20, choices=AssignmentState.choices, default=AssignmentState.PENDING_ACCEPT, db_index=True
    )
    assigned_on = models.DateField("交办日期")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="交办人", on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField("签收时间", null=True, blank=True)
    accepted_automatically = models.BooleanField("逾期视为签收", default=False)
    # Due dates (indexed; computed with cppcc_portal.deadlines.due_date).
    accept_due = models.DateField("签收期限", db_index=True)
    handling_due = models.DateField("办理期限", null=True, blank=True, db_index=True)
    views_due = models.DateField("会办意见期限", null=True, blank=True, db_index=True)
    evaluation_due = models.DateField("评价期限", null=True, blank=True, db_index=True)
    rehandling_due = models.DateField("重新办理期限", null=True, blank=True, db_index=True)
    followup_due = models.DateField("B类跟踪期限", null=True, blank=True, db_index=True)
    extended_months = models.PositiveSmallIntegerField("已延期（月）", default=0)

    contact_waived_at = models.DateTimeField("提案人声明无需沟通时间", null=True, blank=True)
    contact_waiver_note = models.TextField("无需沟通说明", blank=True)
    views_override_at = models.DateTimeField("不待会办意见时间", null=True, blank=True)
    views_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定不待会办意见",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    views_override_note = models.TextField("不待会办意见说明", blank=True)

    reassign_reason = models.TextField("申请调整理由", blank=True)
    co_views = models.TextField("会办意见", blank=True)
    views_sent_at = models.DateTimeField("会办意见送达时间", null=True, blank=True)

    # 经办人 drafts the reply and the letter's entries; the unit's 负责人 signs it off (签发).
    draft_class = models.CharField("答复类别（草稿）", max_length=1, choices=ReplyClass.choices, blank=True)
    draft_text = models.TextField("答复内容（草稿）", blank=True)
    draft_publishable = models.BooleanField("草稿：答复可公开", default=False)
    draft_withhold_reason = models.TextField("草稿：不公开理由", blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField("起草时间", null=True, blank=True)
    letter_number = models.CharField("答复函文号", max_length=60, blank=True)
    letter_contact = models.CharField("联系人", max_length=40, blank=True)
    letter_phone = models.CharField("联系电话", max_length=40, blank=True)
    letter_cc = models.CharField("抄送", max_length=200, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    reply_class = models.CharField("答复类别", max_length=1, choices=ReplyClass.choices, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    publishable = models.BooleanField("答复可公开", default=False, help_text="由承办单位答复时选择。")
    withhold_reason = models.TextField("不公开理由", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    implemented_at = models.DateTimeField("B类落实时间", null=True, blank=True)
    implemented_note = models.TextField("落实情况", blank=True)
    unevaluated = models.BooleanField("逾期未评价", default=False)

    quality_rating = models.CharField("提案质量评价", max_length=10, choices=QualityRating.choices, blank=True)
    quality_comment = models.TextField("质量评价意见", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "交办单位"
        verbose_name_plural = "交办单位"
        ordering = ["proposal_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "unit"],
                condition=~Q(state=AssignmentState.REASSIGNED),
                name="unique_active_assignment_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state"], name="assignment_unit_state_idx"),
            # /public/proposals/ (selectors.public_proposals): the replies that make a closed proposal
            # public, and the withheld ones that keep it off, each a small index to join on.
            models.Index(
                fields=["proposal"],
                condition=Q(publishable=True) & ~Q(reply_text="") & ~Q(state=AssignmentState.REASSIGNED),
                name="assignment_published_idx",
            ),
            models.Index(
                fields=["proposal"],
                condition=Q(publishable=False) & ~Q(reply_text="") & ~Q(state=AssignmentState.REASSIGNED),
                name="assignment_withheld_idx",
            ),
            # Covering: per-unit figures on /stats/ join a session's proposals to their assignments.
            models.Index(
                fields=["proposal"],
                include=["id", "unit", "state", "kind", "replied_at", "handling_due", "reply_class", "unevaluated"],
                name="assignment_proposal_stats_idx",
            ),
            # The board's open clocks (proposals/clocks.py): each due date over only the rows whose
            # clock runs, covering what the board joins and filters on, so counting reads the index.
            models.Index(
                fields=["accept_due"],
                include=["id", "proposal", "unit"],
                condition=Q(state=AssignmentState.PENDING_ACCEPT),
                name="assignment_accept_open_idx",
            ),
            models.Index(
                fields=["handling_due"],
                include=["id", "proposal", "unit"],
                condition=Q(kind__in=REPLYING_KINDS, state__in=HANDLING_OPEN_STATES),
                name="assignment_handling_open_idx",
            ),
            models.Index(
                fields=["views_due"],
                include=["id", "proposal", "unit"],
                condition=Q(kind=AssignmentKind.CO, state__in=CO_VIEWS_OPEN_STATES),
                name="assignment_views_open_idx",
            ),
            models.Index(
                fields=["evaluation_due"],
                include=["id", "proposal", "unit", "round"],
                condition=Q(kind__in=REPLYING_KINDS, state=AssignmentState.REPLIED),
                name="assignment_evaluation_open_idx",
            ),
            models.Index(
                fields=["rehandling_due", "id"],
                include=["proposal", "unit"],
                condition=Q(state=AssignmentState.RE_HANDLING),
                name="assignment_rehandling_open_idx",
            ),
            # 跟踪落实 (/proposals/followups/): the open B-class replies in due order, counted and
            # paged from the index instead of every assignment of the district's history.
            models.Index(
                fields=["followup_due", "id"],
                include=["proposal", "unit"],
                condition=Q(reply_class=ReplyClass.B, implemented_at__isnull=True),
                name="assignment_followup_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_kind_display()}）"

    @property
    def replies_to_proposer(self) -> bool:
        return self.kind in REPLYING_KINDS

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_ASSIGNMENT_STATES

    @property
    def current_due(self):
        """The due date of the clock now running for this unit."""
        if self.state == AssignmentState.PENDING_ACCEPT:
            return self.accept_due
        if self.state == AssignmentState.RE_HANDLING:
            return self.rehandling_due
        if self.state in (AssignmentState.ACCEPTED, AssignmentState.REASSIGN_REQUESTED):
            return self.handling_due if self.replies_to_proposer else self.views_due
        if self.state == AssignmentState.REPLIED:
            return self.evaluation_due
        return None


class ExtensionRequest(models.Model):
    """A unit asks for more time; staff approve or refuse."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extension_requests")
    months = models.PositiveSmallIntegerField("延期月数")
    reason = models.TextField("理由")
    state = models.CharField("状态", max_length=10, choices=RequestState.choices, default=RequestState.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.assignment} 延期{self.months}个月（{self.get_state_display()}）"


class ContactRecord(models.Model):
    """沟通记录: the unit's contact with the proposer before replying."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField("沟通日期")
    method = models.CharField("方式", max_length=10, choices=ContactMethod.choices)
    with_author = models.BooleanField(
        "与第一提案人沟通", default=True, help_text="答复前须至少与第一提案人（集体提案为联系人）沟通一次。"
    )
    summary = models.TextField("沟通情况")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "沟通记录"
        verbose_name_plural = "沟通记录"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.assignment.unit} {self.on} {self.get_method_display()}"


class Evaluation(models.Model):
    """征询意见表: the first proposer's rating of one unit's reply (办理态度, 办理结果, 是否见面), one per
    unit and reply round; or a co-signer's comment on it, which carries no rating (co-signers' views
    are heard, but only the first proposer's rating counts in the figures)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="evaluations")
    member = models.ForeignKey("members.Member", verbose_name="评价人", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        "评价人身份", max_length=10, choices=EvaluatorRole.choices, default=EvaluatorRole.FIRST_PROPOSER
    )
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    attitude = models.CharField("办理态度", max_length=20, choices=Satisfaction.choices, blank=True)
    satisfaction = models.CharField("办理结果", max_length=20, choices=Satisfaction.choices, blank=True)
    met_in_person = models.BooleanField(
        "是否见面", null=True, blank=True, help_text="第一提案人填写：承办单位是否与其见面沟通。"
    )
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("评价时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理评价"
        verbose_name_plural = "办理评价"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "member", "round"], name="unique_evaluation_per_round"),
            # One rating of each reply round, whoever is first proposer.
            models.UniqueConstraint(
                fields=["assignment", "round"],
                condition=Q(role=EvaluatorRole.FIRST_PROPOSER),
                name="unique_first_proposer_rating",
            ),
            # The first proposer rates both parts and answers 是否见面; a co-signer's row holds no rating.
            models.CheckConstraint(
                condition=(
                    Q(role=EvaluatorRole.FIRST_PROPOSER, met_in_person__isnull=False)
                    & ~Q(attitude="")
                    & ~Q(satisfaction="")
                )
                | Q(role=EvaluatorRole.CO_SIGNER, attitude="", satisfaction="", met_in_person__isnull=True),
                name="evaluation_ratings_by_role",
            ),
        ]

    def __str__(self) -> str:
        if self.role == EvaluatorRole.CO_SIGNER:
            return f"{self.member}（附议人）对 {self.assignment.unit} 的意见"
        return (
            f"{self.member} 评 {self.assignment.unit}：态度{self.get_attitude_display()}，"
            f"结果{self.get_satisfaction_display()}"
        )

    @property
    def counts(self) -> bool:
        return self.role == EvaluatorRole.FIRST_PROPOSER

    @property
    def summary(self) -> str:
        """One line for the page and the PDF: the three answers, or “附议人意见”."""
        if not self.counts:
            return "附议人意见（不计入评价）"
        met = {True: "是", False: "否"}.get(self.met_in_person, "—")
        return f"办理态度：{self.get_attitude_display()}；办理结果：{self.get_satisfaction_display()}；是否见面：{met}"


class SupervisionActivity(models.Model):
    """督办: a research visit, forum, meeting or site visit on a key proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supervisions")
    kind = models.CharField("形式", max_length=20, choices=SupervisionKind.choices)
    on = models.DateField("日期")
    notes = models.TextField("情况记录")
    attendees = models.CharField("参加人员", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "督办活动"
        verbose_name_plural = "督办活动"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class ProposalEvent(models.Model):
    """The timeline: who did what, when, and the state before and after."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    action = models.CharField("操作", max_length=40)
    label = models.CharField("操作名称", max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20, blank=True)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["proposal", "created_at"], name="proposal_event_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.label}"

    @property
    def actor_label(self) -> str:
        return self.actor.display_name if self.actor_id else "系统"

    @property
    def link(self) -> str:
        """A page the row points to (the minutes of a 提案办理协商会): the note's last line, a local path."""
        last = self.note.rsplit("\n", 1)[-1]
        return last if self.action == "consultation_minutes" and last.startswith("/") else ""

    @property
    def note_text(self) -> str:
        return self.note.rsplit("\n", 1)[0] if self.link else self.note

    def state_label(self, value: str) -> str:
        for enum in (ProposalState, AssignmentState):
            if value in enum.values:
                return enum(value).label
        return value

    @property
    def from_label(self) -> str:
        return self.state_label(self.from_state)

    @property
    def to_label(self) -> str:
        return self.state_label(self.to_state)


def attachment_path(instance: Attachment, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    today = timezone.localdate()
    return f"proposals/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file on a proposal or a unit's signed reply letter; served only through an access-checked view."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField("类型", max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.PROPOSAL)
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("proposals:attachment", args=[self.pk])
