from __future__ import annotations

import pytest

from members.models import Member, Organization
from proposals import services
from proposals.models import Proposal, ProposalCategory
from tests.proposals.builders import contact


@pytest.fixture
def make_proposal(demo):
    """A fresh proposal by ``username`` (optionally with co-signers), moved on to ``upto`` through the services."""

    def _make(
        username="member1", *, co=(), upto="draft", title="关于加强社区图书室建设的建议", unit="区教育局", **extra
    ):
        author = demo[username]
        p = services.proposal_create(
            actor=author,
            title=title,
            category=ProposalCategory.objects.first(),
            background="社区图书室藏书陈旧，开放时间短，居民借阅不便。",
            suggestions="一是增加购书经费；二是延长开放时间；三是与区图书馆通借通还。",
            period="plenary",
            co_signers=[Member.objects.get(user__username=c) for c in co],
            **extra,
        )
        if upto == "draft":
            return Proposal.objects.get(pk=p.pk)
        for name in co:
            services.proposal_cosign(proposal=p, actor=demo[name], version=None, decision="confirm")
        services.proposal_submit(proposal=p, actor=author, version=None)
        if upto == "submitted":
            return Proposal.objects.get(pk=p.pk)
        services.proposal_register(proposal=p, actor=demo["staff"], version=None)
        if upto == "registered":
            return Proposal.objects.get(pk=p.pk)
        services.proposal_assign(
            proposal=p, actor=demo["staff"], version=None, lead_unit=Organization.objects.get(name=unit)
        )
        if upto == "handling":
            return Proposal.objects.get(pk=p.pk)
        unit_user = demo["unit_edu"] if unit == "区教育局" else demo["unit_health"]
        services.assignment_accept(proposal=p, actor=unit_user, version=None)
        if upto == "accepted":
            return Proposal.objects.get(pk=p.pk)
        contact(p, unit_user)
        head = demo["unit_edu_head"] if unit == "区教育局" else demo["unit_health"]  # 负责人 sign off
        services.assignment_reply(
            proposal=p, actor=head, version=None, reply_class="A", reply_text="已采纳。", publishable=True
        )
        return Proposal.objects.get(pk=p.pk)

    return _make
