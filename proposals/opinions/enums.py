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
    CHANNEL = "channel", "登记报送渠道"
    HIGHER_ADOPTED = "higher_adopted", "上级政协采用"
    IN_ISSUE = "in_issue", "编入刊物"


class OpinionChannel(models.TextChoices):
    """The channel a report arrived through (宝坻: 政协直通车, 连心桥 ...). Staff record it."""

    MEMBER = "member", "委员直报"
    THROUGH_TRAIN = "through_train", "政协直通车"
    HEART_BRIDGE = "heart_bridge", "连心桥"
    STATION = "station", "委员联络站"
    ONLINE = "online", "网上报送"
    MICRO = "micro", "微建议转化"
    ORGANIZATION = "organization", "党派团体"
    OTHER = "other", "其他"


class HigherLevel(models.TextChoices):
    """Adoption above the district: the 市政协 or the 全国政协."""

    CITY = "city", "市政协"
    NATIONAL = "national", "全国政协"


class IssueKind(models.TextChoices):
    REGULAR = "regular", "社情民意"
    SPECIAL = "special", "社情民意专报"


class IssueStatus(BadgeChoices):
    DRAFT = "draft", "编辑中"
    SENT = "sent", "已报送"

    @classmethod
    def badge_styles(cls) -> dict:
        return {cls.DRAFT: "text-bg-warning", cls.SENT: "text-bg-success"}


class MicroStatus(BadgeChoices):
    """微建议 / 微监督: filed to a unit, answered by it, or raised by staff to a report or a proposal."""

    SUBMITTED = "submitted", "待答复"
    ANSWERED = "answered", "已答复"
    RAISED_OPINION = "raised_opinion", "已转社情民意"
    RAISED_PROPOSAL = "raised_proposal", "已转提案草稿"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.SUBMITTED: "text-bg-warning",
            cls.ANSWERED: "text-bg-success",
            cls.RAISED_OPINION: "text-bg-primary",
            cls.RAISED_PROPOSAL: "text-bg-primary",
        }


class MicroKind(models.TextChoices):
    SUGGESTION = "suggestion", "微建议"
    SUPERVISION = "supervision", "微监督"
