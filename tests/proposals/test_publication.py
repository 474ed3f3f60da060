"""Publication needs the proposer's consent and the consent of every reply."""

import pytest

from members.models import Organization
from proposals import selectors, services
from proposals.enums import ProposalState
from proposals.models import Assignment, Proposal
from tests.proposals.builders import contact

pytestmark = pytest.mark.django_db

CLOSED = "关于延长中小学体育场地课后开放时段的建议"  # demo: proposer consented, 区教育局 published its reply


def public_titles() -> set[str]:
    return set(selectors.public_proposals({}).values_list("title", flat=True))


def split_and_reply(make_proposal, demo, *, consent: bool, health_publishes: bool) -> Proposal:
    p = make_proposal("member1", upto="registered", title="关于学校食堂与校外配餐协同监管的建议")
    Proposal.objects.filter(pk=p.pk).update(publish_consent=consent)
    units = [Organization.objects.get(name="区教育局"), Organization.objects.get(name="区卫生健康委员会")]
    services.proposal_assign(proposal=p, actor=demo["staff"], version=None, split_units=units)
    for username, publishes in (("unit_edu", True), ("unit_health", health_publishes)):
        user = demo[username]
        part = Assignment.objects.get(proposal=p, unit=user.organization)
        services.assignment_accept(proposal=p, actor=user, version=None, assignment=part)
        contact(p, user, assignment=part)
        services.assignment_reply(
            proposal=p,
            actor=demo["unit_edu_head"] if username == "unit_edu" else user,
            version=None,
            assignment=part,
            reply_class="A",
            reply_text=f"{user.organization.name}的答复",
            publishable=publishes,
            withhold_reason="" if publishes else "涉及在办案件",
        )
    Proposal.objects.filter(pk=p.pk).update(state=ProposalState.CLOSED)
    return p


def test_a_reply_is_not_publishable_unless_the_unit_says_so(make_proposal, demo):
    p = make_proposal("member1", upto="registered")
    part = Assignment(proposal=p, unit=Organization.objects.get(name="区教育局"), kind="lead")
    assert part.publishable is False


def test_one_unit_withholding_keeps_the_whole_split_proposal_off_the_public_pages(make_proposal, demo, client):
    p = split_and_reply(make_proposal, demo, consent=True, health_publishes=False)
    assert p.title not in public_titles()
    assert client.get(f"/public/proposals/{p.pk}/").status_code == 404


def test_nothing_is_published_without_the_proposers_consent(make_proposal, demo, client):
    p = split_and_reply(make_proposal, demo, consent=False, health_publishes=True)
    assert p.title not in public_titles()
    assert client.get(f"/public/proposals/{p.pk}/").status_code == 404


def test_with_every_consent_the_public_page_shows_every_reply(make_proposal, demo, client):
    p = split_and_reply(make_proposal, demo, consent=True, health_publishes=True)
    page = client.get(f"/public/proposals/{p.pk}/").content.decode()
    assert "区教育局的答复" in page and "区卫生健康委员会的答复" in page
    assert CLOSED in public_titles()


def test_the_proposer_gives_consent_on_the_proposal_form(login):
    from proposals.models import ProposalCategory

    login("member1").post(
        "/proposals/new/",
        {
            "title": "关于增设社区便民服务点的建议",
            "category": ProposalCategory.objects.first().pk,
            "period": "plenary",
            "background": "便民服务点不足。",
            "suggestions": "增设服务点。",
            "publish_consent": "on",
        },
    )
    assert Proposal.objects.get(title="关于增设社区便民服务点的建议").publish_consent
