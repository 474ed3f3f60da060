"""Consultations in the admin. Attendance, leave, speeches and anything the performance ledger
counts change on the pages or through the actions here, which call the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cppcc_portal.adminkit import NoAddOrDeleteMixin, ReadOnlyAdmin, ReadOnlyInline, service_action

from . import services
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
    OnlinePost,
    OnlineTopic,
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
    autocomplete_fields = ["topic"]
    # Lead and team are credited in the performance ledger once the project is complete.
    readonly_fields = ["lead", "team", "completed_on", "report_file"]
    inlines = [FieldVisitInline]


class InvitationInline(ReadOnlyInline):
    model = Invitation
    fields = ["member", "kind", "status", "leave_reason", "checked_in_at", "checkin_method"]
    readonly_fields = fields


class OfficialInline(admin.TabularInline):
    model = SessionOfficial
    extra = 0


class OutsiderInline(admin.TabularInline):
    model = OutsideParticipant
    extra = 0
    readonly_fields = ["checked_in_at"]


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
    # Times move the clocks and the ledger's dates (session_update does both); what was sent and
    # done is recorded by the services.
    readonly_fields = [
        "starts_at",
        "ends_at",
        "notice_due",
        "notice_sent_at",
        "materials_due",
        "materials_sent_at",
        "reminder_due",
        "minutes_due",
        "minutes_text",
        "minutes_file",
        "minutes_done_at",
        "created_by",
    ]
    inlines = [InvitationInline, OfficialInline, OutsiderInline, MaterialInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """RSVP, leave and check-in count in the ledger: they change through the services only."""

    list_display = ["session", "member", "kind", "status", "checked_in_at", "checkin_method"]
    list_filter = ["status", "kind", "checkin_method"]
    search_fields = ["member__name", "session__title"]
    actions = [
        service_action(
            "批准请假", lambda i, actor: services.leave_decide(actor=actor, invitation=i, approve=True), "approve_leave"
        ),
        service_action(
            "不批准请假",
            lambda i, actor: services.leave_decide(actor=actor, invitation=i, approve=False),
            "refuse_leave",
        ),
        service_action("代为签到", lambda i, actor: services.checkin_manual(actor=actor, invitation=i), "check_in"),
        service_action("撤销签到", lambda i, actor: services.checkin_undo(actor=actor, invitation=i), "undo_check_in"),
    ]


@admin.register(OutsideParticipant)
class OutsideParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "identity", "affiliation", "contact", "session", "checked_in_at"]
    list_filter = ["identity"]
    search_fields = ["name", "affiliation", "session__title"]
    readonly_fields = ["checked_in_at"]


@admin.register(Speech)
class SpeechAdmin(ReadOnlyAdmin):
    list_display = ["title", "member", "session", "kind", "delivered", "submitted_at"]
    list_filter = ["kind", "delivered"]
    search_fields = ["title", "member__name", "session__title"]
    actions = [
        service_action(
            "删除发言记录（同时撤回履职记录）",
            lambda speech, actor: services.speech_remove(actor=actor, speech=speech),
            "remove_speech",
        )
    ]


class SuggestionInline(admin.StackedInline):
    model = Suggestion
    extra = 0
    filter_horizontal = ["departments"]


class DeliveryInline(ReadOnlyInline):
    """The first delivery starts the departments' feedback clock (delivery_add)."""

    model = Delivery
    fields = ["body", "sent_on"]
    readonly_fields = fields


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
class AdoptionFeedbackAdmin(ReadOnlyAdmin):
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
class InspectionAdmin(NoAddOrDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "inspected_on", "place", "topic", "feedback_on"]
    list_filter = ["inspected_on"]
    search_fields = ["title", "place", "findings"]
    filter_horizontal = ["departments"]
    # Participants are credited in the ledger on the day (inspection_save); feedback is the unit's.
    readonly_fields = ["inspected_on", "participants", "feedback_text", "feedback_on"]


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
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["outcome", "body", "sent_on"]
    list_filter = ["sent_on"]
    search_fields = ["body", "outcome__title"]


@admin.register(Instruction)
class InstructionAdmin(admin.ModelAdmin):
    list_display = ["outcome", "leader_name", "level", "instructed_on"]
    list_filter = ["level", "instructed_on"]
    search_fields = ["leader_name", "text", "outcome__title"]


class OnlinePostInline(ReadOnlyInline):
    model = OnlinePost
    fk_name = "topic"
    fields = ["author_label", "text", "moderation", "adopted_at", "created_at"]
    readonly_fields = fields

    @admin.display(description="发表人")
    def author_label(self, post: OnlinePost) -> str:
        return post.author


@admin.register(OnlineTopic)
class OnlineTopicAdmin(NoAddOrDeleteMixin, SimpleHistoryAdmin):
    """Topics open and close on the pages (invitations are told, the 意见汇总 is compiled there)."""

    list_display = ["title", "opens_at", "closes_at", "is_public", "closed_at"]
    list_filter = ["is_public"]
    search_fields = ["title"]
    readonly_fields = ["members", "opens_at", "closes_at", "closed_at", "closed_by", "outcome", "created_by"]
    inlines = [OnlinePostInline]


@admin.register(OnlinePost)
class OnlinePostAdmin(ReadOnlyAdmin):
    """Moderation and adoption change through the services (adoption credits the member)."""

    list_display = ["topic", "author", "moderation", "adopted_at", "created_at", "client_address"]
    list_filter = ["moderation"]
    search_fields = ["text", "public_name", "member__name", "topic__title"]
    actions = [
        service_action(
            "审核通过",
            lambda p, actor: services.online_post_moderate(actor=actor, post=p, decision="approved"),
            "approve_comment",
        ),
        service_action(
            "审核不通过",
            lambda p, actor: services.online_post_moderate(actor=actor, post=p, decision="rejected"),
            "reject_comment",
        ),
        service_action("标记采纳", lambda p, actor: services.online_post_adopt(actor=actor, post=p), "adopt"),
    ]
