"""Admin for the performance tables (imported from ``MembersConfig.ready``)."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from cppcc_portal.adminkit import NoAddOrDeleteMixin, ReadOnlyAdmin, ReadOnlyInline, service_action

from . import reports, scoring, selection, study
from .forms import FiveOnesRequirementAdminForm
from .models import (
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
class MemberYearScoreAdmin(ReadOnlyAdmin):
    """Computed from the ledger and the rules (recompute with the action on 积分规则)."""

    list_display = ("member", "year", "total", "act_count", "computed_at")
    list_filter = ("year",)
    search_fields = ("member__name",)


@admin.register(ReadingGroup)
class ReadingGroupAdmin(SimpleHistoryAdmin):
    list_display = ("name", "is_active", "created_at")
    filter_horizontal = ("members",)


@admin.register(StudyMaterial)
class StudyMaterialAdmin(SimpleHistoryAdmin):
    list_display = ("title", "group", "published_on")
    search_fields = ("title",)


@admin.register(StudyReflection)
class StudyReflectionAdmin(NoAddOrDeleteMixin, SimpleHistoryAdmin):
    list_display = ("title", "member", "submitted_on", "is_excellent")
    list_filter = ("is_excellent",)
    search_fields = ("title", "member__name")
    readonly_fields = ("member", "material", "submitted_on", "is_excellent", "marked_by")
    actions = [
        service_action(
            "评为优秀心得",
            lambda r, actor: study.reflection_mark_excellent(actor=actor, reflection=r, excellent=True),
            "mark_excellent",
        ),
        service_action(
            "取消优秀心得",
            lambda r, actor: study.reflection_mark_excellent(actor=actor, reflection=r, excellent=False),
            "unmark_excellent",
        ),
    ]


class TrainingAttendanceInline(ReadOnlyInline):
    """Attendance is recorded on the training's page (the ledger follows it)."""

    model = TrainingAttendance
    fields = ("member", "status")
    readonly_fields = fields


@admin.register(Training)
class TrainingAdmin(SimpleHistoryAdmin):
    list_display = ("title", "held_on", "location")
    inlines = [TrainingAttendanceInline]


@admin.register(PlenaryAttendance)
class PlenaryAttendanceAdmin(ReadOnlyAdmin):
    list_display = ("session", "member", "status")
    list_filter = ("session", "status")
    search_fields = ("member__name",)


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    """Written by the member, reviewed by staff on the pages (returning one needs a note there)."""

    list_display = ("member", "year", "status", "submitted_at", "reviewed_by")
    list_filter = ("year", "status")
    search_fields = ("member__name",)
    actions = [
        service_action(
            "审核通过", lambda r, actor: reports.report_review(actor=actor, report=r, accept=True), "accept_report"
        )
    ]


class CandidateInline(ReadOnlyInline):
    model = SelectionCandidate
    fields = ("member", "channel", "committee", "sector", "reason", "status", "review_note")
    readonly_fields = fields


@admin.register(SelectionRound)
class SelectionRoundAdmin(NoAddOrDeleteMixin, SimpleHistoryAdmin):
    list_display = ("title", "year", "cap_percent", "status", "published_at")
    readonly_fields = ("year", "status", "published_at")
    inlines = [CandidateInline]
    actions = [
        service_action(
            "推进到下一阶段（推荐 → 审核 → 公布）",
            lambda r, actor: selection.round_advance(actor=actor, round_=r),
            "advance_round",
        )
    ]


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
