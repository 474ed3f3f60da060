"""What ``members`` contributes to the navigation and the workbench."""

from django.urls import reverse

from cppcc_portal.hooks import NavItem, Panel, register

from .roles import Role


@register("nav_items")
def members_nav(user):
    if user.has_perm("members.browse_directory"):
        yield NavItem("委员名册", reverse("members:list"), order=80, group="委员履职")
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
