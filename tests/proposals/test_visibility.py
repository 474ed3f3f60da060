"""Who may open a proposal: drafts stay private even when withdrawn; a co-signer who declined has left."""

import pytest

from proposals import selectors, services

pytestmark = pytest.mark.django_db


def visible_to(user, proposal) -> bool:
    opens = user.has_perm("proposals.see_proposal", proposal)
    listed = selectors.visible_proposals(user).filter(pk=proposal.pk).exists()
    assert opens == listed, "the rule and the list page agree"
    return opens


def test_a_draft_withdrawn_before_submission_stays_private(make_proposal, demo, login):
    draft = make_proposal("member1", title="关于一个尚未成熟的想法的建议")
    services.proposal_withdraw(proposal=draft, actor=demo["member1"], version=None)
    draft.refresh_from_db()
    assert draft.state == "withdrawn"
    assert visible_to(demo["member1"], draft)
    for username in ("staff", "leader"):
        assert not visible_to(demo[username], draft)
    assert login("staff").get(draft.get_absolute_url()).status_code == 403


def test_a_proposal_withdrawn_after_submission_stays_visible_to_staff(make_proposal, demo):
    submitted = make_proposal("member1", upto="submitted")
    services.proposal_withdraw(proposal=submitted, actor=demo["member1"], version=None)
    submitted.refresh_from_db()
    assert visible_to(demo["staff"], submitted)


def test_a_co_signer_who_declined_loses_access(make_proposal, demo, login):
    draft = make_proposal("member1", co=["member2"])
    assert visible_to(demo["member2"], draft)
    services.proposal_cosign(proposal=draft, actor=demo["member2"], version=None, decision="decline")
    draft.refresh_from_db()
    assert not visible_to(demo["member2"], draft)
    assert login("member2").get(draft.get_absolute_url()).status_code == 403
