"""The demo looks like a year that happened: a plenary's worth of proposals handled over the
months after it, every act stamped on its own day and before the due date its clock set."""

from __future__ import annotations

import pytest
from django.utils import timezone

from liaison_stations.models import StationActivity
from members.models import PlenarySession
from proposals.enums import ProposalState
from proposals.models import Assignment, Evaluation, Proposal, ProposalEvent

pytestmark = pytest.mark.django_db


def local_day(moment):
    return timezone.localtime(moment).date()


def test_the_plenary_has_a_plausible_number_of_proposals(demo):
    session = PlenarySession.current()
    assert 120 <= Proposal.objects.filter(session=session).count() <= 200
    assert Proposal.objects.filter(session=session, state=ProposalState.CLOSED).count() >= 100


def test_the_timelines_spread_over_the_year_and_none_is_in_the_future(demo):
    stamps = list(ProposalEvent.objects.values_list("created_at", flat=True))
    assert max(stamps) <= timezone.now()
    assert len({local_day(stamp).month for stamp in stamps}) >= 6


def test_each_act_happened_before_its_due_date(demo):
    session = PlenarySession.current()
    parts = Assignment.objects.filter(proposal__session=session, replied_at__isnull=False)
    assert parts.count() >= 100
    for part in parts:
        assert part.assigned_on <= local_day(part.accepted_at) <= part.accept_due
        assert local_day(part.accepted_at) <= local_day(part.replied_at) <= part.handling_due
    for rating in Evaluation.objects.filter(assignment__in=parts).select_related("assignment"):
        assert local_day(rating.assignment.replied_at) <= local_day(rating.created_at)
        assert local_day(rating.created_at) <= rating.assignment.evaluation_due


def test_a_timeline_reads_in_order_of_the_workflow(demo):
    session = PlenarySession.current()
    proposal = Proposal.objects.filter(session=session, state=ProposalState.CLOSED).order_by("sequence").first()
    events = list(proposal.events.order_by("created_at", "id").values_list("action", "created_at"))
    actions = [action for action, _ in events]
    for earlier, later in [("submit", "register"), ("register", "assign"), ("assign", "accept"), ("accept", "reply")]:
        assert actions.index(earlier) < actions.index(later)
    days = {action: local_day(moment) for action, moment in events}
    assert days["submit"] < days["register"] < days["assign"] < days["reply"]


def test_station_activities_were_recorded_on_the_day_they_were_held(demo):
    activities = StationActivity.objects.all()
    assert activities.count() >= 12
    assert all(local_day(activity.created_at) == activity.held_on for activity in activities)


def test_most_members_and_every_handling_unit_can_sign_in(demo):
    from members.models import Member, Organization, User

    members = Member.objects.all()
    assert members.filter(user__isnull=False).count() >= 0.7 * members.count()
    assert members.filter(user__isnull=True).exists()  # some have not activated a login yet
    for unit in Organization.objects.filter(kind="handling_unit"):
        assert User.objects.filter(organization=unit, is_active=True).exists(), unit.name
    assert User.objects.get(username="wy101").check_password("demo-2026")
