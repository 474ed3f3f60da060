from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .deadlines import admin as deadlines_admin  # noqa: F401  (policies, ladders, ledger)
from .models import GeneratedDocument, Notification, WorkdayOverride

# django-otp's own admin pages show each phone's secret and allow adding devices for others.
# Here a lost phone is reset with the action on 用户 (cppcc_portal.twofactor.services.reset).
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


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


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    """The kept documents: what was built, for whom, how long it took, and why a build failed."""

    list_display = ("kind", "params_key", "data_version", "status", "requested_by", "created_at", "finished_at")
    list_filter = ("kind", "status")
    list_select_related = ("requested_by",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in GeneratedDocument._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
