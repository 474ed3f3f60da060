"""Demo performance data (seed_order 90, after every other app has written its ledger entries).

Scoring rules, bands and 五个一 as the DOMAIN defaults; study materials,
reflections and trainings; plenary attendance; contact duties and visits; a
published selection round for last year and an open one for this year. Ends by
recomputing every year's scores under the rules, so entries other apps wrote
before the rules existed are priced too.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.utils import timezone

from cppcc_portal.hooks import register

from ..enums import PartyKind, PerformanceAct
from ..models import Member, PlenarySession, User
from . import scoring, selectors, services
from .enums import AttendanceStatus, CandidateStatus, ReportStatus, RoundStatus
from .models import (
    AnnualReport,
    FiveOnesRequirement,
    ScoreBand,
    ScoringRule,
    SelectionRound,
    StudyMaterial,
    Training,
    Visit,
)

A = PerformanceAct
RULES = [
    # act, points, yearly cap
    (A.PROPOSAL_FILED, 0, None),
    (A.PROPOSAL_COSIGNED, 0, None),
    (A.PROPOSAL_REGISTERED, 15, None),  # 10, first proposer +5
    (A.PROPOSAL_REGISTERED_COSIGNER, 5, None),  # co-signers half
    (A.PROPOSAL_KEY, 5, None),
    (A.PROPOSAL_EXCELLENT, 10, None),
    (A.OPINION_FILED, 2, None),
    (A.OPINION_ADOPTED, 10, None),
    (A.OPINION_INSTRUCTED, 5, None),
    (A.OPINION_ADOPTED_CITY, 10, None),
    (A.OPINION_ADOPTED_NATIONAL, 20, None),
    (A.PLENARY_ATTENDED, 50, None),
    (A.PLENARY_LEAVE, 30, None),
    (A.STANDING_ATTENDED, 5, None),
    (A.STANDING_LEAVE, 3, None),
    (A.CONSULTATION_ATTENDED, 2, 10),
    (A.CONSULTATION_LEAVE, 0, None),
    (A.SPEECH, 5, None),
    (A.ONLINE_OPINION_ADOPTED, 5, None),
    (A.INSPECTION, 2, 10),
    (A.RESEARCH, 2, 10),
    (A.STATION_ACTIVITY, 2, 10),
    (A.LIVELIHOOD_MATTER, 5, 20),
    (A.STUDY_REFLECTION, 2, 10),
    (A.TRAINING, 2, 10),
]
BANDS = [("优秀", 90), ("良好", 80), ("称职", 60), ("不称职", 0)]
FIVE_ONES = [
    ("一篇学习心得", [A.STUDY_REFLECTION]),
    ("一次协商活动", [A.CONSULTATION_ATTENDED, A.SPEECH]),
    ("一次调研视察", [A.RESEARCH, A.INSPECTION]),
    ("一件提案", [A.PROPOSAL_FILED, A.PROPOSAL_REGISTERED, A.PROPOSAL_COSIGNED]),
    ("一件民生实事", [A.LIVELIHOOD_MATTER]),
]
MATERIALS = [
    (
        "学习《中国人民政治协商会议章程》",
        "政协章程是人民政协的根本遵循。请各位委员结合履职实践，重点学习总纲和委员部分。",
    ),
    (
        "关于加强和改进人民政协工作的意见",
        "深入学习新时代加强和改进人民政协工作的重要要求，提高政治把握能力、调查研究能力。",
    ),
    ("协商议政质量提升专题读本", "本读本汇集近年来区政协“请你来商量”协商活动的典型案例，供委员学习参考。"),
    ("社情民意信息撰写要点", "一事一报、情况真实、建议具体。本资料介绍社情民意信息的选题、结构与常见问题。"),
]
REFLECTION_TEXT = "通过学习，我深刻认识到人民政协作为专门协商机构的重要作用，今后将更加注重调查研究，提高建言质量，在联系群众、反映民意方面发挥更大作用。"


def _on(day: date) -> date:
    return min(day, timezone.localdate())


def seed_performance(stdout) -> None:
    rng = random.Random(90)
    staff = User.objects.get(username="staff")
    leader_user = User.objects.get(username="leader")
    start = date(2022, 1, 1)
    for act, points, cap in RULES:
        ScoringRule.objects.get_or_create(
            act=act, valid_from=start, defaults={"points": Decimal(points), "yearly_cap": cap}
        )
    for name, minimum in BANDS:
        ScoreBand.objects.get_or_create(name=name, defaults={"min_score": Decimal(minimum)})
    for order, (name, acts) in enumerate(FIVE_ONES):
        FiveOnesRequirement.objects.get_or_create(name=name, defaults={"acts": [str(a) for a in acts], "order": order})

    if not Training.objects.exists():
        members = list(Member.objects.active().order_by("id"))
        member1 = Member.objects.get(user__username="member1")
        member2 = Member.objects.get(user__username="member2")

        group = services.group_create(
            actor=staff, name="政协理论读书群", description="每月共读一本政协理论书籍。", members=members[:30]
        )
        services.group_create(
            actor=staff, name="履职能力提升读书群", description="围绕调查研究与协商议政。", members=members[20:]
        )
        materials = [
            services.material_publish(actor=staff, title=title, body=body, group=group if i % 2 == 0 else None)
            for i, (title, body) in enumerate(MATERIALS)
        ]
        StudyMaterial.objects.filter(pk=materials[0].pk).update(published_on=date(2025, 3, 1))
        StudyMaterial.objects.filter(pk=materials[1].pk).update(published_on=date(2025, 9, 1))

        # Plenary attendance: every member in office, for each session.
        for session in PlenarySession.objects.order_by("opens_on"):
            if session.opens_on > timezone.localdate():
                continue
            statuses = {}
            for member in members:
                roll = rng.random()
                status = (
                    AttendanceStatus.ATTENDED
                    if roll < 0.85
                    else AttendanceStatus.LEAVE
                    if roll < 0.95
                    else AttendanceStatus.ABSENT
                )
                statuses[member.pk] = status
            statuses[member1.pk] = statuses[member2.pk] = AttendanceStatus.ATTENDED
            services.plenary_record_attendance(actor=staff, session=session, statuses=statuses)

        # Reflections: member1 and member2 every year, a third of the others.
        writers = [member1, member2, *rng.sample(members, len(members) // 3)]
        for year in (2025, 2026):
            for index, member in enumerate(dict.fromkeys(writers)):
                material = materials[(index + year) % len(materials)]
                reflection = services.reflection_submit(
                    actor=member.user or staff,
                    member=member,
                    material=material,
                    title=f"学习《{material.title[:20]}》的体会",
                    body=REFLECTION_TEXT,
                    on=_on(date(year, 4 + index % 6, 10 + index % 15)),
                )
                if index % 4 == 1:
                    services.reflection_mark_excellent(actor=staff, reflection=reflection)

        for year, month, title in ((2025, 6, "2025年度委员履职能力培训班"), (2026, 5, "2026年度新任委员培训")):
            training = services.training_create(
                actor=staff,
                title=title,
                held_on=_on(date(year, month, 18)),
                location="区政协机关三楼会议室",
                description="专题辅导、分组讨论、交流发言。",
            )
            statuses = {
                m.pk: (AttendanceStatus.ATTENDED if rng.random() < 0.8 else AttendanceStatus.LEAVE) for m in members
            }
            statuses[member2.pk] = AttendanceStatus.ATTENDED
            services.training_record_attendance(actor=staff, training=training, statuses=statuses)

        # Contact duties and visits.
        leaders = [m for m in members if m.position and m.position.is_leadership]
        sectors = list({m.sector_id: m.sector for m in members if m.sector}.values())
        for index, sector in enumerate(sectors):
            services.leader_sector_assign(actor=staff, leader=leaders[index % len(leaders)], sector=sector)
        cpc = [m for m in members if m.party and m.party.kind == PartyKind.CPC]
        non_cpc = [m for m in members if not (m.party and m.party.kind == PartyKind.CPC)]
        for index, member in enumerate(non_cpc[:20]):
            services.cpc_contact_assign(actor=staff, cpc_member=cpc[index % len(cpc)], non_cpc_member=member)
        for index, member in enumerate(rng.sample(members, 25)):
            year = 2025 if index % 3 == 0 else 2026
            Visit.objects.create(
                member=member,
                visitor=leader_user if index % 2 else staff,
                visited_on=_on(date(year, 2 + index % 9, 5 + index)),
                content="走访委员，了解履职情况和工作生活中的困难。",
                issues="建议增加委员参加调研视察的机会。" if index % 3 else "",
            )

        # 2025: member1's report accepted; selection published. 2026: a round open for recommendations.
        if member1.user_id:
            report = services.report_save(
                actor=member1.user,
                member=member1,
                year=2025,
                summary=selectors.ledger_summary(member1, 2025),
                body="一年来，我认真履行委员职责，积极参加全体会议和各项协商活动，围绕基层治理提出提案，带领联络站开展活动。",
                submit=True,
            )
            services.report_review(actor=staff, report=report, accept=True, note="内容翔实，同意。")
        for year in sorted(scoring.ledger_years()):
            scoring.recompute_scores(year)
        last = services.round_create(actor=staff, year=2025, title="2025年度优秀政协委员评选", cap_percent=Decimal(10))
        eligible = list(selectors.eligible_members().order_by("id"))
        best = sorted(
            eligible, key=lambda m: -(m.year_scores.filter(year=2025).values_list("total", flat=True).first() or 0)
        )
        chosen = list(dict.fromkeys([member2, *best]))[: selectors.round_cap(last)]
        committees = {cm.member_id: cm.committee for m in chosen for cm in m.committee_memberships.all()}
        for index, member in enumerate(chosen):
            if index % 2 == 0 and member.pk in committees:
                services.candidate_recommend(
                    actor=staff,
                    round_=last,
                    member=member,
                    channel="committee",
                    committee=committees[member.pk],
                    reason="履职积极，成效突出。",
                )
            else:
                services.candidate_recommend(
                    actor=staff,
                    round_=last,
                    member=member,
                    channel="sector",
                    sector=member.sector,
                    reason="界别推荐：建言质量高，联系群众紧密。",
                )
        services.round_advance(actor=staff, round_=last)
        for index, candidate in enumerate(last.candidates.all()):
            services.candidate_review(
                actor=staff, candidate=candidate, approve=index < 4 or candidate.member_id == member2.pk
            )
        services.round_advance(actor=staff, round_=last)
        services.round_create(actor=staff, year=2026, title="2026年度优秀政协委员评选", cap_percent=Decimal(8))

    years = scoring.ledger_years()
    for year in years:
        scoring.recompute_scores(year)
    stdout.write(
        f"履职：计分规则 {ScoringRule.objects.count()} 条，培训 {Training.objects.count()} 次，"
        f"走访 {Visit.objects.count()} 次，已重算 {len(years)} 个年度得分，"
        f"述职 {AnnualReport.objects.filter(status=ReportStatus.ACCEPTED).count()} 份，"
        f"优秀委员 {SelectionRound.objects.filter(status=RoundStatus.PUBLISHED, candidates__status=CandidateStatus.APPROVED).count()} 人。\n"
    )


seed_performance.seed_order = 90
register("demo_seeders", seed_performance)
