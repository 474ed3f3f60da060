from django.db import models

from cppcc_portal.badges import BadgeChoices


class ReportStatus(BadgeChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交待审"
    RETURNED = "returned", "退回修改"
    ACCEPTED = "accepted", "已通过"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.DRAFT: "text-bg-light border",
            cls.SUBMITTED: "text-bg-warning",
            cls.RETURNED: "text-bg-warning",
            cls.ACCEPTED: "text-bg-success",
        }


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class RoundStatus(BadgeChoices):
    RECOMMENDING = "recommending", "推荐中"
    REVIEWING = "reviewing", "审核中"
    PUBLISHED = "published", "已公布"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.RECOMMENDING: "text-bg-primary",
            cls.REVIEWING: "text-bg-warning",
            cls.PUBLISHED: "text-bg-success",
        }


class CandidateStatus(BadgeChoices):
    RECOMMENDED = "recommended", "已推荐"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "未通过"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.RECOMMENDED: "text-bg-primary",
            cls.APPROVED: "text-bg-success",
            cls.REJECTED: "text-bg-secondary",
        }


class RecommendChannel(models.TextChoices):
    COMMITTEE = "committee", "专委会推荐"
    SECTOR = "sector", "界别推荐"


class ReminderKind(models.TextChoices):
    MEMBER_GAP = "member_gap", "五个一提醒（委员）"
    STAFF_LIST = "staff_list", "五个一年终名单（机关）"
