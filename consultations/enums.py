"""Kinds and states of the consultation and supervision app."""

from django.db import models

from cppcc_portal.badges import BadgeChoices


class TopicSource(models.TextChoices):
    LEADER = "leader", "领导点题"
    MEMBER = "member", "委员荐题"
    DEPARTMENT = "department", "部门商题"
    PUBLIC = "public", "群众征题"


class ChainStage(models.TextChoices):
    """The full chain (全链条), in order. Derived from records, never stored."""

    TOPIC = "topic", "选题"
    RESEARCH = "research", "调研"
    CONSULTATION = "consultation", "协商"
    OUTCOME = "outcome", "成果"
    SENT = "sent", "报送"
    FEEDBACK = "feedback", "反馈"
    DONE = "done", "完成"


CHAIN_ORDER = list(ChainStage)


class InvitationKind(models.TextChoices):
    REQUIRED = "required", "必须参加"
    SIGNUP = "signup", "自愿报名"


class RsvpStatus(models.TextChoices):
    PENDING = "pending", "待回复"
    ATTENDING = "attending", "参加"
    LEAVE_REQUESTED = "leave_requested", "请假待批"
    LEAVE_APPROVED = "leave_approved", "已准假"
    LEAVE_REFUSED = "leave_refused", "请假未准"
    DECLINED = "declined", "不参加"


ANSWERED_STATES = {
    RsvpStatus.ATTENDING,
    RsvpStatus.LEAVE_REQUESTED,
    RsvpStatus.LEAVE_APPROVED,
    RsvpStatus.LEAVE_REFUSED,
    RsvpStatus.DECLINED,
}
# Invitees who expect to be in the room (the day-before reminder goes to them).
EXPECTED_STATES = {RsvpStatus.ATTENDING, RsvpStatus.LEAVE_REFUSED}


class CheckinMethod(models.TextChoices):
    QR = "qr", "扫码签到"
    MANUAL = "manual", "工作人员代签"
    ONLINE = "online", "在线签到"


class ParticipantIdentity(models.TextChoices):
    PARENT = "parent", "家长"
    TEACHER = "teacher", "教师"
    STUDENT = "student", "学生代表"
    EXPERT = "expert", "专家"
    CITIZEN = "citizen", "群众代表"
    OTHER = "other", "其他"


class SpeechKind(models.TextChoices):
    WRITTEN = "written", "书面发言"
    ORAL = "oral", "口头发言"


class OutcomeKind(models.TextChoices):
    PROPOSAL = "proposal", "建议案"
    REPORT = "report", "协商专报"
    MINUTES = "minutes", "纪要"
    ONLINE_SUMMARY = "online_summary", "网络议政意见汇总"
    OTHER = "other", "其他"


class InstructionLevel(models.TextChoices):
    CITY = "city", "市级领导"
    DISTRICT_PARTY_CHIEF = "party_chief", "区委主要领导"
    DISTRICT_GOV_CHIEF = "gov_chief", "区政府主要领导"
    DISTRICT_LEADER = "district", "区级其他领导"


class Adoption(BadgeChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"

    @classmethod
    def badge_styles(cls) -> dict:
        return {cls.ADOPTED: "text-bg-success", cls.PARTLY: "text-bg-warning", cls.NOT_ADOPTED: "text-bg-secondary"}


class OnlinePhase(BadgeChoices):
    """Where a 网络议政 topic stands: from its window and whether staff closed it. Derived, never stored."""

    UPCOMING = "upcoming", "未开始"
    OPEN = "open", "征集中"
    ENDED = "ended", "已截止（待汇总）"
    CLOSED = "closed", "已汇总"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.UPCOMING: "text-bg-light border",
            cls.OPEN: "text-bg-success",
            cls.ENDED: "text-bg-warning",
            cls.CLOSED: "text-bg-secondary",
        }


class Moderation(BadgeChoices):
    """A post's moderation: members' posts show at once; the public's wait for staff."""

    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"

    @classmethod
    def badge_styles(cls) -> dict:
        return {cls.PENDING: "text-bg-warning", cls.APPROVED: "text-bg-success", cls.REJECTED: "text-bg-secondary"}
