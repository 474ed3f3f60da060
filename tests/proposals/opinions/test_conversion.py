"""A proposal not registered, with the proposer's consent, becomes a 社情民意 report."""

import pytest
from django.urls import reverse

from members.enums import PerformanceAct
from members.models import Member
from members.performance.models import PerformanceRecord
from proposals import services as proposal_services
from proposals.enums import ConversionKind, Period
from proposals.models import NonRegistrationReason, Proposal, ProposalCategory, PublicOpinion
from proposals.opinions.services import opinion_create_from_proposal

pytestmark = pytest.mark.django_db


def submitted_proposal(user, title="关于规范共享单车停放的建议") -> Proposal:
    proposal = proposal_services.proposal_create(
        actor=user,
        title=title,
        category=ProposalCategory.objects.first(),
        background="共享单车乱停乱放，占用盲道。",
        suggestions="划定停放区，企业落实运维责任。",
        period=Period.INTERIM,
    )
    return proposal_services.proposal_submit(proposal=proposal, actor=user, version=None)


def reject(proposal, staff, **kwargs) -> Proposal:
    return proposal_services.proposal_reject(
        proposal=proposal, actor=staff, version=None, reason=NonRegistrationReason.objects.first(), **kwargs
    )


def test_reject_with_consent_creates_a_linked_report_in_the_members_list(login, demo):
    proposal = reject(
        submitted_proposal(demo["member2"]), demo["staff"], consent=True, conversion_kind=ConversionKind.PUBLIC_OPINION
    )
    opinion = PublicOpinion.objects.get(source_proposal=proposal)
    assert opinion.author == Member.objects.get(user__username="member2")
    assert (opinion.title, opinion.situation, opinion.suggestion) == (
        proposal.title,
        proposal.background,
        proposal.suggestions,
    )
    client = login("member2")
    assert opinion in client.get(reverse("opinions:list")).context["page"].object_list
    page = client.get(opinion.get_absolute_url()).content.decode()
    assert proposal.get_absolute_url() in page and "由提案转化" in page
    # …and the proposal's page links forward to the report.
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="converted-opinion"' in page and opinion.get_absolute_url() in page
    # Converting again (a retried request) changes nothing.
    assert opinion_create_from_proposal(proposal=proposal, actor=demo["staff"]) == opinion
    assert PublicOpinion.objects.filter(source_proposal=proposal).count() == 1
    assert (
        PerformanceRecord.objects.filter(
            act=PerformanceAct.OPINION_FILED, source_id=opinion.pk, source_type__model="publicopinion"
        ).count()
        == 1
    )


def test_reject_without_conversion_creates_no_report(login, demo):
    proposal = reject(submitted_proposal(demo["member3"], "关于另一件事的建议"), demo["staff"])
    assert not PublicOpinion.objects.filter(source_proposal=proposal).exists()
    assert 'data-testid="converted-opinion"' not in login("member3").get(proposal.get_absolute_url()).content.decode()


def test_demo_rejected_proposal_was_converted(demo):
    converted = Proposal.objects.filter(conversion_kind=ConversionKind.PUBLIC_OPINION, conversion_consent=True)
    assert converted.exists()
    assert all(PublicOpinion.objects.filter(source_proposal=p).exists() for p in converted)
