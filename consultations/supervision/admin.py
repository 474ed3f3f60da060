"""Supervision in the admin: browse and search. Stages, answers, reports and feedback change only
on the pages, through the services (history and the ledger stay in step)."""

from django.contrib import admin

from cppcc_portal.adminkit import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Question,
    SupervisionItem,
    SupervisionItemEvent,
    SupervisionRecord,
    SupervisorPhoto,
    SupervisorTask,
    SupervisorTaskEvent,
)


class RecordInline(ReadOnlyInline):
    model = SupervisionRecord
    fields = readonly_fields = ["stage", "kind", "title", "organization", "happened_on"]


class ItemEventInline(ReadOnlyInline):
    model = SupervisionItemEvent
    fields = readonly_fields = ["at", "actor", "from_stage", "to_stage", "note"]


@admin.register(SupervisionItem)
class SupervisionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "form", "stage", "stage_due"]
    list_filter = ["stage", "form", "plan"]
    search_fields = ["title"]
    inlines = [RecordInline, ItemEventInline]


@admin.register(SupervisionRecord)
class SupervisionRecordAdmin(ReadOnlyAdmin):
    list_display = ["title", "item", "stage", "kind", "happened_on"]
    list_filter = ["stage", "kind"]
    search_fields = ["title", "item__title"]


@admin.register(SupervisionItemEvent)
class SupervisionItemEventAdmin(ReadOnlyAdmin):
    list_display = ["item", "from_stage", "to_stage", "actor", "at"]
    search_fields = ["item__title", "note"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["member", "organization", "session", "answer_kind", "written_due"]
    list_filter = ["answer_kind", "organization"]
    search_fields = ["text", "member__name", "organization__name"]


class TaskEventInline(ReadOnlyInline):
    model = SupervisorTaskEvent
    fields = readonly_fields = ["at", "actor", "from_status", "to_status", "note"]


@admin.register(SupervisorTask)
class SupervisorTaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "appointment", "kind", "organization", "status", "report_due", "feedback_due"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "appointment__member__name", "appointment__name"]
    inlines = [TaskEventInline]


@admin.register(SupervisorTaskEvent)
class SupervisorTaskEventAdmin(ReadOnlyAdmin):
    list_display = ["task", "from_status", "to_status", "actor", "at"]
    search_fields = ["task__title", "note"]


@admin.register(SupervisorPhoto)
class SupervisorPhotoAdmin(ReadOnlyAdmin):
    list_display = ["task", "caption", "uploaded_at"]
    search_fields = ["task__title", "caption"]
