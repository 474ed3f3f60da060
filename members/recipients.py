"""Recipients by group: 全体委员, 常委, a 界别, a 专委会, a station's members, the units, the staff.

One selector for everything that reaches people by group (通知公告, invitations by group). A
group is a set of members (a ``Member`` lookup) and/or of other logins (a ``User`` lookup), so
any choice of groups is one query, with each person once however many groups hold them. Other
apps add groups through the ``recipient_groups`` hook (``liaison_stations``: each station's
members), registered in their ``panels.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from cppcc_portal.errors import ValidationFailed
from cppcc_portal.hooks import get_hooks
from cppcc_portal.roles import Role

from .enums import HANDLING_KINDS
from .models import Committee, Member, Sector, User


@dataclass(frozen=True)
class RecipientGroup:
    key: str  # "term", "standing", "sector:3", "committee:2", "station:5", "units", "staff"
    category: str  # the heading it is listed under: 委员, 界别, 专委会, 联络站, 其他
    label: str
    members: Q | None = None  # which members (``Member`` lookups)
    users: Q | None = None  # which logins besides members' (``User`` lookups)


def _base_groups() -> list[RecipientGroup]:
    groups = [
        RecipientGroup("term", "委员", "本届全体委员", members=Q(terms__is_current=True)),
        RecipientGroup(
            "standing", "委员", "本届常委", members=Q(terms__is_current=True, position__is_standing_committee=True)
        ),
    ]
    groups += [
        RecipientGroup(f"sector:{pk}", "界别", name, members=Q(sector_id=pk))
        for pk, name in Sector.objects.values_list("pk", "name")
    ]
    groups += [
        RecipientGroup(f"committee:{pk}", "专委会", name, members=Q(committee_memberships__committee_id=pk))
        for pk, name in Committee.objects.values_list("pk", "name")
    ]
    groups += [
        RecipientGroup("units", "其他", "全部承办单位用户", users=Q(organization__kind__in=HANDLING_KINDS)),
        RecipientGroup("staff", "其他", "机关工作人员", users=Q(groups__name=Role.STAFF)),
    ]
    return groups


def recipient_groups() -> list[RecipientGroup]:
    """Every group one may choose, in the order a form lists them."""
    groups = _base_groups()
    for provider in get_hooks("recipient_groups"):
        groups.extend(provider())
    return groups


def recipient_group_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The groups as a form's grouped choices: ``[(category, [(key, label), ...]), ...]``."""
    categories: dict[str, list[tuple[str, str]]] = {}
    for group in recipient_groups():
        categories.setdefault(group.category, []).append((group.key, group.label))
    return list(categories.items())


def chosen_groups(keys: Iterable[str]) -> list[RecipientGroup]:
    """The groups named by ``keys``; an unknown key is bad input, said in Chinese."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        raise ValidationFailed("请至少选择一个发送对象。")
    by_key = {group.key: group for group in recipient_groups()}
    unknown = [key for key in wanted if key not in by_key]
    if unknown:
        raise ValidationFailed("所选发送对象不存在或已停用，请刷新页面后重新选择。")
    return [by_key[key] for key in wanted]


def members_in_groups(groups: Iterable[RecipientGroup]) -> QuerySet[Member]:
    """The active members in any of ``groups``, each once."""
    conditions = [group.members for group in groups if group.members is not None]
    if not conditions:
        return Member.objects.none()
    return Member.objects.active().filter(pk__in=Member.objects.filter(reduce(or_, conditions)).values("pk"))


def users_in_groups(groups: Iterable[RecipientGroup]) -> QuerySet[User]:
    """The active logins in any of ``groups``: the members' own and the other logins, each once.
    (A member without a login cannot be reached in the portal and is left out.)"""
    groups = list(groups)
    condition = Q(pk__in=members_in_groups(groups).filter(user__isnull=False).values("user_id"))
    others = [group.users for group in groups if group.users is not None]
    if others:
        condition |= Q(pk__in=User.objects.filter(reduce(or_, others)).values("pk"))
    return User.objects.filter(condition, is_active=True).order_by("pk")


def audience_label(groups: Iterable[RecipientGroup]) -> str:
    return "；".join(group.label for group in groups)[:500]
