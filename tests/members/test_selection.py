"""优秀委员评选: capped recommendations, leaders excluded, review with scores, publish."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from members.models import CommitteeMembership, Member
from members.performance import selection
from members.performance.enums import CandidateStatus, RoundStatus
from members.performance.models import SelectionRound

pytestmark = pytest.mark.django_db

YEAR = 2030


@pytest.fixture
def round_(demo):
    return selection.round_create(actor=demo["staff"], year=YEAR, title="测试评选", cap_percent=Decimal(5))


def test_cap_must_be_between_5_and_10_percent(demo):
    with pytest.raises(ValidationFailed):
        selection.round_create(actor=demo["staff"], year=YEAR, title="x", cap_percent=Decimal(12))
    with pytest.raises(PermissionDeniedError):
        selection.round_create(actor=demo["leader"], year=YEAR, title="x", cap_percent=Decimal(5))


def test_recommendations_stop_at_the_cap(demo, round_):
    eligible = list(selection.eligible_members().order_by("id"))
    cap = selection.round_cap(round_)
    assert cap == len(eligible) * 5 // 100
    for member in eligible[:cap]:
        selection.candidate_recommend(
            actor=demo["staff"], round_=round_, member=member, channel="sector", sector=member.sector, reason="好"
        )
    with pytest.raises(ValidationFailed, match="上限"):
        extra = eligible[cap]
        selection.candidate_recommend(
            actor=demo["staff"], round_=round_, member=extra, channel="sector", sector=extra.sector, reason="好"
        )


def test_leaders_are_excluded(demo, round_):
    leader = demo["leader"].member
    with pytest.raises(ValidationFailed, match="主席会议成员"):
        selection.candidate_recommend(
            actor=demo["staff"], round_=round_, member=leader, channel="sector", sector=leader.sector, reason="好"
        )
    assert not selection.eligible_members().filter(position__is_leadership=True).exists()


def test_a_committee_director_recommends_only_for_their_committee(demo, round_):
    director = demo["member1"]
    membership = director.member.committee_memberships.first()
    membership.role = "director"
    membership.save()
    other = CommitteeMembership.objects.exclude(committee=membership.committee).first().committee
    candidate = demo["member2"].member
    with pytest.raises(PermissionDeniedError):
        selection.candidate_recommend(
            actor=director, round_=round_, member=candidate, channel="committee", committee=other, reason="好"
        )
    made = selection.candidate_recommend(
        actor=director,
        round_=round_,
        member=candidate,
        channel="committee",
        committee=membership.committee,
        reason="好",
    )
    assert made.recommended_by == director
    with pytest.raises(PermissionDeniedError):
        selection.candidate_recommend(
            actor=demo["member3"],
            round_=round_,
            member=candidate,
            channel="sector",
            sector=candidate.sector,
            reason="好",
        )


def test_review_then_publish_and_the_result_shows_on_the_member_page(demo, round_, client):
    staff = demo["staff"]
    member = demo["member2"].member
    candidate = selection.candidate_recommend(
        actor=staff, round_=round_, member=member, channel="sector", sector=member.sector, reason="建言质量高"
    )
    with pytest.raises(TransitionNotAllowed):
        selection.candidate_review(actor=staff, candidate=candidate, approve=True)
    selection.round_advance(actor=staff, round_=round_)
    with pytest.raises(ValidationFailed):
        selection.round_advance(actor=staff, round_=round_)  # someone is still unreviewed
    client.force_login(staff)
    page = client.get(f"/members/selection/{round_.pk}/").content.decode()
    assert member.name in page and f"{YEAR}年得分" in page
    client.post(f"/members/selection/candidates/{candidate.pk}/review/", {"approve": "1"})
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.APPROVED
    client.post(f"/members/selection/{round_.pk}/advance/")
    assert SelectionRound.objects.get(pk=round_.pk).status == RoundStatus.PUBLISHED
    client.force_login(demo["member1"])
    assert f"{YEAR}年度优秀委员" in client.get(f"/members/{member.pk}/").content.decode()


def test_demo_round_is_published_with_winners(demo):
    last = SelectionRound.objects.get(year=2025)
    assert last.status == RoundStatus.PUBLISHED
    winners = Member.objects.filter(selections__round=last, selections__status=CandidateStatus.APPROVED)
    assert winners.filter(user__username="member2").exists()
    assert not winners.filter(position__is_leadership=True).exists()
