"""Recipients of 通知公告 by group: the groups of members (``members.selectors``: 全体委员, 常委, a 界别,
a 专委会, an 活动组, a station or 工作室, the one selector behind invitations by group) plus the
logins that are not members: the handling units' users and the staff."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from cppcc_portal.errors import ValidationFailed
from cppcc_portal.roles import Role

from .enums import HANDLING_KINDS
from .models import User
from .selectors import group_labels, member_group_choices, members_in_groups

# Logins beyond the members: key -> (label, which users).
OTHER_GROUPS = {
    "units": ("全部承办单位用户", Q(organization__kind__in=HANDLING_KINDS)),
    "staff": ("机关工作人员", Q(groups__name=Role.STAFF)),
}


def recipient_group_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The member groups' choices, then the other logins."""
    return [*member_group_choices(), ("其他", [(key, label) for key, (label, _q) in OTHER_GROUPS.items()])]


def chosen_groups(keys: Iterable[str]) -> list[str]:
    """``keys`` checked against the groups one may choose; an unknown key is bad input, said in Chinese."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        raise ValidationFailed("请至少选择一个发送对象。")
    known = {key for _category, options in recipient_group_choices() for key, _label in options}
    if any(key not in known for key in wanted):
        raise ValidationFailed("所选发送对象不存在或已停用，请刷新页面后重新选择。")
    return wanted


def users_in_groups(keys: Iterable[str]) -> QuerySet[User]:
    """The active logins in any of the groups ``keys`` names, each once: the members' own and the
    other logins. (A member without a login cannot be reached in the portal and is left out.)"""
    keys = list(keys)
    members = members_in_groups([key for key in keys if key not in OTHER_GROUPS])
    condition = Q(pk__in=members.filter(user__isnull=False).order_by().values("user_id"))
    others = [OTHER_GROUPS[key][1] for key in keys if key in OTHER_GROUPS]
    for q in others:
        condition |= Q(pk__in=User.objects.filter(q).values("pk"))
    return User.objects.filter(condition, is_active=True).order_by("pk")


def audience_label(keys: Iterable[str]) -> str:
    keys = list(keys)
    labels = group_labels(keys) + [OTHER_GROUPS[key][0] for key in keys if key in OTHER_GROUPS]
    return "；".join(labels)[:500]
