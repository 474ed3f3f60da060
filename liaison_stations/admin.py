from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cppcc_portal.adminkit import NoAddOrDeleteMixin, ReadOnlyInline

from .models import (
    ActivityPhoto,
    DistrictMap,
    Donation,
    LivelihoodMatter,
    LivelihoodMatterLog,
    Station,
    StationActivity,
    StationMembership,
    StationType,
    StudioMembership,
)


@admin.register(StationType)
class StationTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "is_studio", "order")
    list_editable = ("order",)


class StationMembershipInline(admin.TabularInline):
    model = StationMembership
    extra = 0
    autocomplete_fields = ("member",)


class StudioMembershipInline(admin.TabularInline):
    model = StudioMembership
    extra = 0
    autocomplete_fields = ("member",)
    verbose_name_plural = "工作室成员（仅界别协商工作室）"


@admin.register(Station)
class StationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "station_type", "town", "head", "map_x", "map_y", "is_active")
    list_filter = ("station_type", "is_active")
    search_fields = ("name", "coverage", "address")
    list_select_related = ("station_type", "head", "town")
    list_editable = ("map_x", "map_y")
    autocomplete_fields = ("head",)
    inlines = [StationMembershipInline, StudioMembershipInline]


@admin.register(DistrictMap)
class DistrictMapAdmin(admin.ModelAdmin):
    """The 履职地图's outline: one row (the stations' coordinates are set on each station)."""

    list_display = ("name",)

    def has_add_permission(self, request):
        return not DistrictMap.objects.exists() and super().has_add_permission(request)


class ActivityPhotoInline(ReadOnlyInline):
    model = ActivityPhoto
    fields = ("original_name", "content_type", "size", "width", "height", "uploaded_at")
    readonly_fields = fields


@admin.register(StationActivity)
class StationActivityAdmin(NoAddOrDeleteMixin, SimpleHistoryAdmin):
    list_display = ("held_on", "title", "station", "kind", "service_kind", "citizens_reached", "created_by")
    list_filter = ("kind", "service_kind", "station", "held_on")
    search_fields = ("title", "description", "station__name")
    date_hierarchy = "held_on"
    list_select_related = ("station", "created_by")
    # Participants and the day are credited in the performance ledger (activity_save).
    readonly_fields = ("station", "held_on", "participants", "created_by", "created_at")
    inlines = [ActivityPhotoInline]


class MatterLogInline(ReadOnlyInline):
    model = LivelihoodMatterLog
    fields = ("at", "actor", "from_status", "to_status", "note")
    readonly_fields = fields


@admin.register(LivelihoodMatter)
class LivelihoodMatterAdmin(NoAddOrDeleteMixin, SimpleHistoryAdmin):
    list_display = ("raised_on", "short_problem", "station", "department", "status", "resolved_on")
    list_filter = ("status", "station", "department")
    search_fields = ("problem", "raised_by", "resolution")
    date_hierarchy = "raised_on"
    list_select_related = ("station", "department")
    # Status moves go through the pages (services write the log and the ledger).
    readonly_fields = ("status", "resolved_on", "members", "created_by", "created_at")
    inlines = [MatterLogInline]

    @admin.display(description="反映问题")
    def short_problem(self, obj):
        return obj.problem[:40]


@admin.register(Donation)
class DonationAdmin(SimpleHistoryAdmin):
    list_display = ("donated_on", "donor", "station", "kind", "amount", "goods", "goods_value")
    list_filter = ("kind", "station")
    search_fields = ("donor", "goods", "recipient")
    date_hierarchy = "donated_on"
    list_select_related = ("station",)
