"""民生实事: the workflow table walked, who may move items, and the ledger on 已解决."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from liaison_stations import services
from liaison_stations.enums import MatterStatus
from liaison_stations.models import LivelihoodMatter
from liaison_stations.workflow import MATTER_TRANSITIONS
from members.enums import PerformanceAct
from members.models import Member, Organization
from members.performance.models import PerformanceRecord

pytestmark = pytest.mark.django_db


def member(username: str) -> Member:
    return Member.objects.get(user__username=username)


def open_matter(station, actor, **extra):
    return services.matter_open(
        station=station,
        actor=actor,
        problem="小区路灯损坏",
        raised_by="居民 王大爷",
        raised_on=date.today() - timedelta(days=10),
        department=Organization.objects.get(name="区城市管理委员会"),
        members=[member("member2"), member("member3")],
        **extra,
    )


def solved_ledger(matter):
    return sorted(
        PerformanceRecord.objects.filter(
            act=PerformanceAct.LIVELIHOOD_MATTER, source_id=matter.pk, source_type__model="livelihoodmatter"
        ).values_list("member__user__username", flat=True)
    )


def move_kwargs(move):
    if move.needs_resolution:
        return {"resolution": "已修复", "resolved_on": date.today()}
    if move.needs_reason:
        return {"reason": "不具备条件"}
    return {}


@pytest.mark.parametrize(
    ("start", "target"),
    [(start, move.target) for start, moves in MATTER_TRANSITIONS.items() for move in moves],
)
def test_every_move_in_the_table_works(home_station, demo, start, target):
    matter = open_matter(home_station, demo["member1"])
    path = {
        MatterStatus.ACCEPTED: [],
        MatterStatus.IN_PROGRESS: [MatterStatus.IN_PROGRESS],
        MatterStatus.UNSOLVABLE: [MatterStatus.UNSOLVABLE],
        MatterStatus.SOLVED: [MatterStatus.SOLVED],
    }[start]
    from liaison_stations.workflow import matter_move

    for step in path:
        matter = services.matter_transition(
            matter=matter, actor=demo["staff"], target=step, **move_kwargs(matter_move(matter.status, step))
        )
    move = matter_move(matter.status, target)
    matter = services.matter_transition(matter=matter, actor=demo["member1"], target=target, **move_kwargs(move))
    assert matter.status == target
    assert matter.log.count() == len(path) + 2


def test_moves_not_in_the_table_are_refused(home_station, demo):
    matter = open_matter(home_station, demo["staff"])
    matter = services.matter_transition(
        matter=matter, actor=demo["staff"], target=MatterStatus.SOLVED, resolution="已修复", resolved_on=date.today()
    )
    with pytest.raises(TransitionNotAllowed):
        services.matter_transition(matter=matter, actor=demo["staff"], target=MatterStatus.IN_PROGRESS)


def test_unknown_target_is_refused_not_a_crash(login, home_station, demo):
    matter = open_matter(home_station, demo["staff"])
    response = login("member1").post(reverse("stations:matter", args=[matter.pk]), {"target": "bogus"}, follow=True)
    assert response.status_code == 200 and "不能改为" in response.content.decode()


def test_solved_needs_resolution_and_date_unsolvable_needs_reason(home_station, demo):
    matter = open_matter(home_station, demo["staff"])
    with pytest.raises(ValidationFailed):
        services.matter_transition(matter=matter, actor=demo["staff"], target=MatterStatus.SOLVED)
    with pytest.raises(ValidationFailed):
        services.matter_transition(matter=matter, actor=demo["staff"], target=MatterStatus.UNSOLVABLE)
    with pytest.raises(ValidationFailed):
        services.matter_transition(
            matter=matter,
            actor=demo["staff"],
            target=MatterStatus.SOLVED,
            resolution="x",
            resolved_on=matter.raised_on - timedelta(days=1),
        )
    assert LivelihoodMatter.objects.get(pk=matter.pk).status == MatterStatus.ACCEPTED


def test_solved_credits_each_member_involved_once(home_station, demo):
    matter = open_matter(home_station, demo["member1"])
    services.matter_transition(matter=matter, actor=demo["member1"], target=MatterStatus.IN_PROGRESS)
    assert solved_ledger(matter) == []
    services.matter_transition(
        matter=matter, actor=demo["member1"], target=MatterStatus.SOLVED, resolution="已修复", resolved_on=date.today()
    )
    assert solved_ledger(matter) == ["member2", "member3"]
    services.matter_update_members(matter=matter, actor=demo["staff"], members=[member("member2"), member("member1")])
    assert solved_ledger(matter) == ["member1", "member2"]


def test_only_staff_and_that_stations_head_move_items(home_station, other_station, demo):
    mine = open_matter(home_station, demo["staff"])
    theirs = open_matter(other_station, demo["staff"])
    for username in ("member2", "leader"):
        with pytest.raises(PermissionDeniedError):
            services.matter_transition(matter=mine, actor=demo[username], target=MatterStatus.IN_PROGRESS)
    with pytest.raises(PermissionDeniedError):
        services.matter_transition(matter=theirs, actor=demo["member1"], target=MatterStatus.IN_PROGRESS)
    with pytest.raises(PermissionDeniedError):
        open_matter(other_station, demo["member1"])


def test_head_moves_an_item_through_the_page(login, home_station, demo):
    matter = open_matter(home_station, demo["member1"])
    client = login("member1")
    url = reverse("stations:matter", args=[matter.pk])
    assert "开始办理" in client.get(url).content.decode()
    assert client.post(url, {"target": MatterStatus.IN_PROGRESS}).status_code == 302
    response = client.post(url, {"target": MatterStatus.SOLVED, "resolution": ""}, follow=True)
    assert "办结时请填写办理结果和办结日期" in response.content.decode()
    client.post(url, {"target": MatterStatus.SOLVED, "resolution": "已修复", "resolved_on": date.today().isoformat()})
    assert LivelihoodMatter.objects.get(pk=matter.pk).status == MatterStatus.SOLVED
    # A member of the station sees it but is offered no moves and may not post one.
    page = login("member2").get(url).content.decode()
    assert "已修复" in page and "重新办理" not in page
    assert login("member2").post(url, {"target": MatterStatus.IN_PROGRESS}).status_code == 403


def test_open_matter_through_the_page_from_an_activity(login, home_station):
    activity = home_station.activities.first()
    client = login("member1")
    response = client.post(
        reverse("stations:matter-new", args=[home_station.pk]),
        {
            "problem": "公交站台缺少遮雨棚",
            "raised_by": "居民 孙先生",
            "raised_on": date.today().isoformat(),
            "department": Organization.objects.get(name="区交通运输局").pk,
            "members": [member("member2").pk],
            "activity": activity.pk,
        },
    )
    matter = LivelihoodMatter.objects.get(problem="公交站台缺少遮雨棚")
    assert response.status_code == 302 and matter.activity == activity and matter.status == MatterStatus.ACCEPTED
    assert "公交站台缺少遮雨棚" in client.get(activity.get_absolute_url()).content.decode()


def test_demo_holds_matters_in_every_status(demo):
    assert set(LivelihoodMatter.objects.values_list("status", flat=True)) == set(MatterStatus.values)


def test_matter_list_is_filtered_per_role(login, home_station, other_station, demo):
    health = Organization.objects.get(name="区卫生健康委员会")

    def problems(username, query=""):
        return {m.problem for m in login(username).get(reverse("stations:matters") + query).context["page"]}

    everything = set(LivelihoodMatter.objects.values_list("problem", flat=True))
    assert problems("staff") == everything == problems("leader")
    assert problems("unit_health") == set(
        LivelihoodMatter.objects.filter(department=health).values_list("problem", flat=True)
    )
    assert problems("member2") == set(home_station.matters.values_list("problem", flat=True))
    solved = problems("staff", "?status=solved")
    assert solved == set(LivelihoodMatter.objects.filter(status="solved").values_list("problem", flat=True))
    # The unit follows its item but cannot move it.
    matter = LivelihoodMatter.objects.filter(department=health).first()
    page = login("unit_health").get(matter.get_absolute_url()).content.decode()
    assert matter.problem in page and "开始办理" not in page
    assert login("unit_health").post(matter.get_absolute_url(), {"target": "in_progress"}).status_code == 403


def test_matter_list_queries_do_not_grow_with_rows(login, home_station, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("staff")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("stations:matters")).status_code == 200
        return len(captured)

    count()  # warm: the per-user caches (permissions, unread count) fill on the first request
    before = count()
    for _ in range(5):
        open_matter(home_station, demo["staff"])
    assert count() == before
