"""Roles are Django groups; these are their names."""

from django.db import models


class Role(models.TextChoices):
    MEMBER = "委员", "委员"
    STAFF = "机关工作人员", "机关工作人员"
    LEADER = "主席会议成员", "主席会议成员"
    UNIT = "承办单位", "承办单位用户"
    STATION_HEAD = "站长", "联络站站长"


ALL_ROLES = [role.value for role in Role]
