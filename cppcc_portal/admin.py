from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .deadlines import admin as deadlines_admin  # noqa: F401  (policies, ladders, ledger)
from .models import Notification, WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(SimpleHistoryAdmin):
    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("note",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient", "kind", "urgent", "created_at", "read_at", "email_sent_at", "sms_sent_at")
    list_filter = ("kind", "urgent", "in_digest", "delivery_pending")
    search_fields = ("subject", "recipient__username", "recipient__name")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
