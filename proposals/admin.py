from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assignment,
    Attachment,
    ContactRecord,
    Evaluation,
    ExtensionRequest,
    NonRegistrationReason,
    Proposal,
    ProposalCategory,
    ProposalEvent,
    ProposalNumberCounter,
    ProposalSettings,
    Signer,
    SupervisionActivity,
)


class SignerInline(admin.TabularInline):
    model = Signer
    extra = 0
    autocomplete_fields = ("member",)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("unit", "kind", "state", "assigned_on", "accept_due", "handling_due", "reply_class", "replied_at")
    readonly_fields = fields
    show_change_link = True
    can_delete = False


class EventInline(admin.TabularInline):
    model = ProposalEvent
    extra = 0
    fields = ("created_at", "label", "actor", "from_state", "to_state", "note")
    readonly_fields = fields
    can_delete = False


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "author", "kind", "category", "session", "state", "is_key", "submitted_at")
    list_filter = ("state", "session", "category", "kind", "period", "is_key")
    search_fields = ("number", "title", "author__name", "collective_name")
    autocomplete_fields = ("author",)
    raw_id_fields = ("merged_into", "filed_by", "key_leader")
    readonly_fields = ("state", "version", "number", "sequence", "keywords")
    inlines = [SignerInline, AssignmentInline, EventInline]
    date_hierarchy = "created_at"


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("proposal", "unit", "kind", "state", "accept_due", "handling_due", "reply_class", "replied_at")
    list_filter = ("state", "kind", "reply_class", "unit")
    search_fields = ("proposal__title", "proposal__number", "unit__name")
    raw_id_fields = ("proposal", "assigned_by")
    readonly_fields = ("state",)


@admin.register(ProposalCategory)
class ProposalCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(NonRegistrationReason)
class NonRegistrationReasonAdmin(admin.ModelAdmin):
    list_display = ("text", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(ProposalSettings)
class ProposalSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "number_format", "members_see_registered", "max_handling_months")

    def has_add_permission(self, request):
        return not ProposalSettings.objects.exists()


@admin.register(ProposalNumberCounter)
class ProposalNumberCounterAdmin(admin.ModelAdmin):
    list_display = ("session", "last_number")
    readonly_fields = ("session", "last_number")


@admin.register(ProposalEvent)
class ProposalEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "proposal", "label", "actor", "from_state", "to_state")
    list_filter = ("action",)
    search_fields = ("proposal__title", "proposal__number", "note")
    raw_id_fields = ("proposal", "assignment", "actor")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    list_display = ("assignment", "months", "state", "requested_at", "decided_at")
    list_filter = ("state",)
    raw_id_fields = ("assignment", "requested_by", "decided_by")


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("assignment", "member", "round", "satisfaction", "created_at")
    list_filter = ("satisfaction",)
    raw_id_fields = ("assignment", "member")


@admin.register(ContactRecord)
class ContactRecordAdmin(admin.ModelAdmin):
    list_display = ("assignment", "on", "method")
    raw_id_fields = ("assignment", "recorded_by")


@admin.register(SupervisionActivity)
class SupervisionActivityAdmin(admin.ModelAdmin):
    list_display = ("proposal", "kind", "on", "recorded_by")
    list_filter = ("kind",)
    raw_id_fields = ("proposal", "recorded_by")


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "proposal", "kind", "content_type", "size", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("proposal", "assignment", "uploaded_by")
