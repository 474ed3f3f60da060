"""并案 (/proposals/<id>/merge/): the target is searched for (proposals/picker.py), never listed, and
the form still accepts only a registered proposal of the same session."""

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import PlenarySession
from proposals.enums import ProposalState
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def merging(make_proposal):
    """A submitted proposal to merge, and a registered one of its session to merge it into."""
    proposal = make_proposal("member2", upto="submitted", title="关于社区图书室延时开放的建议")
    target = make_proposal("member1", upto="registered", title="关于推进全民阅读示范社区建设的建议")
    return proposal, target


def search(client, proposal: Proposal, text: str) -> str:
    url = reverse("proposals:merge-targets", args=[proposal.pk])
    return client.get(url, {"field": "target", "target_q": text}).content.decode()


def add_registered(proposal: Proposal, n: int, prefix: str) -> None:
    """``n`` registered proposals of ``proposal``'s session, copied from it by bulk insert."""
    top = Proposal.objects.filter(session_id=proposal.session_id).aggregate(top=Max("sequence"))["top"]
    Proposal.objects.bulk_create(
        Proposal(
            session_id=proposal.session_id,
            title=f"{prefix}{i:03d}号建议",
            category_id=proposal.category_id,
            author_id=proposal.author_id,
            filed_by_id=proposal.filed_by_id,
            period=proposal.period,
            state=ProposalState.REGISTERED,
            sequence=(top or 0) + 1000 + i,
            number=f"测试编号{prefix}{i:03d}",
        )
        for i in range(n)
    )


def test_the_merge_page_names_no_proposal_and_keeps_its_query_count(login, merging):
    proposal, target = merging
    client = login("staff")
    url = reverse("proposals:merge", args=[proposal.pk])
    add_registered(proposal, 5, "甲")
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        small = client.get(url).content.decode()
    add_registered(proposal, 25, "乙")
    with CaptureQueriesContext(connection) as many:
        large = client.get(url).content.decode()
    assert len(many) == len(few)
    assert target.title not in small and "乙000" not in large and "<option" not in large
    assert "data-picker" in large and f'hx-get="/proposals/{proposal.pk}/merge/targets/"' in large


def test_search_finds_by_number_or_every_title_word_and_offers_radios(login, merging):
    proposal, target = merging
    client = login("staff")
    assert f'type="radio" name="target" value="{target.pk}"' in search(client, proposal, "全民阅读 示范")
    assert f'value="{target.pk}"' in search(client, proposal, target.number)
    assert f'value="{target.pk}"' not in search(client, proposal, "全民阅读 图书室")  # not every word
    assert "没有编号或案由含“图书室延时”" in search(client, proposal, "图书室延时")  # itself: not registered


def test_search_offers_the_first_twenty_in_number_order(login, merging):
    proposal, _ = merging
    add_registered(proposal, 25, "丙")
    html = search(login("staff"), proposal, "丙")
    assert html.count('type="radio"') == 20 and "丙000号" in html and "丙024号" not in html
    assert "仅显示前 20 件" in html


def test_search_leaves_out_other_sessions_and_unregistered_proposals(login, make_proposal, merging):
    proposal, target = merging
    other_session = PlenarySession.objects.exclude(pk=proposal.session_id).first()
    Proposal.objects.filter(pk=target.pk).update(session=other_session)
    client = login("staff")
    assert f'value="{target.pk}"' not in search(client, proposal, "全民阅读")
    Proposal.objects.filter(pk=target.pk).update(session_id=proposal.session_id, state=ProposalState.SUBMITTED)
    assert f'value="{target.pk}"' not in search(client, proposal, "全民阅读")


def test_a_strange_field_name_gets_no_matches(login, merging):
    proposal, _ = merging
    url = reverse("proposals:merge-targets", args=[proposal.pk])
    html = login("staff").get(url, {"field": '"><script>', "target_q": "全民阅读"}).content.decode()
    assert "<script>" not in html and "value=" not in html


def test_a_proposal_that_may_no_longer_be_merged_says_so_in_the_search(login, merging):
    proposal, _ = merging
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.REGISTERED)
    html = search(login("staff"), proposal, "全民阅读")
    assert "不能并案" in html and "value=" not in html


def test_merging_into_the_picked_target(login, merging):
    proposal, target = merging
    url = reverse("proposals:merge", args=[proposal.pk])
    response = login("staff").post(url, {"version": proposal.version, "target": target.pk})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.MERGED and proposal.merged_into_id == target.pk


@pytest.mark.parametrize("which", ["foreign", "stale", "itself", "nonsense", "missing", "none"])
def test_a_wrong_target_gets_a_chinese_error_and_changes_nothing(login, merging, which):
    proposal, target = merging
    if which == "foreign":
        other_session = PlenarySession.objects.exclude(pk=proposal.session_id).first()
        Proposal.objects.filter(pk=target.pk).update(session=other_session)
    elif which == "stale":  # registered when searched, since withdrawn from the register
        Proposal.objects.filter(pk=target.pk).update(state=ProposalState.SUBMITTED)
    chosen = {
        "foreign": target.pk,
        "stale": target.pk,
        "itself": proposal.pk,
        "nonsense": "abc",
        "missing": 10**9,
        "none": "",
    }[which]
    url = reverse("proposals:merge", args=[proposal.pk])
    response = login("staff").post(url, {"version": proposal.version, "target": chosen})
    html = response.content.decode()
    assert response.status_code == 200
    expected = "请选择要并入的提案。" if which == "none" else "只能并入本会次已立案的其他提案"
    assert expected in html
    assert "data-picker" in html and f'value="{chosen}" checked' not in html  # not offered again
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED and proposal.merged_into_id is None
    assert Proposal.objects.filter(merged_into__isnull=False, pk=proposal.pk).count() == 0
