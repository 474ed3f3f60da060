"""Admin for 社情民意 (registered from ``panels``): read and search; steps go through the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cppcc_portal.adminkit import NoAddOrDeleteMixin, ReadOnlyInline

from .models import (
    HigherAdoption,
    IssueDelivery,
    MicroEvent,
    MicroSuggestion,
    OpinionEvent,
    OpinionFeedback,
    OpinionInstruction,
    OpinionIssue,
    PublicOpinion,
)


class InstructionInline(ReadOnlyInline):
    """批示 count in the ledger: recorded on the report's page."""

    model = OpinionInstruction
    fields = ("instructed_on", "leader", "level", "text", "recorded_by")
    readonly_fields = fields


class FeedbackInline(ReadOnlyInline):
    model = OpinionFeedback
    fields = ("received_on", "department", "text", "recorded_by")
    readonly_fields = fields


class HigherAdoptionInline(ReadOnlyInline):
    """Adoption by the 市政协 / 全国政协 counts in the ledger: recorded on the report's page."""

    model = HigherAdoption
    fields = ("level", "adopted_on", "note", "recorded_by")
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
        "channel",
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
        "channel",
    )
    inlines = [InstructionInline, FeedbackInline, HigherAdoptionInline, EventInline]


class MicroEventInline(ReadOnlyInline):
    model = MicroEvent
    fields = ("at", "actor", "from_status", "to_status", "note")
    readonly_fields = fields


@admin.register(MicroSuggestion)
class MicroSuggestionAdmin(NoAddOrDeleteMixin, admin.ModelAdmin):
    list_display = ("submitted_on", "title", "member", "unit", "station", "status", "answer_due", "answered_on")
    list_filter = ("status", "kind", "unit")
    search_fields = ("title", "problem", "member__name", "unit__name")
    date_hierarchy = "submitted_on"
    list_select_related = ("member", "unit", "station")
    # The unit answers and staff raise on the pages: the services write the history.
    readonly_fields = (
        "member",
        "filed_by",
        "station",
        "unit",
        "status",
        "submitted_on",
        "answer_due",
        "answer",
        "answered_by",
        "answered_on",
        "opinion",
        "proposal",
    )
    inlines = [MicroEventInline]


class DeliveryInline(ReadOnlyInline):
    model = IssueDelivery
    fields = ("sent_on", "recipient", "sent_by")
    readonly_fields = fields


@admin.register(OpinionIssue)
class OpinionIssueAdmin(NoAddOrDeleteMixin, admin.ModelAdmin):
    list_display = ("__str__", "compiled_on", "status", "sent_on")
    list_filter = ("kind", "year", "status")
    readonly_fields = ("kind", "year", "number", "total_number", "status", "sent_on", "opinions", "created_by")
    inlines = [DeliveryInline]
