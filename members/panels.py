"""What ``members`` contributes to shared pages: the navigation, the workbench, and the units
the deadline board filters by."""

from django.urls import reverse

from cppcc_portal.hooks import NavItem, Panel, register
from cppcc_portal.roles import Role

from .enums import OrganizationKind
from .models import Organization, PlenarySession


@register("nav_items")
def members_nav(user):
    if user.has_perm("members.browse_directory"):
        yield NavItem("委员名册", reverse("members:list"), order=80, group="委员履职")
    if user.has_perm("members.see_workspace"):
        yield NavItem("专委会与活动组", reverse("members:committees"), order=81, group="委员履职")
    if user.has_perm("members.edit_own_contact"):
        yield NavItem("我的信息", reverse("members:me"), order=85, group="委员履职")
    if user.is_staff:
        yield NavItem("系统管理", reverse("admin:index"), order=990)


@register("workbench_panels")
def role_panel(request):
    user = request.user
    roles = [role.label for role in Role if user.has_role(role)]
    if user.is_superuser:
        roles.insert(0, "系统管理员")
    member = getattr(user, "member", None)
    return Panel(
        "members/panels/profile.html",
        {"roles": roles, "member": member, "can_manage": user.has_perm("members.manage_registry")},
        order=0,
        title="我的信息",
    )


@register("handling_units")
def handling_units():
    """承办单位 and 镇街 still in service: the units a unit user can belong to."""
    return Organization.objects.filter(
        kind__in=[OrganizationKind.HANDLING_UNIT, OrganizationKind.TOWN_STREET], is_active=True
    )


@register("year_labels")
def plenary_session_years() -> dict[int, str]:
    """Each year that had a plenary session, with its name (the statistics label years with them)."""
    return dict(PlenarySession.objects.values_list("year", "name"))
