from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Station, StationMembership, StationType


@admin.register(StationType)
class StationTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    list_editable = ("order",)


class StationMembershipInline(admin.TabularInline):
    model = StationMembership
    extra = 0
    autocomplete_fields = ("member",)


@admin.register(Station)
class StationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "station_type", "head", "instructor_name", "liaison_leader", "is_active")
    list_filter = ("station_type", "is_active")
    search_fields = ("name", "coverage", "address")
    list_select_related = ("station_type", "head", "liaison_leader")
    autocomplete_fields = ("head",)
    inlines = [StationMembershipInline]
