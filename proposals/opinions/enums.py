"""States and kinds of 社情民意 reports."""

from django.db import models

from cppcc_portal.badges import BadgeChoices


class OpinionStatus(BadgeChoices):
    # An organisation's report, filed by its 经办, waits for its head (负责人) before it goes in.
    AWAITING_HEAD = "awaiting_head", "待负责人确认"
    SUBMITTED = "submitted", "待审核"
    ADOPTED = "adopted", "已采用"
    NOT_ADOPTED = "not_adopted", "不采用"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.AWAITING_HEAD: "text-bg-light border",
            cls.SUBMITTED: "text-bg-warning",
            cls.ADOPTED: "text-bg-success",
            cls.NOT_ADOPTED: "text-bg-secondary",
        }


class InstructionLevel(models.TextChoices):
    DISTRICT = "district", "区级领导"
    CITY = "city", "市级领导"
    PROVINCE = "province", "省部级及以上领导"


class OpinionAction(models.TextChoices):
    """What happened to a report, as its timeline shows it."""

    FILED = "filed", "报送"
    HEAD_CONFIRMED = "head_confirmed", "负责人确认"
    CONVERTED = "converted", "由提案转化"
    EDITED = "edited", "编辑加工"
    ADOPTED = "adopted", "采用"
    NOT_ADOPTED = "not_adopted", "不采用"
    REPORTED = "reported", "报送上级"
    INSTRUCTED = "instructed", "领导批示"
    FEEDBACK = "feedback", "部门反馈"
