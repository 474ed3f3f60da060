"""List and board pages do not grow in query count with rows: N more rows, then 5N, same count.

The cases come from the access table (``tests/<app>/access_rules.py``, as in
``tests/test_access.py``): every GET rule whose URL name is in ``BUILDERS`` is a
list or board page, requested as every role that may open it. Each builder adds
N rows of what its list shows; most lists grow through the app's own
``seed_scale`` seeders (proposals with assignments and ratings, members with
stations, 社情民意, station activities, consultation sessions with invitations).
``test_every_list_in_the_table_has_a_builder`` keeps the table and this file in step.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.enums import Moderation, OutcomeKind
from consultations.models import (
    ConsultationForm,
    Inspection,
    OnlinePost,
    OnlineTopic,
    Outcome,
    ResearchProject,
    Session,
    Suggestion,
    SupervisionForm,
    SupervisionPlan,
    SupervisorAppointment,
)
from consultations.supervision.enums import Stage, TaskKind, TaskStatus
from consultations.supervision.models import Question, SupervisionItem, SupervisorTask
from cppcc_portal.hooks import get_hooks
from cppcc_portal.models import Notification
from cppcc_portal.scale import Scale
from liaison_stations.enums import MatterStatus
from liaison_stations.models import LivelihoodMatter, Station, StationType
from members.enums import PerformanceAct
from members.models import (
    ActivityGroup,
    ActivityGroupMembership,
    Committee,
    CommitteeMembership,
    Member,
    Organization,
    PlenarySession,
    Position,
    Sector,
    User,
)
from members.performance.enums import CandidateStatus, RecommendChannel, ReportStatus, RoundStatus
from members.performance.models import (
    AnnualReport,
    CpcContactDuty,
    LeaderSectorDuty,
    ReadingGroup,
    ScoringRule,
    SelectionCandidate,
    SelectionRound,
    StudyMaterial,
    StudyReflection,
    Training,
    Visit,
)
from members.performance.selectors import record_years
from proposals.enums import KeySelectionState, ProposalState
from proposals.models import (
    IssueDelivery,
    KeyCandidate,
    KeySelection,
    LeadingOfficial,
    MicroSuggestion,
    OpinionIssue,
    Proposal,
    PublicOpinion,
)
from proposals.opinions.enums import MicroStatus
from tests.access import ROLES, Rule
from tests.test_access import RULES

N = 12


def grow_history(n: int) -> None:
    """n more proposals (in every state, with assignments), members, reports, activities, sessions."""
    scale = Scale(proposals=n * 4, members=n, ledger=0)
    scale.consultations = scale.activities = scale.opinions = n
    for seeder in sorted(get_hooks("scale_seeders"), key=lambda fn: getattr(fn, "seed_order", 100)):
        seeder(scale)


def grow_notifications(n: int) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="test", subject=f"通知{k}", body="正文" * 50, link="/")
        for user in User.objects.all()
        for k in range(n)
    )
    grow_history(n)


def grow_trainings(n: int) -> None:
    Training.objects.bulk_create(Training(title=f"培训{k}", held_on=date(2026, 1 + k % 12, 1)) for k in range(n))


def _new_members(n: int) -> list[Member]:
    """n more members (with the rest of a district's history around them), newest first."""
    grow_history(n)
    return list(Member.objects.active().select_related("sector").order_by("-pk")[:n])


def _units() -> list[Organization]:
    return list(Organization.objects.filter(users__isnull=False).distinct().order_by("pk"))


def grow_reports(n: int) -> None:
    year, statuses = record_years()[0], ReportStatus.values
    grow_history(n)
    members = Member.objects.active().exclude(annual_reports__year=year)[:n]
    AnnualReport.objects.bulk_create(
        AnnualReport(member=m, year=year, status=statuses[k % len(statuses)], body="述职" * 100)
        for k, m in enumerate(members)
    )


def grow_reflections(n: int) -> None:
    material = StudyMaterial.objects.create(title="学习资料", body="正文", published_on=date(2026, 3, 1))
    members = [Member.objects.get(user__username="member1"), *_new_members(n)]
    StudyReflection.objects.bulk_create(
        StudyReflection(
            member=members[k % len(members)], material=material, title=f"心得{k}", body="体会" * 100,
            submitted_on=date(2026, 4, 1), is_excellent=k % 3 == 0,
        )
        for k in range(2 * n)
    )  # fmt: skip


def grow_study(n: int) -> None:
    StudyMaterial.objects.bulk_create(
        StudyMaterial(title=f"学习资料{k}", body="正文" * 100, published_on=date(2026, 1 + k % 12, 1)) for k in range(n)
    )
    first = ReadingGroup.objects.count()
    ReadingGroup.objects.bulk_create(ReadingGroup(name=f"读书小组{first + k}") for k in range(n))


def grow_scoring(n: int) -> None:
    first = ScoringRule.objects.count()
    acts = PerformanceAct.values
    ScoringRule.objects.bulk_create(
        ScoringRule(act=acts[k % len(acts)], points=1, valid_from=date(1990 - first - k, 1, 1),
                    valid_to=date(1990 - first - k, 12, 31))
        for k in range(n)
    )  # fmt: skip


def grow_selection(n: int) -> None:
    first = (SelectionRound.objects.order_by("year").values_list("year", flat=True).first() or 2026) - 1
    rounds = SelectionRound.objects.bulk_create(
        SelectionRound(year=first - k, title=f"{first - k}年度优秀委员评选", status=RoundStatus.PUBLISHED)
        for k in range(n)
    )
    staff = User.objects.get(username="staff")
    candidates = list(Member.objects.exclude(sector=None)[:3])
    SelectionCandidate.objects.bulk_create(
        SelectionCandidate(
            round=round_, member=member, channel=RecommendChannel.SECTOR, sector=member.sector, reason="履职突出",
            recommended_by=staff, status=CandidateStatus.APPROVED,
        )
        for round_ in rounds
        for member in candidates
    )  # fmt: skip


def grow_key_selections(n: int) -> None:
    """n more decided rounds, each with candidates (the demo's proposals, some chosen, with leaders)."""
    grow_history(n)
    staff = User.objects.get(username="staff")
    sessions = list(PlenarySession.objects.order_by("pk"))
    rounds = KeySelection.objects.bulk_create(
        KeySelection(session=sessions[k % len(sessions)], title=f"遴选{k}", state=KeySelectionState.DECIDED,
                     opened_by=staff, opened_at=timezone.now(), decided_by=staff, meeting_on=date(2026, 3, 1))
        for k in range(n)
    )  # fmt: skip
    _candidates(rounds, list(Proposal.objects.filter(state=ProposalState.HANDLING).order_by("-pk")[:3]), staff)


def _candidates(rounds, proposals, staff) -> None:
    KeyCandidate.objects.bulk_create(
        KeyCandidate(selection=r, proposal=p, nominated_by=staff, nominated_at=timezone.now(), chosen=k % 2 == 0)
        for r in rounds
        for k, p in enumerate(proposals)
    )
    LeadingOfficial.objects.bulk_create(LeadingOfficial(proposal=p, name="王建国", post="副区长") for p in proposals)


def grow_key_candidates(n: int) -> None:
    """n more candidates of the demo's round: key proposals with units, 督办 and 领办 leaders."""
    grow_history(n)
    selection = KeySelection.objects.get(title__endswith="重点提案遴选")
    taken = selection.candidates.values("proposal_id")
    more = list(Proposal.objects.filter(state=ProposalState.HANDLING).exclude(pk__in=taken).order_by("-pk")[:n])
    Proposal.objects.filter(pk__in=[p.pk for p in more]).update(
        is_key=True, key_leader=User.objects.get(username="leader")
    )
    _candidates([selection], more, User.objects.get(username="staff"))


def grow_contacts(n: int) -> None:
    members = _new_members(2 * n)
    CpcContactDuty.objects.bulk_create(
        CpcContactDuty(cpc_member=a, non_cpc_member=b) for a, b in zip(members[:n], members[n:], strict=True)
    )
    leader = Member.objects.get(user__username="leader")
    LeaderSectorDuty.objects.bulk_create(
        LeaderSectorDuty(leader=m, sector=sector)
        for m in [leader, *members[:n]]
        for sector in Sector.objects.exclude(leader_duties__leader=m)[:2]
    )


def grow_visits(n: int) -> None:
    staff = User.objects.get(username="staff")
    Visit.objects.bulk_create(
        Visit(member=m, visitor=staff, visited_on=date(record_years()[0], 1 + k % 12, 5), content="走访" * 50)
        for k, m in enumerate(_new_members(n))
    )


def grow_matters(n: int) -> None:
    stations, units, statuses = list(Station.objects.all()), _units(), MatterStatus.values

    def matter(k: int) -> LivelihoodMatter:
        status = statuses[k % len(statuses)]
        return LivelihoodMatter(
            station=stations[k % len(stations)], problem="群众反映问题" * 20, raised_by="居民",
            raised_on=date(2026, 1 + k % 12, 3), department=units[k % len(units)], status=status,
            unsolvable_reason="条件不具备" if status == MatterStatus.UNSOLVABLE else "",
            resolution="已办结" if status == MatterStatus.SOLVED else "",
            resolved_on=date(2026, 11, 1) if status == MatterStatus.SOLVED else None,
        )  # fmt: skip

    matters = LivelihoodMatter.objects.bulk_create(matter(k) for k in range(n))
    members = list(Member.objects.order_by("pk")[:5])
    through = LivelihoodMatter.members.through
    through.objects.bulk_create(
        through(livelihoodmatter_id=matter.pk, member_id=members[k % len(members)].pk)
        for k, matter in enumerate(matters)
    )


def grow_outcomes(n: int) -> None:
    units, kinds = _units(), OutcomeKind.values
    outcomes = Outcome.objects.bulk_create(
        Outcome(kind=kinds[k % len(kinds)], title=f"协商成果{k}", summary="摘要" * 50) for k in range(n)
    )
    suggestions = Suggestion.objects.bulk_create(
        Suggestion(outcome=outcome, number=j + 1, text="建议" * 20) for outcome in outcomes for j in range(2)
    )
    through = Suggestion.departments.through
    through.objects.bulk_create(
        through(suggestion_id=s.pk, organization_id=units[k % len(units)].pk) for k, s in enumerate(suggestions)
    )


def grow_research(n: int) -> None:
    members = _new_members(n)
    projects = ResearchProject.objects.bulk_create(
        ResearchProject(title=f"调研课题{k}", lead=m, starts_on=date(2026, 3, 1), ends_on=date(2026, 9, 30))
        for k, m in enumerate(members)
    )
    through = ResearchProject.team.through
    through.objects.bulk_create(through(researchproject_id=p.pk, member_id=m.pk) for p in projects for m in members[:3])


def grow_supervisors(n: int) -> None:
    units = _units()
    SupervisorAppointment.objects.bulk_create(
        SupervisorAppointment(
            member=m, organization=units[k % len(units)], starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31)
        )
        for k, m in enumerate(_new_members(n))
    )


def grow_notices(n: int) -> None:
    """n more notices, each to every login (half of them read), and n more recipients of the demo notice."""
    from django.utils import timezone

    from members.notices.demo import NOTICE_TITLE
    from members.notices.models import Notice, NoticeReceipt

    office = User.objects.get(username="staff_meetings")
    first = User.objects.count()
    newcomers = User.objects.bulk_create(User(username=f"notice_reader{first + k}", name=f"读者{k}") for k in range(n))
    notices = Notice.objects.bulk_create(
        Notice(
            title=f"通知{k}", body="正文" * 50, audience="全体委员", published_by=office, published_at=timezone.now()
        )
        for k in range(n)
    )
    users = list(User.objects.all())
    demo_notice = Notice.objects.get(title=NOTICE_TITLE)
    NoticeReceipt.objects.bulk_create(
        [
            *(
                NoticeReceipt(notice=notice, recipient=user, read_at=timezone.now() if k % 2 else None)
                for notice in notices
                for k, user in enumerate(users)
            ),
            *(NoticeReceipt(notice=demo_notice, recipient=user) for user in newcomers),
        ]
    )


def grow_online_topics(n: int) -> None:
    """n more 网络议政 topics, half of them public, each with invitees and opinions."""
    now = timezone.now()
    topics = OnlineTopic.objects.bulk_create(
        OnlineTopic(
            title=f"网络议政{k}",
            background="背景" * 50,
            opens_at=now - timedelta(days=k % 5),
            closes_at=now + timedelta(days=3),
            is_public=k % 2 == 0,
        )
        for k in range(n)
    )
    members = list(Member.objects.filter(user__username__in=["member1", "member2", "leader"]))
    through = OnlineTopic.members.through
    through.objects.bulk_create(through(onlinetopic_id=t.pk, member_id=m.pk) for t in topics for m in members)
    OnlinePost.objects.bulk_create(OnlinePost(topic=t, member=members[0], text="意见" * 20) for t in topics)


def grow_online_posts(n: int) -> None:
    """n more opinions, replies and public comments (approved, pending, rejected) on every topic."""
    members = list(Member.objects.filter(user__username__in=["member1", "member2", "leader"]))
    for topic in OnlineTopic.objects.all():
        tops = OnlinePost.objects.bulk_create(
            OnlinePost(topic=topic, member=members[k % len(members)], text=f"意见{k}" * 10) for k in range(n)
        )
        OnlinePost.objects.bulk_create(
            OnlinePost(topic=topic, parent=top, member=members[(k + 1) % len(members)], text="回复" * 10)
            for k, top in enumerate(tops)
        )
        moderations = [Moderation.APPROVED, Moderation.PENDING, Moderation.REJECTED]
        OnlinePost.objects.bulk_create(
            OnlinePost(
                topic=topic,
                public_name=f"网友{k}",
                client_address="192.0.2.1",
                text="群众留言" * 10,
                moderation=moderations[k % 3],
            )
            for k in range(n)
        )


def grow_micro(n: int) -> None:
    """n more 微建议 for each demo member, to each demo unit, some from member1's station."""
    members = list(Member.objects.filter(user__username__in=["member1", "member2", "leader"]))
    units = [User.objects.get(username=name).organization for name in ("unit_edu", "unit_health")]
    station = Station.objects.filter(head__user__username="member1").first()
    MicroSuggestion.objects.bulk_create(
        MicroSuggestion(
            title=f"微建议{k}", problem="问题" * 50, suggestion="建议" * 30, member=m, filed_by=m.user,
            unit=units[k % 2], station=station if k % 3 == 0 else None, status=MicroStatus.values[k % 2],
            answered_on=date(2026, 3, 5) if k % 2 else None, submitted_on=date(2026, 3, 1),
            answer_due=date(2026, 3, 15),
        )
        for m in members
        for k in range(n)
    )  # fmt: skip


def grow_committees(n: int) -> None:
    """n more committees and activity groups, each with members."""
    members = _new_members(n)
    first = Committee.objects.count()
    committees = Committee.objects.bulk_create(Committee(name=f"专委会{first + k}", order=900 + k) for k in range(n))
    CommitteeMembership.objects.bulk_create(
        CommitteeMembership(member=m, committee=c) for c in committees for m in members[:3]
    )
    groups = ActivityGroup.objects.bulk_create(
        ActivityGroup(name=f"活动组{first + k}", committee=committees[k]) for k in range(n)
    )
    ActivityGroupMembership.objects.bulk_create(
        ActivityGroupMembership(member=m, group=g) for g in groups for m in members[:3]
    )


def grow_workspace(n: int) -> None:
    """n more members of 经济委员会 and 经济界活动组, and n joint research projects, inspections and
    sessions of 经济委员会 with 人资环委 this year."""
    economy = Committee.objects.get(name="经济委员会")
    environment = Committee.objects.get(name="人口资源环境委员会")
    group = ActivityGroup.objects.get(name="经济界活动组")
    members = _new_members(n)
    CommitteeMembership.objects.bulk_create(
        (CommitteeMembership(member=m, committee=economy) for m in members), ignore_conflicts=True
    )
    ActivityGroupMembership.objects.bulk_create(
        (ActivityGroupMembership(member=m, group=group) for m in members), ignore_conflicts=True
    )
    year = timezone.localdate().year
    projects = ResearchProject.objects.bulk_create(
        ResearchProject(title=f"联合调研{k}", lead=m, starts_on=date(year, 1, 2), ends_on=date(year, 12, 30))
        for k, m in enumerate(members)
    )
    inspections = Inspection.objects.bulk_create(
        Inspection(title=f"联合视察{k}", inspected_on=date(year, 1, 2), place="某地") for k in range(n)
    )
    form = ConsultationForm.objects.first()
    start = timezone.make_aware(datetime(year, 1, 2, 9))
    sessions = Session.objects.bulk_create(
        Session(
            title=f"联合协商{k}", form=form, starts_at=start, ends_at=start + timedelta(hours=2), venue="会议室",
            organiser=economy, notice_due=start.date(), materials_due=start.date(), reminder_due=start.date(),
            minutes_due=start.date(),
        )
        for k in range(n)
    )  # fmt: skip
    for model, rows in ((ResearchProject, projects), (Inspection, inspections), (Session, sessions)):
        through = model.committees.through
        field = f"{model._meta.model_name}_id"
        through.objects.bulk_create(
            through(**{field: row.pk, "committee_id": c.pk}) for row in rows for c in (economy, environment)
        )


def grow_map(n: int) -> None:
    """n more stations on the map (each with a town, a place and members), and more activities."""
    grow_history(n)
    station_type = StationType.objects.first()
    towns = list(Organization.objects.filter(kind="town_street"))
    first = Station.objects.count()
    Station.objects.bulk_create(
        Station(
            name=f"地图联络站{first + k}", station_type=station_type, town=towns[k % len(towns)],
            map_x=10 + k % 80, map_y=10 + (k * 7) % 80,
        )
        for k in range(n)
    )  # fmt: skip


def grow_issues(n: int) -> None:
    adopted = list(PublicOpinion.objects.filter(status="adopted").order_by("pk")[:6])
    first = OpinionIssue.objects.count()
    issues = OpinionIssue.objects.bulk_create(
        OpinionIssue(kind="regular", year=1990, number=first + k + 1, compiled_on=date(1990, 1, 1)) for k in range(n)
    )
    through = OpinionIssue.opinions.through
    through.objects.bulk_create(
        through(opinionissue_id=i.pk, publicopinion_id=o.pk) for i in issues for o in adopted[:3]
    )
    IssueDelivery.objects.bulk_create(
        IssueDelivery(issue=i, recipient=name, sent_on=date(1990, 1, 2)) for i in issues for name in ("区委", "区政府")
    )


def grow_standing(n: int) -> None:
    """n more 常委 (the invitation preview lists them)."""
    members = _new_members(n)
    Member.objects.filter(pk__in=[m.pk for m in members]).update(
        position=Position.objects.filter(is_standing_committee=True).order_by("rank").last()
    )


def grow_supervision_items(n: int) -> None:
    """n more items (at least one per stage), each supervising every demo unit."""
    units, stages = _units(), list(Stage)
    plan = SupervisionPlan.objects.order_by("-year").first()
    form = SupervisionForm.objects.order_by("pk").first()
    items = SupervisionItem.objects.bulk_create(
        SupervisionItem(
            plan=plan, form=form, title=f"监督事项{k}", stage=stages[k % len(stages)], stage_started_on=date(2026, 3, 1),
            stage_due=date(2026, 4, 1),
        )
        for k in range(max(n, len(stages)))
    )  # fmt: skip
    through = SupervisionItem.departments.through
    through.objects.bulk_create(
        through(supervisionitem_id=item.pk, organization_id=unit.pk) for item in items for unit in units
    )


def grow_questions(n: int) -> None:
    """n more questions by the demo members to the demo units, half answered."""
    units = _units()
    item = SupervisionItem.objects.filter(questions__isnull=False).first()
    session = Session.objects.filter(questions__isnull=False).first()
    members = list(Member.objects.filter(user__username__in=["member1", "member2", "leader"]))
    Question.objects.bulk_create(
        Question(
            item=item, session=session, member=members[k % len(members)], organization=units[k % len(units)],
            text=f"问题{k}" * 10, written_due=date(2026, 6, 1), answer_kind="written" if k % 2 else "",
        )
        for k in range(n)
    )  # fmt: skip


def grow_supervisor_tasks(n: int) -> None:
    """n more tasks (at least one per demo unit and status) for the demo supervisors and new ones."""
    grow_supervisors(n)
    kinds = list(TaskKind)
    pairs = [(unit, status) for unit in _units() for status in TaskStatus]
    appointments = list(SupervisorAppointment.objects.order_by("pk"))
    SupervisorTask.objects.bulk_create(
        SupervisorTask(
            appointment=appointments[k % len(appointments)], kind=kinds[k % len(kinds)], title=f"任务{k}",
            organization=pairs[k % len(pairs)][0], status=pairs[k % len(pairs)][1], assigned_on=date(2026, 3, 1),
            report_due=date(2026, 4, 1),
        )
        for k in range(max(n, len(pairs)))
    )  # fmt: skip


BUILDERS = {
    "notices:list": grow_notices,
    "notices:receipts": grow_notices,
    "opinions:micro-list": grow_micro,
    "opinions:issues": grow_issues,
    "members:committees": grow_committees,
    "members:committee": grow_workspace,
    "members:activity-group": grow_workspace,
    "stations:map": grow_map,
    "consultations:session-invite": grow_standing,
    "consultations:research-invite": grow_standing,
    "notifications": grow_notifications,
    "proposals:list": grow_history,
    "proposals:review-queue": grow_history,
    "proposals:followups": grow_history,
    "proposals:key-selections": grow_key_selections,
    "proposals:key-selection": grow_key_candidates,
    "public_proposals:list": grow_history,
    "opinions:list": grow_history,
    "members:list": grow_history,
    "members:trainings": grow_trainings,
    "members:reports": grow_reports,
    "members:reflections": grow_reflections,
    "members:five-ones": grow_history,
    "members:scoring": grow_scoring,
    "members:study": grow_study,
    "members:selection": grow_selection,
    "members:contacts": grow_contacts,
    "members:visits": grow_visits,
    # The plenary day's roll: every member in office, with the 界别 of that day and the group.
    "members:plenary-day": grow_history,
    "stations:list": grow_history,
    "stations:overview": grow_history,
    "stations:matters": grow_matters,
    "consultations:index": grow_history,
    "consultations:outcomes": grow_outcomes,
    "consultations:research-list": grow_research,
    "consultations:supervisors": grow_supervisors,
    "consultations:online-list": grow_online_topics,
    "consultations:online-topic": grow_online_posts,
    "consultations:supervision-item-list": grow_supervision_items,
    "consultations:question-list": grow_questions,
    "consultations:supervisor-task-list": grow_supervisor_tasks,
    # The workbench and the deadline board count and page their open clocks in SQL.
    "home": grow_history,
    "deadlines:board": grow_history,
}

CASES = [rule for rule in RULES if rule.method == "get" and rule.name in BUILDERS]


def count_queries(client, url: str) -> int:
    client.get(url)  # warm: per-process caches (settings rows, content types) are not per-row work
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_list_in_the_table_has_a_builder():
    names = {rule.name for rule in RULES if rule.method == "get"}
    listish = {n for n in names if n.endswith(("list", "board", "queue", "followups")) or n in BUILDERS}
    assert listish - set(BUILDERS) == set()
    assert set(BUILDERS) <= names


@pytest.mark.parametrize("rule", CASES, ids=lambda rule: f"{rule.name}{rule.query}")
def test_query_count_does_not_grow_with_rows(rule: Rule, client, demo):
    roles = [role for role in ROLES if rule.status_for(role) == 200]
    kwargs = rule.kwargs() if callable(rule.kwargs) else rule.kwargs
    url = reverse(rule.name, kwargs=kwargs) + (f"?{rule.query}" if rule.query else "")

    def counts() -> dict[str, int]:
        result = {}
        for role in roles:
            client.logout()
            if role != "anonymous":
                client.force_login(demo[role])
            result[role] = count_queries(client, url)
        return result

    BUILDERS[rule.name](N)
    at_n = counts()
    BUILDERS[rule.name](4 * N)
    at_5n = counts()
    assert at_5n == at_n, f"{url}: queries with {N} rows {at_n}, with {5 * N} rows {at_5n}"
