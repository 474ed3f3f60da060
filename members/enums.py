from django.db import models

from cppcc_portal.badges import BadgeChoices


class Gender(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class MemberStatus(BadgeChoices):
    ACTIVE = "active", "在任"
    LEFT = "left", "离任"

    @classmethod
    def badge_styles(cls) -> dict:
        return {
            cls.ACTIVE: "text-bg-success",
            cls.LEFT: "text-bg-secondary",
        }


class CommitteeRole(models.TextChoices):
    DIRECTOR = "director", "主任"
    DEPUTY = "deputy", "副主任"
    MEMBER = "member", "委员"


class GroupRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"


class PartyKind(models.TextChoices):
    CPC = "cpc", "中国共产党"
    DEMOCRATIC = "democratic", "民主党派"
    NON_PARTY = "non_party", "无党派人士"
    MASSES = "masses", "群众"


class OrganizationKind(models.TextChoices):
    HANDLING_UNIT = "handling_unit", "承办单位（政府部门）"
    TOWN_STREET = "town_street", "镇街"
    PARTY = "party", "民主党派区委"
    PEOPLES_ORG = "peoples_org", "人民团体"
    SECTOR = "sector", "界别"
    COMMITTEE = "committee", "专门委员会"
    OTHER = "other", "其他"


# Organisations that file collective proposals and 社情民意 in their own name (集体提案).
PROPOSER_KINDS = (
    OrganizationKind.PARTY,
    OrganizationKind.PEOPLES_ORG,
    OrganizationKind.SECTOR,
    OrganizationKind.COMMITTEE,
)
# Organisations whose users handle proposals (承办单位用户).
HANDLING_KINDS = (OrganizationKind.HANDLING_UNIT, OrganizationKind.TOWN_STREET)


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "立即发送邮件"
    DIGEST = "digest", "每日汇总一封"
    NONE = "none", "不发邮件（仅站内）"


class PerformanceAct(models.TextChoices):
    """Countable acts. Later apps add acts by extending this list, never by free text."""

    PROPOSAL_FILED = "proposal_filed", "提交提案（第一提案人）"
    PROPOSAL_COSIGNED = "proposal_cosigned", "联名提案（附议人）"
    PROPOSAL_REGISTERED = "proposal_registered", "提案立案（第一提案人）"
    PROPOSAL_REGISTERED_COSIGNER = "proposal_registered_cosigner", "提案立案（附议人）"
    PROPOSAL_KEY = "proposal_key", "重点提案"
    PROPOSAL_EXCELLENT = "proposal_excellent", "优秀提案"
    OPINION_FILED = "opinion_filed", "报送社情民意"
    OPINION_ADOPTED = "opinion_adopted", "社情民意被采用"
    OPINION_INSTRUCTED = "opinion_instructed", "社情民意获领导批示"
    OPINION_ADOPTED_CITY = "opinion_adopted_city", "社情民意被市政协采用"
    OPINION_ADOPTED_NATIONAL = "opinion_adopted_national", "社情民意被全国政协采用"
    PLENARY_ATTENDED = "plenary_attended", "出席全体会议"
    PLENARY_LEAVE = "plenary_leave", "全体会议请假"
    STANDING_ATTENDED = "standing_attended", "出席常委会议"
    STANDING_LEAVE = "standing_leave", "常委会议请假"
    CONSULTATION_ATTENDED = "consultation_attended", "参加协商活动"
    CONSULTATION_LEAVE = "consultation_leave", "协商活动请假"
    SPEECH = "speech", "会议发言"
    ONLINE_OPINION_ADOPTED = "online_opinion_adopted", "网络议政意见被采纳"
    INSPECTION = "inspection", "参加视察"
    RESEARCH = "research", "参加调研"
    STATION_ACTIVITY = "station_activity", "联络站活动"
    LIVELIHOOD_MATTER = "livelihood_matter", "为群众办实事"
    STUDY_REFLECTION = "study_reflection", "学习心得"
    TRAINING = "training", "参加培训"
