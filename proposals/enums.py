"""States and kinds of proposals and their assignments (stored values are API)."""

from django.db import models

from cppcc_portal.badges import BadgeChoices


class ProposalState(BadgeChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审查"
    RETURNED = "returned", "退回修改"
    WITHDRAWN = "withdrawn", "已撤回"
    REGISTERED = "registered", "已立案"
    NOT_REGISTERED = "not_registered", "不予立案"
    MERGED = "merged", "已并案"
    HANDLING = "handling", "办理中"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.DRAFT: "text-bg-light border",
            cls.SUBMITTED: "text-bg-primary",
            cls.RETURNED: "text-bg-warning",
            cls.WITHDRAWN: "text-bg-secondary",
            cls.REGISTERED: "text-bg-primary",
            cls.NOT_REGISTERED: "text-bg-secondary",
            cls.MERGED: "text-bg-secondary",
            cls.HANDLING: "text-bg-primary",
            cls.REPLIED: "text-bg-primary",
            cls.CLOSED: "text-bg-success",
        }


# Named groups of states.
EDITABLE_STATES = (ProposalState.DRAFT, ProposalState.RETURNED)
# Never submitted (with ``submitted_at`` empty): private to whoever writes it.
PRIVATE_DRAFT_STATES = (ProposalState.DRAFT, ProposalState.WITHDRAWN)
REGISTERED_STATES = (
    ProposalState.REGISTERED,
    ProposalState.HANDLING,
    ProposalState.REPLIED,
    ProposalState.CLOSED,
)
FILED_STATES = (
    ProposalState.SUBMITTED,
    ProposalState.REGISTERED,
    ProposalState.NOT_REGISTERED,
    ProposalState.MERGED,
    ProposalState.HANDLING,
    ProposalState.REPLIED,
    ProposalState.CLOSED,
)


class ProposerKind(models.TextChoices):
    INDIVIDUAL = "individual", "委员个人"
    JOINT = "joint", "委员联名"
    SECTOR = "sector", "界别"
    COMMITTEE = "committee", "专门委员会"
    ORGANIZATION = "organization", "党派团体"  # 民主党派区委 or a people's organisation


COLLECTIVE_KINDS = (ProposerKind.SECTOR, ProposerKind.COMMITTEE, ProposerKind.ORGANIZATION)
# Proposals members file themselves (counted by the first proposer's party, sector and committees).
MEMBER_KINDS = (ProposerKind.INDIVIDUAL, ProposerKind.JOINT)


def proposer_kind_of(organization) -> str:
    """The proposer kind of a collective proposal filed in ``organization``'s name."""
    return {"sector": ProposerKind.SECTOR, "committee": ProposerKind.COMMITTEE}.get(
        organization.kind, ProposerKind.ORGANIZATION
    )


class Period(models.TextChoices):
    PLENARY = "plenary", "大会提案"
    INTERIM = "interim", "平时提案"


class SignerRole(models.TextChoices):
    CO_SIGNER = "co_signer", "附议人"
    CONTACT = "contact", "集体提案联系人"


class SignerStatus(BadgeChoices):
    INVITED = "invited", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DECLINED = "declined", "已谢绝"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.INVITED: "text-bg-warning",
            cls.CONFIRMED: "text-bg-success",
            cls.DECLINED: "text-bg-secondary",
        }


class AssignmentKind(models.TextChoices):
    LEAD = "lead", "主办"
    CO = "co", "会办"
    SPLIT = "split", "分办"


# Kinds whose unit replies to the proposer (co-units send views to the lead unit).
REPLYING_KINDS = (AssignmentKind.LEAD, AssignmentKind.SPLIT)


class AssignmentState(BadgeChoices):
    PENDING_ACCEPT = "pending_accept", "待签收"
    ACCEPTED = "accepted", "办理中"
    REASSIGN_REQUESTED = "reassign_requested", "申请调整单位"
    REASSIGNED = "reassigned", "已改由他单位办理"
    VIEWS_SENT = "views_sent", "已送会办意见"
    REPLIED = "replied", "已答复"
    RE_HANDLING = "re_handling", "重新办理"
    DONE = "done", "办结"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.PENDING_ACCEPT: "text-bg-info",
            cls.ACCEPTED: "text-bg-info",
            cls.REASSIGN_REQUESTED: "text-bg-info",
            cls.REASSIGNED: "text-bg-secondary",
            cls.VIEWS_SENT: "text-bg-info",
            cls.REPLIED: "text-bg-info",
            cls.RE_HANDLING: "text-bg-info",
            cls.DONE: "text-bg-success",
        }


ACTIVE_ASSIGNMENT_STATES = (
    AssignmentState.PENDING_ACCEPT,
    AssignmentState.ACCEPTED,
    AssignmentState.REASSIGN_REQUESTED,
    AssignmentState.RE_HANDLING,
)


# The assignment states in which a clock still runs (proposals/clocks.py); the board's partial
# indexes on the due dates (Assignment.Meta.indexes) are declared with the same lists.
HANDLING_OPEN_STATES = (AssignmentState.PENDING_ACCEPT, AssignmentState.ACCEPTED, AssignmentState.REASSIGN_REQUESTED)
CO_VIEWS_OPEN_STATES = (AssignmentState.PENDING_ACCEPT, AssignmentState.ACCEPTED)


class ContactMethod(models.TextChoices):
    """How the unit contacted the proposer before replying (先沟通后答复); 见面 counts for 见面率."""

    MEET = "meet", "见面"
    PHONE = "phone", "电话"
    FORUM = "forum", "座谈"
    WRITTEN = "written", "书面"


class ReplyClass(models.TextChoices):
    A = "A", "A类（已解决或采纳）"
    B = "B", "B类（正在解决或列入计划）"
    C = "C", "C类（因条件限制留作参考）"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class EvaluatorRole(models.TextChoices):
    """Who filled in the 征询意见表: only the first proposer's ratings count; co-signers comment."""

    FIRST_PROPOSER = "first", "第一提案人"
    CO_SIGNER = "co_signer", "附议人"


class QualityRating(models.TextChoices):
    EXCELLENT = "excellent", "优"
    GOOD = "good", "良"
    FAIR = "fair", "一般"
    POOR = "poor", "差"


class RequestState(BadgeChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "未同意"

    @classmethod
    def badge_styles(cls) -> dict:
        return {cls.PENDING: "text-bg-warning", cls.APPROVED: "text-bg-success", cls.REFUSED: "text-bg-secondary"}


class ConversionKind(models.TextChoices):
    NONE = "", "不转化"
    PUBLIC_OPINION = "public_opinion", "转为社情民意"
    MEMBER_LETTER = "member_letter", "转为委员来信"


class SupervisionKind(models.TextChoices):
    RESEARCH = "research", "调研督办"
    FORUM = "forum", "座谈督办"
    MEETING = "meeting", "督办会议"
    SITE_VISIT = "site_visit", "现场督办"
    HEARING = "hearing", "听取汇报"
    OTHER = "other", "其他"


class KeySelectionState(models.TextChoices):
    NOMINATING = "nominating", "推荐中"
    DECIDED = "decided", "主席会议已决定"


class AttachmentKind(models.TextChoices):
    PROPOSAL = "proposal", "提案附件"
    REPLY_LETTER = "reply_letter", "答复函"
