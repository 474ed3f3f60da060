from django.db import models

from cppcc_portal.badges import BadgeChoices


class ActivityKind(models.TextChoices):
    CONSULTATION = "consultation", "协商议事"
    INSPECTION = "inspection", "视察调研"
    STUDY = "study", "学习交流"
    LECTURE = "lecture", "委员讲堂"
    RECEPTION = "reception", "接待群众"
    SERVICE = "service", "为民服务"
    VISIT = "visit", "走访"


class ServiceKind(models.TextChoices):
    """Subtypes of 为民服务."""

    CLINIC = "clinic", "义诊"
    SCHOOL_AID = "school_aid", "助学"
    LEGAL = "legal", "送法律"
    CULTURE = "culture", "送文化"
    TECHNOLOGY = "technology", "送科技"
    OTHER = "other", "其他"


class MatterStatus(BadgeChoices):
    ACCEPTED = "accepted", "已受理"
    IN_PROGRESS = "in_progress", "办理中"
    SOLVED = "solved", "已解决"
    UNSOLVABLE = "unsolvable", "无法解决"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.ACCEPTED: "text-bg-warning",
            cls.IN_PROGRESS: "text-bg-warning",
            cls.SOLVED: "text-bg-success",
            cls.UNSOLVABLE: "text-bg-secondary",
        }


OPEN_MATTER_STATES = (MatterStatus.ACCEPTED, MatterStatus.IN_PROGRESS)
CLOSED_MATTER_STATES = (MatterStatus.SOLVED, MatterStatus.UNSOLVABLE)


class DonationKind(models.TextChoices):
    MONEY = "money", "资金"
    GOODS = "goods", "物资"
