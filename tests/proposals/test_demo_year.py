"""The demo shows the year's proposal work: a 提案办理协商会 whose minutes are on its proposals' timelines,
and a co-signer's comment beside the first proposer's rating on a 征询意见表."""

from __future__ import annotations

from consultations.demo import PROPOSAL_MEETING, PROPOSAL_MEETING_PROPOSALS
from consultations.models import Session
from proposals.enums import EvaluatorRole
from proposals.models import Evaluation, Proposal, ProposalEvent
from proposals.services.consultation import CONSULTATION_MINUTES


def test_demo_proposal_meeting_has_its_minutes_on_each_linked_proposal(demo, login):
    meeting = Session.objects.get(title=PROPOSAL_MEETING)
    linked = set(meeting.proposals.values_list("title", flat=True))
    assert linked == set(PROPOSAL_MEETING_PROPOSALS) and meeting.minutes_done_at
    assert meeting.invitations.filter(member__authored_proposals__title__in=linked).exists()
    for p in Proposal.objects.filter(title__in=linked):
        assert ProposalEvent.objects.filter(proposal=p, action=CONSULTATION_MINUTES).count() == 1
        page = login("staff").get(p.get_absolute_url()).content.decode()
        assert PROPOSAL_MEETING in page and "查看会议纪要" in page


def test_demo_has_a_co_signers_comment_beside_the_rating(demo, login):
    comment = Evaluation.objects.select_related("assignment__proposal").get(role=EvaluatorRole.CO_SIGNER)
    p = comment.assignment.proposal
    assert comment.satisfaction == "" and comment.member.user.username == "member1"
    assert Evaluation.objects.filter(assignment=comment.assignment, role=EvaluatorRole.FIRST_PROPOSER).exists()
    assert "附议人意见（不计入评价）" in login("staff").get(p.get_absolute_url()).content.decode()
