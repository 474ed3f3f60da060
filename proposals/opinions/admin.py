"""Admin for 社情民意 (registered from ``panels``): read and search; steps go through the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cppcc_portal.adminkit import NoAddOrDeleteMixin, ReadOnlyInline

from .models import OpinionEvent, OpinionFeedback, OpinionInstruction, PublicOpinion


class InstructionInline(ReadOnlyInline):
    """批示 count in the ledger: recorded on the report's page."""

    model = OpinionInstruction
    fields = ("instructed_on", "leader", "level", "text", "recorded_by")
    readonly_fields = fields


class FeedbackInline(ReadOnlyInline):
    model = OpinionFeedback
    fields = ("received_on", "department", "text", "recorded_by")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = OpinionEvent
    fields = ("at", "actor", "action", "note")
    readonly_fields = fields


@admin.register(PublicOpinion)
class PublicOpinionAdmin(NoAddOrDeleteMixin, SimpleHistoryAdmin):
    list_display = ("submitted_on", "title", "author", "organization", "urgent", "status", "review_due", "decided_on")
    list_filter = (
        "status",
        "urgent",
        "reported_to_party_committee",
        "reported_to_government",
        "reported_to_city_cppcc",
    )
    search_fields = ("title", "situation", "suggestion", "author__name", "organization__name")
    date_hierarchy = "submitted_on"
    list_select_related = ("author", "organization")
    # State changes go through the pages: services write the timeline and the ledger.
    readonly_fields = (
        "author",
        "organization",
        "filed_by",
        "station",
        "activity",
        "source_proposal",
        "submitted_on",
        "status",
        "decided_by",
        "decided_on",
        "review_due",
        "edited_by",
        "edited_at",
        "reported_to_party_committee",
        "reported_to_government",
        "reported_to_city_cppcc",
    )
    inlines = [InstructionInline, FeedbackInline, EventInline]
