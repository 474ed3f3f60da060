"""``manage.py seed_scale``: a large history on top of the demo, through bulk inserts."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from consultations.models import Session
from liaison_stations.models import StationActivity, StationMembership
from members.models import Member, PlenarySession
from members.performance.models import PerformanceRecord
from members.performance.selectors import source_models
from proposals.enums import ACTIVE_ASSIGNMENT_STATES, ProposalState
from proposals.models import Assignment, Proposal, PublicOpinion


def seed(**sizes) -> str:
    out = io.StringIO()
    args = [f"--{name}={value}" for name, value in sizes.items()]
    call_command("seed_scale", "--force", *args, stdout=out)
    return out.getvalue()


def test_seed_scale_refuses_without_debug_unless_forced(demo, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_scale", "--proposals=10", stdout=io.StringIO())
    assert not Proposal.objects.filter(title__contains="规模").exists()


def test_seed_scale_adds_a_history_in_every_state(demo):
    before = {
        "members": Member.objects.count(),
        "proposals": Proposal.objects.count(),
        "sessions": PlenarySession.objects.count(),
        "ledger": PerformanceRecord.objects.count(),
        "opinions": PublicOpinion.objects.count(),
        "activities": StationActivity.objects.count(),
        "consultations": Session.objects.count(),
    }
    output = seed(proposals=600, members=40, ledger=3000)
    assert "规模数据已生成" in output
    assert Member.objects.count() == before["members"] + 40
    assert Proposal.objects.count() == before["proposals"] + 600
    assert PlenarySession.objects.count() == before["sessions"] + 20
    assert 2500 <= PerformanceRecord.objects.count() - before["ledger"] <= 3000
    # The ledger's sources are the kinds the services record from, which the 履职档案 reads (one
    # query each): an unregistered kind would make the record page's count differ at scale.
    on_ledger = set(PerformanceRecord.objects.values_list("source_type__app_label", "source_type__model").distinct())
    registered = {(model._meta.app_label, model._meta.model_name) for model in source_models()}
    assert ("members", "plenaryattendance") in on_ledger and on_ledger <= registered
    for name in ("opinions", "activities", "consultations"):
        model = {"opinions": PublicOpinion, "activities": StationActivity, "consultations": Session}[name]
        assert model.objects.count() > before[name]
    states = set(Proposal.objects.filter(title__contains="规模").values_list("state", flat=True))
    assert states == set(ProposalState.values)
    today = timezone.localdate()
    overdue = Assignment.objects.filter(
        proposal__title__contains="规模", state__in=ACTIVE_ASSIGNMENT_STATES, handling_due__lt=today
    )
    assert overdue.count() > 200
    oldest = overdue.order_by("handling_due").first().handling_due
    assert (today - oldest).days > 365  # overdue by months, some by more than a year
    numbered = Proposal.objects.exclude(number="").filter(title__contains="规模")
    assert numbered.count() == numbered.values("number").distinct().count()
    # Every new member has a home station.
    assert not Member.objects.filter(station_membership__isnull=True).exists()
    assert StationMembership.objects.count() == Member.objects.count()


def test_seed_scale_runs_once(demo):
    seed(proposals=50, members=5, ledger=100)
    with pytest.raises(CommandError, match="已有规模数据"):
        seed(proposals=50, members=5, ledger=100)


def test_seed_scale_rejects_negative_sizes(demo):
    with pytest.raises(CommandError, match="不能为负数"):
        seed(proposals=-1)
