"""Proposals' part of ``manage.py seed_scale``: a district's proposal history and 社情民意.

Every state appears. Most proposals of the last three sessions are still in
handling, with assignments made over the past two years, so many handling
clocks are overdue by months; older sessions are mostly closed. Rows go in with
``bulk_create``: no services, signals, history or notices (see ``cppcc_portal.scale``).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max

from cppcc_portal.hooks import register
from cppcc_portal.scale import SCALE_MARK, Scale
from members.models import Member, Organization, PlenarySession, User

from .enums import (
    AssignmentKind,
    AssignmentState,
    Period,
    ProposalState,
    ProposerKind,
    Satisfaction,
    SignerRole,
    SignerStatus,
)
from .models import (
    Assignment,
    Evaluation,
    Proposal,
    ProposalCategory,
    ProposalNumberCounter,
    ProposalSettings,
    PublicOpinion,
    Signer,
)

TOPICS = [
    "加强中小学课后服务",
    "完善社区养老服务体系",
    "推进老旧小区加装电梯",
    "优化营商环境",
    "加快农村人居环境整治",
    "规范校外培训机构",
    "提升基层医疗服务能力",
    "完善垃圾分类收运体系",
    "缓解学校周边交通拥堵",
    "推动非遗保护传承",
    "加强食品安全监管",
    "发展都市型现代农业",
    "推进智慧城市建设",
    "改善河道水质",
    "加强公共文化设施建设",
    "完善停车设施规划",
    "促进高校毕业生就业",
    "加强未成年人心理健康教育",
    "推动中小企业数字化转型",
    "提升背街小巷环境",
]
BACKGROUND = (
    "近年来，我区在该领域做了大量工作，取得一定成效，但仍存在统筹不够、投入不足、机制不顺等问题，群众反映较多。"
)
SUGGESTIONS = "一是加强统筹协调，明确责任分工；二是加大资金投入，完善保障机制；三是强化督促检查，确保各项措施落到实处。"

# 社情民意 states (stored values of ``PublicOpinion.status``).
SUBMITTED, ADOPTED, NOT_ADOPTED = "submitted", "adopted", "not_adopted"

RECENT = [  # the last three sessions: most still in handling
    (ProposalState.HANDLING, 66),
    (ProposalState.REPLIED, 10),
    (ProposalState.CLOSED, 6),
    (ProposalState.REGISTERED, 3),
    (ProposalState.SUBMITTED, 4),
    (ProposalState.DRAFT, 3),
    (ProposalState.RETURNED, 2),
    (ProposalState.WITHDRAWN, 2),
    (ProposalState.NOT_REGISTERED, 2),
    (ProposalState.MERGED, 2),
]
OLDER = [
    (ProposalState.CLOSED, 82),
    (ProposalState.NOT_REGISTERED, 6),
    (ProposalState.MERGED, 4),
    (ProposalState.WITHDRAWN, 3),
    (ProposalState.REPLIED, 3),
    (ProposalState.HANDLING, 2),
]
NUMBERED = {
    ProposalState.REGISTERED,
    ProposalState.HANDLING,
    ProposalState.REPLIED,
    ProposalState.CLOSED,
}


def _pick(rng, weighted):
    states, weights = zip(*weighted, strict=True)
    return rng.choices(states, weights=weights)[0]


def scale_seeded() -> bool:
    return Proposal.objects.filter(title__endswith=f"（{SCALE_MARK}）").exists()


def seed_proposals(scale: Scale) -> None:
    rng = scale.rng
    if scale.proposals <= 0:
        return
    sessions = list(PlenarySession.objects.select_related("term").order_by("-year", "-number"))
    recent, older = sessions[:3], sessions[3:] or sessions[:3]
    categories = list(ProposalCategory.objects.values_list("pk", flat=True))
    members = list(Member.objects.filter(status="active").values_list("pk", flat=True))
    filer = User.objects.filter(is_staff=True).order_by("pk").first() or User.objects.order_by("pk").first()
    settings_ = ProposalSettings.get()
    last_pk = Proposal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    proposer_orgs = {
        kind: Organization.objects.get_or_create(name=name, defaults={"kind": org_kind, "order": 300})[0]
        for kind, name, org_kind in (
            (ProposerKind.SECTOR, "经济界", "sector"),
            (ProposerKind.ORGANIZATION, "民盟区委", "party"),
        )
    }
    last_sequence = {
        s.pk: max(
            Proposal.objects.filter(session=s).aggregate(top=Max("sequence"))["top"] or 0,
            ProposalNumberCounter.objects.filter(session=s).values_list("last_number", flat=True).first() or 0,
        )
        for s in sessions
    }

    def rows():
        for n in range(scale.proposals):
            is_recent = rng.random() < 0.6
            session = rng.choice(recent if is_recent else older)
            state = _pick(rng, RECENT if is_recent else OLDER)
            interim = rng.random() < 0.1
            filed = session.opens_on + timedelta(days=rng.randrange(30, 330) if interim else rng.randrange(-10, 4))
            filed = min(filed, scale.today - timedelta(days=rng.randrange(1, 30)))
            kind = rng.choices(
                [ProposerKind.INDIVIDUAL, ProposerKind.JOINT, ProposerKind.SECTOR, ProposerKind.ORGANIZATION],
                weights=[55, 20, 15, 10],
            )[0]
            submitted = state not in (ProposalState.DRAFT,) and not (
                state == ProposalState.WITHDRAWN and rng.random() < 0.5
            )
            sequence = number = None
            if state in NUMBERED:
                last_sequence[session.pk] += 1
                sequence = last_sequence[session.pk]
                number = settings_.format_number(session=session, seq=sequence)
            created = scale.aware(filed, 8 + n % 10)
            topic = TOPICS[n % len(TOPICS)]
            yield dict(
                session_id=session.pk,
                title=f"关于{topic}的建议（{SCALE_MARK}）",
                category_id=categories[n % len(categories)],
                background=BACKGROUND * 4,
                suggestions=SUGGESTIONS * 4,
                kind=kind,
                period=Period.INTERIM if interim else Period.PLENARY,
                author_id=rng.choice(members),
                proposer_org_id=proposer_orgs[kind].pk if kind in proposer_orgs else None,
                collective_name=proposer_orgs[kind].name if kind in proposer_orgs else "",
                head_confirmed_at=created if kind in proposer_orgs and submitted else None,
                filed_by_id=filer.pk,
                state=state,
                number=number or "",
                sequence=sequence,
                submitted_at=created if submitted else None,
                review_due=filed + timedelta(days=14) if submitted else None,
                reviewed_at=created + timedelta(days=7) if state not in (ProposalState.SUBMITTED,) else None,
                registered_at=created + timedelta(days=7) if state in NUMBERED else None,
                closed_at=created + timedelta(days=150) if state == ProposalState.CLOSED else None,
                return_reason="请补充具体建议。" if state == ProposalState.RETURNED else "",
                reject_note="建议内容不具体。" if state == ProposalState.NOT_REGISTERED else "",
                is_key=state in NUMBERED and rng.random() < 0.06,
                is_excellent=state == ProposalState.CLOSED and rng.random() < 0.02,
                publish_consent=state == ProposalState.CLOSED,
                created_at=created,
                updated_at=created,
            )

    scale.bulk(Proposal, rows(), scale.proposals, batch=5000)
    for session_id, last in last_sequence.items():
        if last:
            ProposalNumberCounter.objects.update_or_create(session_id=session_id, defaults={"last_number": last})
    _seed_signers(scale, members, last_pk)
    _seed_assignments(scale, filer, last_pk)


def _seed_signers(scale: Scale, members: list[int], last_pk: int) -> None:
    rng = scale.rng
    joint = Proposal.objects.filter(pk__gt=last_pk, kind=ProposerKind.JOINT).values_list("pk", "author_id")

    def rows():
        for pk, author in list(joint):
            for order, member in enumerate({m for m in rng.sample(members, 3) if m != author}):
                yield dict(
                    proposal_id=pk,
                    member_id=member,
                    role=SignerRole.CO_SIGNER,
                    status=SignerStatus.CONFIRMED,
                    order=order,
                )

    scale.bulk(Signer, rows(), joint.count() * 3)


def _seed_assignments(scale: Scale, staff: User, last_pk: int) -> None:
    """Assignments of every numbered proposal past 立案, with their clocks and ratings."""
    rng = scale.rng
    units = list(Organization.objects.filter(kind="handling_unit").values_list("pk", flat=True))
    proposals = (
        Proposal.objects.filter(
            pk__gt=last_pk,
            state__in=[ProposalState.HANDLING, ProposalState.REPLIED, ProposalState.CLOSED],
        )
        .order_by("pk")
        .values_list("pk", "state", "registered_at")
    )

    def rows():
        for pk, state, registered_at in list(proposals):
            registered = registered_at.date()
            assigned = min(registered + timedelta(days=rng.randrange(3, 60)), scale.today - timedelta(days=1))
            lead, co = rng.sample(units, 2)
            common = {
                "proposal_id": pk,
                "assigned_on": assigned,
                "assigned_by_id": staff.pk,
                "accept_due": assigned + timedelta(days=7),
                "handling_due": assigned + timedelta(days=91),
            }
            accepted = scale.aware(assigned + timedelta(days=2))
            if state == ProposalState.HANDLING:
                lead_state = rng.choices(
                    [
                        AssignmentState.ACCEPTED,
                        AssignmentState.PENDING_ACCEPT,
                        AssignmentState.REASSIGN_REQUESTED,
                        AssignmentState.RE_HANDLING,
                    ],
                    weights=[80, 10, 3, 7],
                )[0]
                yield dict(
                    unit_id=lead,
                    kind=AssignmentKind.LEAD,
                    state=lead_state,
                    accepted_at=None if lead_state == AssignmentState.PENDING_ACCEPT else accepted,
                    reassign_reason="不属于本单位职责。" if lead_state == AssignmentState.REASSIGN_REQUESTED else "",
                    rehandling_due=assigned + timedelta(days=150)
                    if lead_state == AssignmentState.RE_HANDLING
                    else None,
                    round=2 if lead_state == AssignmentState.RE_HANDLING else 1,
                    **common,
                )
                if rng.random() < 0.25:
                    yield dict(
                        unit_id=co,
                        kind=AssignmentKind.CO,
                        state=AssignmentState.ACCEPTED,
                        accepted_at=accepted,
                        views_due=assigned + timedelta(days=30),
                        **common,
                    )
                continue
            replied = min(assigned + timedelta(days=rng.randrange(30, 120)), scale.today - timedelta(days=1))
            reply_class = rng.choices("ABC", weights=[55, 35, 10])[0]
            closed = state == ProposalState.CLOSED
            yield dict(
                unit_id=lead,
                kind=AssignmentKind.LEAD,
                state=AssignmentState.DONE if closed else AssignmentState.REPLIED,
                accepted_at=accepted,
                reply_class=reply_class,
                reply_text="经研究，现答复如下：" + SUGGESTIONS,
                publishable=True,
                replied_at=scale.aware(replied),
                evaluation_due=replied + timedelta(days=21),
                followup_due=replied + timedelta(days=91) if reply_class == "B" and not closed else None,
                unevaluated=closed and rng.random() < 0.05,
                **common,
            )

    last_assignment = Assignment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    scale.bulk(Assignment, rows(), proposals.count() * 5 // 4)
    rated = Assignment.objects.filter(
        pk__gt=last_assignment, state=AssignmentState.DONE, unevaluated=False
    ).values_list("pk", "proposal__author_id", "replied_at")
    satisfaction = [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.DISSATISFIED]

    def evaluations():
        for pk, author, replied_at in list(rated):
            yield dict(
                assignment_id=pk,
                member_id=author,
                role="first",
                attitude=rng.choices(satisfaction, weights=[88, 11, 1])[0],
                satisfaction=rng.choices(satisfaction, weights=[80, 17, 3])[0],
                met_in_person=rng.random() < 0.7,
                created_at=replied_at + timedelta(days=10),
            )

    scale.bulk(Evaluation, evaluations(), rated.count())


def seed_opinions(scale: Scale) -> None:
    """A few hundred 社情民意 over two years: about a third adopted, some waiting for review."""
    rng = scale.rng
    members = list(Member.objects.filter(status="active").values_list("pk", flat=True))
    filer = User.objects.filter(is_staff=True).order_by("pk").first() or User.objects.order_by("pk").first()

    def rows():
        for n in range(scale.opinions):
            submitted = scale.today - timedelta(days=rng.randrange(0, 730))
            status = rng.choices([SUBMITTED, ADOPTED, NOT_ADOPTED], weights=[15, 35, 50])[0]
            decided = status != SUBMITTED
            created = scale.aware(submitted)
            yield dict(
                title=f"关于{TOPICS[n % len(TOPICS)]}的反映（{SCALE_MARK}）",
                situation=BACKGROUND * 3,
                suggestion=SUGGESTIONS * 2,
                urgent=rng.random() < 0.05,
                author_id=rng.choice(members),
                filed_by_id=filer.pk,
                status=status,
                submitted_on=submitted,
                review_due=submitted + timedelta(days=14),
                decided_on=min(submitted + timedelta(days=10), scale.today) if decided else None,
                decided_by_id=filer.pk if decided else None,
                decision_reason="内容与已报送信息重复。" if status == NOT_ADOPTED else "",
                reported_to_government=status == ADOPTED,
                reported_on=min(submitted + timedelta(days=12), scale.today) if status == ADOPTED else None,
                created_at=created,
                updated_at=created,
            )

    scale.bulk(PublicOpinion, rows(), scale.opinions)


seed_proposals.seed_order = 30
seed_opinions.seed_order = 35
register("scale_seeders", seed_proposals)
register("scale_seeders", seed_opinions)
register("scale_seeded", scale_seeded)
