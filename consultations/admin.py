from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AdoptionFeedback,
    CalendarToken,
    ConsultationForm,
    ConsultationPlan,
    Delivery,
    FieldVisit,
    Inspection,
    Instruction,
    Invitation,
    Outcome,
    OutsideParticipant,
    ResearchProject,
    Session,
    SessionMaterial,
    SessionOfficial,
    Speech,
    Suggestion,
    SupervisionForm,
    SupervisionPlan,
    SupervisionTopic,
    SupervisorAppointment,
    Topic,
)


@admin.register(ConsultationForm)
class ConsultationFormAdmin(SimpleHistoryAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


@admin.register(SupervisionForm)
class SupervisionFormAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0
    fields = ["title", "form", "source", "lead_committee", "planned_quarter"]
    show_change_link = True


@admin.register(ConsultationPlan)
class ConsultationPlanAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "approved_on"]
    inlines = [TopicInline]


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "form", "source", "lead_committee", "planned_quarter"]
    list_filter = ["plan", "form", "source", "lead_committee", "planned_quarter"]
    search_fields = ["title", "description"]
    filter_horizontal = ["departments"]


class FieldVisitInline(admin.TabularInline):
    model = FieldVisit
    extra = 0


@admin.register(ResearchProject)
class ResearchProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "topic", "lead", "starts_on", "ends_on", "completed_on"]
    list_filter = ["starts_on", "completed_on"]
    search_fields = ["title", "lead__name"]
    autocomplete_fields = ["lead", "team", "topic"]
    inlines = [FieldVisitInline]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["member", "kind", "status", "leave_reason", "checked_in_at", "checkin_method"]
    autocomplete_fields = ["member"]


class OfficialInline(admin.TabularInline):
    model = SessionOfficial
    extra = 0


class OutsiderInline(admin.TabularInline):
    model = OutsideParticipant
    extra = 0


class MaterialInline(admin.TabularInline):
    model = SessionMaterial
    extra = 0
    fields = ["title", "file", "uploaded_by"]
    readonly_fields = ["uploaded_by"]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "form", "starts_at", "venue", "organiser", "is_public", "notice_due", "minutes_due"]
    list_filter = ["form", "organiser", "is_public", "starts_at"]
    search_fields = ["title", "venue"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["topic"]
    readonly_fields = ["notice_due", "materials_due", "reminder_due", "minutes_due", "created_by"]
    inlines = [InvitationInline, OfficialInline, OutsiderInline, MaterialInline]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["session", "member", "kind", "status", "checked_in_at", "checkin_method"]
    list_filter = ["status", "kind", "checkin_method"]
    search_fields = ["member__name", "session__title"]
    autocomplete_fields = ["member", "session"]


@admin.register(OutsideParticipant)
class OutsideParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "identity", "affiliation", "contact", "session", "checked_in_at"]
    list_filter = ["identity"]
    search_fields = ["name", "affiliation", "session__title"]


@admin.register(Speech)
class SpeechAdmin(SimpleHistoryAdmin):
    list_display = ["title", "member", "session", "kind", "delivered", "submitted_at"]
    list_filter = ["kind", "delivered"]
    search_fields = ["title", "member__name", "session__title"]


class SuggestionInline(admin.StackedInline):
    model = Suggestion
    extra = 0
    filter_horizontal = ["departments"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0


class InstructionInline(admin.TabularInline):
    model = Instruction
    extra = 0


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "topic", "first_sent_on", "feedback_due", "feedback_completed_on"]
    list_filter = ["kind", "first_sent_on", "feedback_completed_on"]
    search_fields = ["title", "summary"]
    readonly_fields = ["first_sent_on", "feedback_due", "feedback_completed_on"]
    inlines = [SuggestionInline, DeliveryInline, InstructionInline]


@admin.register(AdoptionFeedback)
class AdoptionFeedbackAdmin(SimpleHistoryAdmin):
    list_display = ["suggestion", "organization", "adoption", "replied_on"]
    list_filter = ["adoption", "organization"]
    search_fields = ["text", "suggestion__text"]


class SupervisionTopicInline(admin.TabularInline):
    model = SupervisionTopic
    extra = 0
    fields = ["title", "form", "lead_committee", "planned_quarter"]


@admin.register(SupervisionPlan)
class SupervisionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title"]
    inlines = [SupervisionTopicInline]


@admin.register(SupervisionTopic)
class SupervisionTopicAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "form", "lead_committee", "planned_quarter"]
    list_filter = ["plan", "form"]
    search_fields = ["title"]
    filter_horizontal = ["departments"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "inspected_on", "place", "topic", "feedback_on"]
    list_filter = ["inspected_on"]
    search_fields = ["title", "place", "findings"]
    autocomplete_fields = ["participants"]
    filter_horizontal = ["departments"]


@admin.register(SupervisorAppointment)
class SupervisorAppointmentAdmin(SimpleHistoryAdmin):
    list_display = ["member", "organization", "starts_on", "ends_on"]
    list_filter = ["organization"]
    search_fields = ["member__name", "organization__name"]
    autocomplete_fields = ["member"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__name"]
    exclude = ["token"]


# Rows usually edited inline above; registered too so staff can search across sessions and outcomes.
@admin.register(FieldVisit)
class FieldVisitAdmin(admin.ModelAdmin):
    list_display = ["visited_on", "place", "project"]
    list_filter = ["visited_on"]
    search_fields = ["place", "note", "project__title"]


@admin.register(SessionOfficial)
class SessionOfficialAdmin(admin.ModelAdmin):
    list_display = ["organization", "name", "title", "session"]
    list_filter = ["organization"]
    search_fields = ["name", "organization__name", "session__title"]


@admin.register(SessionMaterial)
class SessionMaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "uploaded_by", "uploaded_at"]
    search_fields = ["title", "session__title"]
    readonly_fields = ["uploaded_by"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["outcome", "number", "text"]
    search_fields = ["text", "outcome__title"]
    filter_horizontal = ["departments"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["outcome", "body", "sent_on"]
    list_filter = ["sent_on"]
    search_fields = ["body", "outcome__title"]


@admin.register(Instruction)
class InstructionAdmin(admin.ModelAdmin):
    list_display = ["outcome", "leader_name", "level", "instructed_on"]
    list_filter = ["level", "instructed_on"]
    search_fields = ["leader_name", "text", "outcome__title"]
