"""Numbers staff can change (lengths, ladders, limits) are read from the policy, never typed into text."""

import pytest
from django.test import Client

from cppcc_portal.deadlines import policy_for
from cppcc_portal.models import DeadlinePolicy
from proposals.actions import ACTION_PAGES
from proposals.clocks import escalation_note
from proposals.models import ProposalSettings

pytestmark = pytest.mark.django_db


def _page_text(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_assign_page_quotes_the_handling_length_in_force(demo, make_proposal):
    proposal = make_proposal(upto="registered")
    url = f"/proposals/{proposal.pk}/assign/"
    assert "默认办理期限为交办后3个月。" in _page_text(demo["staff"], url)

    policy_for("proposal.handling")
    DeadlinePolicy.objects.filter(key="proposal.handling").update(length=4)
    page = _page_text(demo["staff"], url)
    assert "默认办理期限为交办后4个月。" in page
    assert "交办后3个月" not in page


def test_extension_page_quotes_the_limit_staff_set(demo, make_proposal):
    proposal = make_proposal(upto="accepted")
    url = f"/proposals/{proposal.pk}/request-extension/"
    assert "办理期限合计不超过6个月。" in _page_text(demo["unit_edu"], url)

    settings = ProposalSettings.get()
    settings.max_handling_months = 8
    settings.save()
    assert "办理期限合计不超过8个月。" in _page_text(demo["unit_edu"], url)


def test_rehandle_text_follows_the_rehandling_policy_and_its_unit(demo):
    assert ACTION_PAGES["rehandle"].intro_text == "承办单位将在1个月内重新办理并再次答复。"
    policy_for("proposal.rehandling")
    DeadlinePolicy.objects.filter(key="proposal.rehandling").update(length=20, unit="working_days")
    assert ACTION_PAGES["rehandle"].intro_text == "承办单位将在20个工作日内重新办理并再次答复。"


def test_escalation_note_quotes_the_ladder_step(demo):
    assert escalation_note("proposal.handling", 2) == "逾期已满10个工作日，已报督办领导。"
    policy_for("proposal.handling").escalation_steps.filter(level=2).update(after_days=7)
    assert escalation_note("proposal.handling", 2) == "逾期已满7个工作日，已报督办领导。"


def test_unevaluated_note_on_stats_follows_the_evaluation_policy(demo):
    client = Client()
    client.force_login(demo["staff"])
    assert "答复后15个工作日内未评价" in client.get("/stats/proposals/").content.decode()
    policy_for("proposal.evaluation")
    DeadlinePolicy.objects.filter(key="proposal.evaluation").update(length=12)
    page = client.get("/stats/proposals/").content.decode()
    assert "答复后12个工作日内未评价" in page
    assert "15个工作日" not in page
