"""Kinds and states of democratic supervision (民主监督)."""

from django.db import models

from cppcc_portal.badges import BadgeChoices


class Stage(BadgeChoices):
    """知情 → 沟通 → 反馈 → 跟踪 → 完成: where a supervision item stands."""

    INFORMING = "informing", "知情"
    COMMUNICATING = "communicating", "沟通"
    FEEDBACK = "feedback", "反馈"
    TRACKING = "tracking", "跟踪"
    DONE = "done", "完成"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.INFORMING: "text-bg-info",
            cls.COMMUNICATING: "text-bg-primary",
            cls.FEEDBACK: "text-bg-warning",
            cls.TRACKING: "text-bg-secondary",
            cls.DONE: "text-bg-success",
        }


STAGE_ORDER = list(Stage)
OPEN_STAGES = (Stage.INFORMING, Stage.COMMUNICATING, Stage.FEEDBACK, Stage.TRACKING)


class RecordKind(models.TextChoices):
    """What a stage's record is; ``workflow.RECORD_STAGES`` says which stage each belongs to."""

    BRIEFING = "briefing", "情况通报"
    DOCUMENT = "document", "文件资料"
    MEETING = "meeting", "座谈沟通"
    INSPECTION = "inspection", "视察检查"
    QUESTION = "question", "询问质询"
    FEEDBACK = "feedback", "部门正式反馈"
    FOLLOWUP = "followup", "跟踪落实"


class AnswerKind(models.TextChoices):
    AT_SESSION = "session", "现场答复"
    WRITTEN = "written", "书面答复"


class TaskKind(models.TextChoices):
    INSPECTION = "inspection", "视察"
    UNDERCOVER = "undercover", "明察暗访"
    REVIEW = "review", "评议部门"


class TaskStatus(BadgeChoices):
    ASSIGNED = "assigned", "待报告"
    REPORTED = "reported", "已报告"
    FORWARDED = "forwarded", "已转部门"
    ANSWERED = "answered", "部门已反馈"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.ASSIGNED: "text-bg-warning",
            cls.REPORTED: "text-bg-info",
            cls.FORWARDED: "text-bg-primary",
            cls.ANSWERED: "text-bg-success",
        }
