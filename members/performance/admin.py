"""Admin for the performance tables (imported from ``MembersConfig.ready``)."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from ..models import (
    AnnualReport,
    CpcContactDuty,
    FiveOnesRequirement,
    LeaderSectorDuty,
    MemberYearScore,
    PlenaryAttendance,
    ReadingGroup,
    ScoreBand,
    ScoringRule,
    SelectionCandidate,
    SelectionRound,
    StudyMaterial,
    StudyReflection,
    Training,
    TrainingAttendance,
    Visit,
)
from . import scoring
from .forms import FiveOnesRequirementAdminForm


@admin.register(ScoringRule)
class ScoringRuleAdmin(SimpleHistoryAdmin):
    list_display = ("act", "points", "yearly_cap", "valid_from", "valid_to", "note")
    list_filter = ("act",)
    actions = ["recompute_years"]

    @admin.action(description="按现行规则重算这些规则有效期内各年度的得分")
    def recompute_years(self, request, queryset):
        years = set()
        for rule in queryset:
            last = rule.valid_to.year if rule.valid_to else max(scoring.ledger_years() or [rule.valid_from.year])
            years.update(range(rule.valid_from.year, last + 1))
        for year in sorted(years):
            scoring.recompute_scores(year)
        messages.success(request, f"已重算 {len(years)} 个年度。")


@admin.register(ScoreBand)
class ScoreBandAdmin(SimpleHistoryAdmin):
    list_display = ("name", "min_score")


@admin.register(FiveOnesRequirement)
class FiveOnesRequirementAdmin(SimpleHistoryAdmin):
    form = FiveOnesRequirementAdminForm
    list_display = ("name", "minimum", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(MemberYearScore)
class MemberYearScoreAdmin(admin.ModelAdmin):
    list_display = ("member", "year", "total", "act_count", "computed_at")
    list_filter = ("year",)
    search_fields = ("member__name",)
    readonly_fields = ("member", "year", "total", "act_count", "computed_at")


@admin.register(ReadingGroup)
class ReadingGroupAdmin(SimpleHistoryAdmin):
    list_display = ("name", "is_active", "created_at")
    filter_horizontal = ("members",)


@admin.register(StudyMaterial)
class StudyMaterialAdmin(SimpleHistoryAdmin):
    list_display = ("title", "group", "published_on")
    search_fields = ("title",)


@admin.register(StudyReflection)
class StudyReflectionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "member", "submitted_on", "is_excellent")
    list_filter = ("is_excellent",)
    search_fields = ("title", "member__name")


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    extra = 0
    autocomplete_fields = ("member",)


@admin.register(Training)
class TrainingAdmin(SimpleHistoryAdmin):
    list_display = ("title", "held_on", "location")
    inlines = [TrainingAttendanceInline]


@admin.register(PlenaryAttendance)
class PlenaryAttendanceAdmin(SimpleHistoryAdmin):
    list_display = ("session", "member", "status")
    list_filter = ("session", "status")
    search_fields = ("member__name",)


@admin.register(AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):
    list_display = ("member", "year", "status", "submitted_at", "reviewed_by")
    list_filter = ("year", "status")
    search_fields = ("member__name",)


class CandidateInline(admin.TabularInline):
    model = SelectionCandidate
    extra = 0
    autocomplete_fields = ("member",)


@admin.register(SelectionRound)
class SelectionRoundAdmin(SimpleHistoryAdmin):
    list_display = ("title", "year", "cap_percent", "status", "published_at")
    inlines = [CandidateInline]


@admin.register(LeaderSectorDuty)
class LeaderSectorDutyAdmin(SimpleHistoryAdmin):
    list_display = ("sector", "leader")


@admin.register(CpcContactDuty)
class CpcContactDutyAdmin(SimpleHistoryAdmin):
    list_display = ("cpc_member", "non_cpc_member")
    search_fields = ("cpc_member__name", "non_cpc_member__name")


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ("visited_on", "member", "visitor")
    list_filter = ("visited_on",)
    search_fields = ("member__name", "content", "issues")
