from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交待审"
    RETURNED = "returned", "退回修改"
    ACCEPTED = "accepted", "已通过"


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class RoundStatus(models.TextChoices):
    RECOMMENDING = "recommending", "推荐中"
    REVIEWING = "reviewing", "审核中"
    PUBLISHED = "published", "已公布"


class CandidateStatus(models.TextChoices):
    RECOMMENDED = "recommended", "已推荐"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "未通过"


class RecommendChannel(models.TextChoices):
    COMMITTEE = "committee", "专委会推荐"
    SECTOR = "sector", "界别推荐"


class ReminderKind(models.TextChoices):
    MEMBER_GAP = "member_gap", "五个一提醒（委员）"
    STAFF_LIST = "staff_list", "五个一年终名单（机关）"
