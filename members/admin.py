from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from cppcc_portal.adminkit import ReadOnlyAdmin, service_action
from cppcc_portal.roles import Role
from cppcc_portal.twofactor import services as two_factor

from .models import (
    ActivityGroup,
    ActivityGroupMembership,
    Committee,
    CommitteeMembership,
    GroupYearPlan,
    Member,
    Organization,
    Party,
    PlenarySession,
    Position,
    Sector,
    Term,
    User,
)
from .performance.models import PerformanceRecord


class PortalUserChangeForm(UserChangeForm):
    """A handling-unit user belongs to exactly one organisation."""

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        is_unit = groups is not None and groups.filter(name=Role.UNIT).exists()
        if is_unit and not cleaned.get("organization"):
            raise forms.ValidationError({"organization": "承办单位用户必须选择所属单位。"})
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    form = PortalUserChangeForm
    list_display = ("username", "name", "organization", "is_unit_head", "is_active", "is_staff", "last_login")
    list_filter = ("groups", "organization", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "name", "email", "mobile")
    autocomplete_fields = ("organization",)
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("政协信息", {"fields": ("name", "mobile", "organization", "is_unit_head")}),
        ("通知偏好", {"fields": ("email_mode", "sms_enabled")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (("政协信息", {"fields": ("name", "organization", "groups")}),)

    def get_readonly_fields(self, request, obj=None):
        # The address has one writer (members.services.user_set_email): its owner changes it
        # under 通知设置 or 我的信息.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "email") if obj is not None else fields

    actions = [
        service_action(
            "重置两步验证（手机丢失时；本人下次登录重新绑定）",
            lambda user, actor: two_factor.reset(actor=actor, user=user),
            "reset_two_factor",
        )
    ]


class OrganizationUserInline(admin.TabularInline):
    model = User
    fields = ("username", "name", "is_unit_head", "is_active")
    readonly_fields = ("username", "name")
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "账号"
    verbose_name_plural = "本单位账号（负责人签发答复或确认集体提案）"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    """Handling units and proposer organisations. A proposer organisation's accounts are users of
    it with the 集体提案单位用户 role; the one marked 单位负责人 confirms its proposals."""

    list_display = ("name", "short_name", "kind", "party", "sector", "committee", "contact_name", "is_active", "order")
    list_filter = ("kind", "is_active")
    list_editable = ("order",)
    list_select_related = ("party", "sector", "committee")
    search_fields = ("name", "short_name")
    inlines = [OrganizationUserInline]


class PlenarySessionInline(admin.TabularInline):
    model = PlenarySession
    extra = 0


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ("name", "number", "start_date", "end_date", "is_current")
    list_filter = ("is_current",)
    inlines = [PlenarySessionInline]


@admin.register(PlenarySession)
class PlenarySessionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "term", "year", "opens_on", "closes_on", "proposal_deadline", "is_current")
    list_filter = ("term", "is_current")
    search_fields = ("name",)


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "order")
    list_editable = ("order",)
    search_fields = ("name",)


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "order")
    list_editable = ("order",)
    search_fields = ("name",)


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "order")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "rank", "is_leadership", "is_standing_committee")


class CommitteeMembershipInline(admin.TabularInline):
    model = CommitteeMembership
    extra = 0
    autocomplete_fields = ("committee",)


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ("name", "gender", "party", "sector", "position", "employer_title", "mobile", "status")
    list_filter = ("status", "position", "sector", "party", "terms", "committees")
    search_fields = ("name", "employer_title", "mobile")
    list_select_related = ("party", "sector", "position")
    autocomplete_fields = ("user", "party", "sector")
    filter_horizontal = ("terms",)
    inlines = [CommitteeMembershipInline]


@admin.register(PerformanceRecord)
class PerformanceRecordAdmin(ReadOnlyAdmin):
    """The ledger is derived from what happened: no hand edits, superusers included."""

    list_display = ("member", "act", "on", "source_type", "source_id", "created_at")
    list_filter = ("act", "source_type")
    search_fields = ("member__name",)
    list_select_related = ("member", "source_type")
    date_hierarchy = "on"


class ActivityGroupMembershipInline(admin.TabularInline):
    model = ActivityGroupMembership
    extra = 0
    autocomplete_fields = ("member",)


@admin.register(ActivityGroup)
class ActivityGroupAdmin(SimpleHistoryAdmin):
    list_display = ("name", "committee", "order", "is_active")
    list_editable = ("order",)
    list_filter = ("committee", "is_active")
    search_fields = ("name",)
    filter_horizontal = ("sectors",)
    inlines = [ActivityGroupMembershipInline]


@admin.register(GroupYearPlan)
class GroupYearPlanAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "year", "committee", "activity_group")
    list_filter = ("year", "committee", "activity_group")
