"""The consultation section of /stats/: sessions by form, outcomes and adoption, topics by stage."""

from __future__ import annotations

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone

from cppcc_portal.stats import Section, StatTable, bar_chart, pie_chart, rate, stats_section

from .enums import CHAIN_ORDER, Adoption, ChainStage, OutcomeKind
from .models import AdoptionFeedback, Inspection, Outcome, ResearchProject, Session, Topic
from .selectors import topics_with_chain


def stage_expression() -> Case:
    """``workflow.derive_stage`` as SQL over the facts ``selectors.topics_with_chain`` annotates."""
    return Case(
        When(Q(f_outcome=True, f_delivery=True, f_unanswered=False), then=Value(ChainStage.DONE.value)),
        When(Q(f_delivery=True, f_feedback=True), then=Value(ChainStage.FEEDBACK.value)),
        When(f_delivery=True, then=Value(ChainStage.SENT.value)),
        When(f_outcome=True, then=Value(ChainStage.OUTCOME.value)),
        When(f_held=True, then=Value(ChainStage.CONSULTATION.value)),
        When(f_research=True, then=Value(ChainStage.RESEARCH.value)),
        default=Value(ChainStage.TOPIC.value),
        output_field=CharField(),
    )


def topics_by_stage(year: int) -> dict[str, int]:
    rows = (
        topics_with_chain(Topic.objects.filter(plan__year=year))
        .select_related(None)
        .prefetch_related(None)
        .annotate(stage=stage_expression())
        .values("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["stage"]: row["n"] for row in rows}
    return {stage.value: counts.get(stage.value, 0) for stage in CHAIN_ORDER}


# Cached for a minute at most: a session counts as held once it starts, which no write announces.
@stats_section("consultations", "协商议政", order=20, cached=(), seconds=60)
def consultations_section(request, year: int) -> Section:
    now = timezone.now()
    held = Session.objects.filter(starts_at__year=year, starts_at__lte=now)
    by_form = list(
        held.values("form__name")
        .annotate(
            sessions=Count("id", distinct=True),
            attended=Count("invitations", filter=Q(invitations__checked_in_at__isnull=False), distinct=True),
            outsiders=Count("outsiders", distinct=True),
        )
        .order_by("-sessions", "form__name")
    )
    speeches = held.aggregate(
        speech_total=Count("speeches", distinct=True),
        speech_delivered=Count("speeches", filter=Q(speeches__delivered=True), distinct=True),
    )
    outcome_labels = dict(OutcomeKind.choices)
    outcomes = list(
        Outcome.objects.filter(created_at__year=year)
        .values("kind")
        .annotate(
            n=Count("id", distinct=True),
            sent=Count("id", filter=Q(first_sent_on__isnull=False), distinct=True),
            instructed=Count("id", filter=Q(instructions__isnull=False), distinct=True),
            completed=Count("id", filter=Q(feedback_completed_on__isnull=False), distinct=True),
        )
        .order_by("kind")
    )
    adoption = AdoptionFeedback.objects.filter(suggestion__outcome__created_at__year=year).aggregate(
        total=Count("id"), **{choice.value: Count("id", filter=Q(adoption=choice)) for choice in Adoption}
    )
    adopted = adoption[Adoption.ADOPTED] + adoption[Adoption.PARTLY]
    stages = topics_by_stage(year)
    research = ResearchProject.objects.filter(starts_on__year=year).aggregate(
        n=Count("id"), completed=Count("id", filter=Q(completed_on__isnull=False))
    )
    inspections = Inspection.objects.filter(inspected_on__year=year).count()

    form_rows = [[r["form__name"], r["sessions"], r["attended"], r["outsiders"]] for r in by_form]
    outcome_rows = [
        [outcome_labels.get(r["kind"], r["kind"]), r["n"], r["sent"], r["instructed"], r["completed"]] for r in outcomes
    ]
    adoption_rows = [[Adoption(key).label, adoption[key], rate(adoption[key], adoption["total"])] for key in Adoption]
    stage_rows = [[ChainStage(stage).label, count] for stage, count in stages.items()]
    return Section(
        figures=[
            ("协商活动", sum(r["sessions"] for r in by_form)),
            ("委员签到", sum(r["attended"] for r in by_form)),
            ("会议发言", speeches["speech_delivered"]),
            ("协商成果", sum(r["n"] for r in outcomes)),
            ("建议采纳率", rate(adopted, adoption["total"])),
            ("调研课题", f"{research['n']}（完成{research['completed']}）"),
            ("视察", inspections),
        ],
        charts=[
            ("按形式", bar_chart("协商活动（按形式）", [r[0] for r in form_rows], {"场次": [r[1] for r in form_rows]})),
            ("议题进度", pie_chart("协商议题所处环节", [(r[0], r[1]) for r in stage_rows if r[1]])),
        ],
        tables=[
            StatTable(
                "forms", "协商活动（按形式）", ["协商形式", "场次", "委员签到", "界外人士"], form_rows, [24, 8, 10, 10]
            ),
            StatTable(
                "outcomes",
                "协商成果",
                ["成果形式", "件数", "已报送", "获批示", "反馈办结"],
                outcome_rows,
                [16, 8, 8, 8, 10],
            ),
            StatTable("adoption", "建议采纳情况（部门反馈）", ["采纳情况", "条数", "占比"], adoption_rows, [16, 8, 10]),
            StatTable("stages", "年度协商议题所处环节", ["环节", "议题数"], stage_rows, [16, 10]),
        ],
    )
