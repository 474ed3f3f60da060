"""Admin for 社情民意 (registered from ``opinion_hooks``): read and search; steps go through the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import OpinionEvent, OpinionFeedback, OpinionInstruction, PublicOpinion


class InstructionInline(admin.TabularInline):
    model = OpinionInstruction
    extra = 0
    fields = ("instructed_on", "leader", "level", "text", "recorded_by")
    readonly_fields = ("recorded_by",)


class FeedbackInline(admin.TabularInline):
    model = OpinionFeedback
    extra = 0
    fields = ("received_on", "department", "text", "recorded_by")
    readonly_fields = ("recorded_by",)


class EventInline(admin.TabularInline):
    model = OpinionEvent
    extra = 0
    fields = ("at", "actor", "action", "note")
    readonly_fields = fields
    can_delete = False


@admin.register(PublicOpinion)
class PublicOpinionAdmin(SimpleHistoryAdmin):
    list_display = ("submitted_on", "title", "author", "urgent", "status", "review_due", "decided_on")
    list_filter = (
        "status",
        "urgent",
        "reported_to_party_committee",
        "reported_to_government",
        "reported_to_city_cppcc",
    )
    search_fields = ("title", "situation", "suggestion", "author__name")
    date_hierarchy = "submitted_on"
    list_select_related = ("author",)
    raw_id_fields = ("author", "filed_by", "station", "activity", "source_proposal")
    # State changes go through the pages: services write the timeline and the ledger.
    readonly_fields = ("status", "decided_by", "decided_on", "review_due", "edited_by", "edited_at")
    inlines = [InstructionInline, FeedbackInline, EventInline]
