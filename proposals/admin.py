"""Proposals in the admin: read and search; every state change is an action that calls a service.

The timeline (``ProposalEvent``) and the ratings (``Evaluation``) are read-only for everyone.
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import Exists, OuterRef
from django.utils.html import format_html
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from cppcc_portal.adminkit import (
    ADMIN_NOTE,
    CachedResultsMixin,
    NoAddOrDeleteMixin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    service_action,
)
from members.models import Organization

from . import services
from .list_count import CountedPaginator
from .models import (
    Assignment,
    Attachment,
    ContactRecord,
    Evaluation,
    ExtensionRequest,
    KeyCandidate,
    KeySelection,
    LeadingOfficial,
    NonRegistrationReason,
    Proposal,
    ProposalCategory,
    ProposalEvent,
    ProposalNumberCounter,
    ProposalSettings,
    Signer,
    SupervisionActivity,
)


class SignerInline(ReadOnlyInline):
    model = Signer
    fields = ("member", "role", "status", "invited_at", "answered_at")
    readonly_fields = fields


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ("unit", "kind", "state", "assigned_on", "accept_due", "handling_due", "reply_class", "replied_at")
    readonly_fields = fields
    show_change_link = True


class EventInline(ReadOnlyInline):
    model = ProposalEvent
    fields = ("created_at", "label", "actor", "from_state", "to_state", "note")
    readonly_fields = fields


# Only the wording may be corrected here; who, where it stands and what happened to it change
# through the pages or the actions below.
PROPOSAL_CONTENT_FIELDS = ("title", "category", "background", "suggestions")


class ProposerOrganizationFilter(admin.SimpleListFilter):
    title = "提案单位"
    parameter_name = "proposer_org"

    def lookups(self, request, model_admin):
        # A semi-join per organisation (a few hundred, each an index probe), not DISTINCT over 100k proposals.
        organizations = Organization.objects.filter(Exists(Proposal.objects.filter(proposer_org=OuterRef("pk"))))
        return [("none", "（委员提案）")] + list(organizations.order_by("kind", "order").values_list("pk", "name"))

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(proposer_org__isnull=True)
        if self.value():
            return queryset.filter(proposer_org_id=self.value())
        return queryset


@admin.register(Proposal)
class ProposalAdmin(CachedResultsMixin, NoAddOrDeleteMixin, SimpleHistoryAdmin):
    list_display = (
        "number",
        "title",
        "proposer_label",
        "author",
        "kind",
        "category",
        "session",
        "state",
        "is_key",
        "submitted_at",
    )
    list_select_related = ("author", "category", "session")
    list_filter = (
        "state",
        "session",
        "category",
        "kind",
        ProposerOrganizationFilter,
        "period",
        "is_key",
        "is_excellent",
        # Not date_hierarchy: its year links are a DISTINCT over every proposal's date (170 ms at 100k
        # proposals) on each visit; these links cost no query, and 会次 already selects a year.
        ("created_at", admin.DateFieldListFilter),
    )
    show_full_result_count = False  # the pager's count is enough; the second COUNT(*) cost 20 ms
    paginator = CountedPaginator  # and that one is cached while no proposal, unit or name changes
    # Each row renders 12 cells through the admin's per-cell machinery (~1 ms a row here): 50 rows a page,
    # not 100, keep the changelist within the page budget. Search and the filters find a proposal.
    list_per_page = 50
    search_fields = ("number", "title", "author__name", "collective_name")
    inlines = [SignerInline, AssignmentInline, EventInline]
    actions = [
        service_action(
            "立案（按会次自动编号）",
            lambda p, actor: services.proposal_register(proposal=p, actor=actor, version=None, note=ADMIN_NOTE),
            "register",
        ),
        service_action(
            "评为优秀提案",
            lambda p, actor: services.proposal_mark_excellent(
                proposal=p, actor=actor, version=None, is_excellent=True, note=ADMIN_NOTE
            ),
            "mark_excellent",
        ),
        service_action(
            "取消优秀提案",
            lambda p, actor: services.proposal_mark_excellent(
                proposal=p, actor=actor, version=None, is_excellent=False, note=ADMIN_NOTE
            ),
            "unmark_excellent",
        ),
        service_action(
            "办结",
            lambda p, actor: services.proposal_close(proposal=p, actor=actor, version=None, note=ADMIN_NOTE),
            "close",
        ),
    ]

    def action_checkbox(self, obj):
        """Django's own box, written directly: rendering a CheckboxInput through the form renderer's
        template cost about 1 ms a row, most of a row's time."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Proposal._meta.concrete_fields if f.name not in PROPOSAL_CONTENT_FIELDS] + [
            "suggested_units"
        ]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    """A unit's part: its unit, reply and publication are the unit's and staff's to set on the pages."""

    list_display = ("proposal", "unit", "kind", "state", "accept_due", "handling_due", "reply_class", "replied_at")
    list_filter = ("state", "kind", "reply_class", "unit")
    search_fields = ("proposal__title", "proposal__number", "unit__name")


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
    list_display = (
        "__str__",
        "number_format",
        "interim_number_format",
        "members_see_registered",
        "max_handling_months",
        "key_share_min",
        "key_share_max",
    )

    def has_add_permission(self, request):
        return not ProposalSettings.objects.exists()


@admin.register(ProposalNumberCounter)
class ProposalNumberCounterAdmin(ReadOnlyAdmin):
    list_display = ("session", "period", "last_number")


@admin.register(ProposalEvent)
class ProposalEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "proposal", "label", "actor", "from_state", "to_state")
    list_filter = ("action",)
    search_fields = ("proposal__title", "proposal__number", "note")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "months", "state", "requested_at", "decided_at")
    list_filter = ("state",)


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "member", "role", "round", "attitude", "satisfaction", "met_in_person", "created_at")
    list_filter = ("role", "attitude", "satisfaction", "met_in_person")


@admin.register(ContactRecord)
class ContactRecordAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "on", "method")


@admin.register(SupervisionActivity)
class SupervisionActivityAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "kind", "on", "attendees", "recorded_by")
    list_filter = ("kind",)


class KeyCandidateInline(ReadOnlyInline):
    model = KeyCandidate
    fields = ("proposal", "reason", "nominated_by", "nominated_at", "chosen")
    readonly_fields = fields


@admin.register(KeySelection)
class KeySelectionAdmin(ReadOnlyAdmin):
    """重点提案遴选: nominated and decided on the pages (/proposals/key/), read here."""

    list_display = ("title", "session", "state", "meeting_on", "decided_by")
    list_filter = ("state", "session")
    inlines = [KeyCandidateInline]


@admin.register(LeadingOfficial)
class LeadingOfficialAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "post", "name")
    search_fields = ("proposal__title", "name")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "proposal", "kind", "content_type", "size", "created_at")
    list_filter = ("kind",)
