"""``manage.py backfill_performance`` re-derives exactly the station entries the services wrote."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from liaison_stations import ledger as app_ledger
from liaison_stations import services
from liaison_stations.enums import ActivityKind, MatterStatus
from liaison_stations.ledger import ACTS
from liaison_stations.models import LivelihoodMatter, StationActivity
from members.enums import PerformanceAct as A
from members.models import Member
from members.performance.models import PerformanceRecord
from tests.members.perf_support import ledger_rows, run_backfill

pytestmark = pytest.mark.django_db


def member(username: str) -> Member:
    return Member.objects.get(user__username=username)


def ledger() -> set[tuple]:
    return ledger_rows(ACTS)


def backfill() -> str:
    return run_backfill(app_ledger)


def credited(act, source) -> list[str]:
    return sorted(
        PerformanceRecord.objects.filter(
            act=act, source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        ).values_list("member__user__username", flat=True)
    )


def activity_data(**overrides):
    data = {
        "held_on": date.today() - timedelta(days=3),
        "kind": ActivityKind.RECEPTION,
        "service_kind": "",
        "title": "回填测试接待日",
        "description": "接待群众来访",
        "citizens_reached": 12,
    }
    return {**data, **overrides}


def open_matter(station, actor, members, problem="回填测试：小区路灯损坏"):
    return services.matter_open(
        station=station,
        actor=actor,
        problem=problem,
        raised_by="居民",
        raised_on=date.today() - timedelta(days=10),
        members=members,
    )


def test_backfill_re_derives_every_station_entry(demo):
    before = ledger()
    for act in ACTS:  # the demo has activities with participants and solved 民生实事
        assert any(row[1] == act for row in before), act
    PerformanceRecord.objects.filter(act__in=ACTS).delete()
    assert not ledger()
    out = backfill()
    assert "委员联络站" in out
    assert ledger() == before
    backfill()  # again: nothing doubles, nothing moves
    assert ledger() == before
    assert PerformanceRecord.objects.filter(act__in=ACTS).count() == len(before)


def test_backfill_honours_participants_and_matter_status(login, home_station, demo):
    head = demo["member1"]
    # The head records an activity through the page, then takes member3 off the list.
    client = login("member1")
    data = {**activity_data(), "held_on": activity_data()["held_on"].isoformat()}
    client.post(
        reverse("stations:activity-new", args=[home_station.pk]),
        {**data, "participants": [member("member2").pk, member("member3").pk]},
    )
    activity = StationActivity.objects.get(title="回填测试接待日", station=home_station)
    services.activity_update(activity=activity, actor=head, data=activity_data(), participants=[member("member2")])
    # Matters: one solved (then member3 added), one still in progress, one unsolvable.
    solved = open_matter(home_station, head, [member("member2")], "回填测试：已解决")
    services.matter_transition(
        matter=solved, actor=head, target=MatterStatus.SOLVED, resolution="已修复", resolved_on=date.today()
    )
    services.matter_update_members(matter=solved, actor=head, members=[member("member2"), member("member3")])
    in_progress = open_matter(home_station, head, [member("member2")], "回填测试：办理中")
    services.matter_transition(matter=in_progress, actor=head, target=MatterStatus.IN_PROGRESS)
    unsolvable = open_matter(home_station, head, [member("member3")], "回填测试：无法解决")
    services.matter_transition(matter=unsolvable, actor=head, target=MatterStatus.UNSOLVABLE, reason="不具备条件")

    before = ledger()
    PerformanceRecord.objects.filter(act__in=ACTS).delete()  # this app's share of --rebuild
    backfill()
    assert ledger() == before
    assert credited(A.STATION_ACTIVITY, activity) == ["member2"]
    assert credited(A.LIVELIHOOD_MATTER, solved) == ["member2", "member3"]
    notes = set(
        PerformanceRecord.objects.filter(act=A.LIVELIHOOD_MATTER, source_id=solved.pk).values_list("note", flat=True)
    )
    assert notes == {f"{home_station.name}：回填测试：已解决"}  # a member added later is noted like the others
    assert credited(A.LIVELIHOOD_MATTER, in_progress) == []
    assert credited(A.LIVELIHOOD_MATTER, unsolvable) == []


def test_backfill_withdraws_what_no_record_stands_for_any_more(home_station, demo):
    """Rows changed behind the services' back (admin, shell): a plain back-fill puts the ledger right."""
    head = demo["member1"]
    activity = services.activity_create(
        station=home_station,
        actor=head,
        data=activity_data(title="后台修改测试"),
        participants=[member("member2"), member("member3")],
    )
    gone = services.activity_create(
        station=home_station, actor=head, data=activity_data(title="后台删除测试"), participants=[member("member2")]
    )
    matter = open_matter(home_station, head, [member("member2")])
    services.matter_transition(
        matter=matter, actor=head, target=MatterStatus.SOLVED, resolution="已修复", resolved_on=date.today()
    )
    activity.participants.remove(member("member3"))
    StationActivity.objects.filter(pk=gone.pk).delete()
    LivelihoodMatter.objects.filter(pk=matter.pk).update(status=MatterStatus.IN_PROGRESS)
    backfill()
    assert credited(A.STATION_ACTIVITY, activity) == ["member2"]
    assert not PerformanceRecord.objects.filter(act=A.STATION_ACTIVITY, source_id=gone.pk).exists()
    assert credited(A.LIVELIHOOD_MATTER, matter) == []
