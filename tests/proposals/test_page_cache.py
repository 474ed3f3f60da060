"""The proposal list's filter bar and table, and the proposal page below the navigation bar, are
cached under the write version (``cppcc_portal.writeversion``): a second request reads them from
the cache, any write shows on the very next request, and no user ever sees what was built for
another (the table and the page are kept per user; a 403 or 404 is never cached).

The cache is used only outside a transaction, so these tests commit (``transactional_db``) and
need PostgreSQL (the ``postgres`` fixture: a stated skip on SQLite, a failure under CI=true).
"""

from __future__ import annotations

import re

from proposals import services
from proposals.models import Proposal
from tests.builders import page_and_queries


def _reads_proposals(queries: list[str]) -> bool:
    return any('"proposals_proposal"' in sql for sql in queries)


def test_the_list_is_read_once_and_shows_each_write_at_once(transactional_db, postgres, login, make_proposal):
    proposal = make_proposal("member1", upto="registered", title="关于列表缓存的第一个标题的建议")
    client = login("staff")
    first, cold = page_and_queries(client, "/proposals/")
    assert "关于列表缓存的第一个标题的建议" in first and _reads_proposals(cold)
    again, warm = page_and_queries(client, "/proposals/")
    assert again == first
    assert not _reads_proposals(warm)  # neither the rows, the count nor the filter bar's choices

    # A bulk update sends no signal; the trigger still moves the version.
    Proposal.objects.filter(pk=proposal.pk).update(title="关于列表缓存改过的标题的建议")
    html = page_and_queries(client, "/proposals/")[0]
    assert "关于列表缓存改过的标题的建议" in html and "关于列表缓存的第一个标题的建议" not in html
    # Each filter and each page is its own entry.
    assert "关于列表缓存改过的标题的建议" not in page_and_queries(client, "/proposals/?q=没有这样的提案")[0]
    assert 'value="没有这样的提案"' in page_and_queries(client, "/proposals/?q=没有这样的提案")[0]


def test_the_list_table_is_kept_per_user(transactional_db, postgres, login, make_proposal):
    make_proposal("member1", title="只有委员一能看见的草稿建议")
    assert "只有委员一能看见的草稿建议" in page_and_queries(login("member1"), "/proposals/")[0]
    # Same URL, same write version: member2 and staff (a draft never submitted is its author's) see their own lists.
    assert "只有委员一能看见的草稿建议" not in page_and_queries(login("member2"), "/proposals/")[0]
    assert "只有委员一能看见的草稿建议" not in page_and_queries(login("staff"), "/proposals/")[0]


def test_the_proposal_page_is_read_once_and_shows_each_write_at_once(transactional_db, postgres, login, make_proposal):
    proposal = make_proposal("member1", upto="handling", title="关于详情缓存的建议")
    url = proposal.get_absolute_url()
    client = login("staff")
    # The first view of a fresh database writes the deadline policies it reads (get_or_create).
    assert "关于详情缓存的建议" in page_and_queries(client, url)[0]
    Proposal.objects.filter(pk=proposal.pk).update(title="关于详情缓存改名的建议")
    first, cold = page_and_queries(client, url)
    assert "关于详情缓存改名的建议" in first and _reads_proposals(cold)
    again, warm = page_and_queries(client, url)
    assert again == first
    assert not _reads_proposals(warm)

    Proposal.objects.filter(pk=proposal.pk).update(background="改过的情况分析")
    assert "改过的情况分析" in page_and_queries(client, url)[0]


def test_the_proposal_page_is_kept_per_user_and_refusals_are_never_cached(
    transactional_db, postgres, login, make_proposal, demo
):
    draft = make_proposal("member1", title="关于委员一私有草稿的建议", co=["member2"])
    url = draft.get_absolute_url()
    edit = f'href="{url}edit/"'
    assert edit in page_and_queries(login("member1"), url)[0]  # the author may edit the draft
    # A co-signer sees the draft, without the author's actions.
    signer_page = page_and_queries(login("member2"), url)[0]
    assert "关于委员一私有草稿的建议" in signer_page and edit not in signer_page
    # Staff may not open a draft never submitted: refused on every request, nothing cached for them.
    for _ in range(2):
        assert "关于委员一私有草稿的建议" not in page_and_queries(login("staff"), url, status=403)[0]
    # The refusal follows the data: once submitted, staff open it.
    services.proposal_cosign(proposal=draft, actor=demo["member2"], version=None, decision="confirm")
    services.proposal_submit(proposal=draft, actor=demo["member1"], version=None)
    assert "关于委员一私有草稿的建议" in page_and_queries(login("staff"), url)[0]
    assert page_and_queries(login("staff"), f"/proposals/{draft.pk + 10**6}/", status=404)


def test_the_review_queues_are_read_once_and_show_each_write_at_once(transactional_db, postgres, login, make_proposal):
    submitted = make_proposal("member1", upto="submitted", title="关于审查队列缓存的建议")
    registered = make_proposal("member1", upto="registered", title="关于交办队列缓存的建议")
    client = login("staff")
    first, cold = page_and_queries(client, "/proposals/review/")
    assert "关于审查队列缓存的建议" in first and "关于交办队列缓存的建议" in first and _reads_proposals(cold)
    again, warm = page_and_queries(client, "/proposals/review/")
    assert again == first
    assert not _reads_proposals(warm)  # neither queue's rows nor their counts

    Proposal.objects.filter(pk=submitted.pk).update(title="关于审查队列改名的建议")
    Proposal.objects.filter(pk=registered.pk).update(title="关于交办队列改名的建议")
    html = page_and_queries(client, "/proposals/review/")[0]
    assert "关于审查队列改名的建议" in html and "关于交办队列改名的建议" in html
    assert "关于审查队列缓存的建议" not in html and "关于交办队列缓存的建议" not in html
    # Another staff member sees the same queues (nothing in them is per user).
    assert "关于审查队列改名的建议" in page_and_queries(login("staff_proposals"), "/proposals/review/")[0]


def test_the_documents_page_is_read_once_and_shows_each_write_at_once(transactional_db, postgres, login, make_proposal):
    from members.models import Organization, PlenarySession

    make_proposal("member1", upto="handling", unit="区教育局")
    client = login("staff")
    first, cold = page_and_queries(client, "/proposals/documents/")
    assert "区教育局" in first and any('"proposals_assignment"' in sql for sql in cold)
    again, warm = page_and_queries(client, "/proposals/documents/")
    assert again == first
    assert not any('"proposals_assignment"' in sql or '"members_plenarysession"' in sql for sql in warm)

    Organization.objects.filter(name="区教育局").update(name="区教育体育局")
    html = page_and_queries(client, "/proposals/documents/")[0]
    assert "区教育体育局" in html and "区教育局<" not in html
    # Each session asked for is its own entry: another session's units are not this one's.
    other = PlenarySession.objects.exclude(is_current=True).first()
    if other is not None:
        assert "区教育体育局" not in page_and_queries(client, f"/proposals/documents/?session={other.pk}")[0]


def test_a_key_rounds_candidates_are_cached_without_their_drop_forms_tokens(
    transactional_db, postgres, login, make_proposal, demo
):
    from proposals.models import KeyCandidate

    made = make_proposal("member1", upto="registered", title="关于遴选缓存的建议")
    selection = services.key_selection_open(actor=demo["staff"], session=made.session)
    services.key_selection_nominate(selection=selection, actor=demo["staff"], version=None, proposals=[made])
    url = f"/proposals/key/{selection.pk}/"
    # Who may nominate gets each row's 撤出 form with the token of their own request, never a kept one.
    tokens = set()
    for username in ("staff", "staff_proposals"):
        html = login(username).get(url).content.decode()
        assert "关于遴选缓存的建议" in html and "撤出" in html
        tokens |= set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) >= 2
    # A leader's rows carry no form: read once, and a write shows at once.
    leader = login("leader")
    first, _cold = page_and_queries(leader, url)
    assert "关于遴选缓存的建议" in first and "撤出" not in first
    again, warm = page_and_queries(leader, url)
    assert again == first and not any('"proposals_keycandidate"."reason"' in sql for sql in warm)
    KeyCandidate.objects.filter(selection=selection).update(reason="改过的推荐理由")
    assert "改过的推荐理由" in page_and_queries(leader, url)[0]


def test_the_admin_changelist_rows_and_count_are_kept_until_a_write(transactional_db, postgres, login, make_proposal):
    """The admin's proposal changelist (``CachedResultsMixin``, ``CountedPaginator``): a second view
    neither counts nor renders the rows again; a write shows on the next view."""
    proposal = make_proposal("member1", upto="registered", title="关于后台列表缓存的建议")
    client = login("admin")
    first, cold = page_and_queries(client, "/admin/proposals/proposal/")
    assert "关于后台列表缓存的建议" in first and any("COUNT(" in sql for sql in cold)
    again, warm = page_and_queries(client, "/admin/proposals/proposal/")
    assert again.count("关于后台列表缓存的建议") == first.count("关于后台列表缓存的建议")
    assert not any("COUNT(" in sql for sql in warm) and len(warm) < len(cold)

    Proposal.objects.filter(pk=proposal.pk).update(title="关于后台列表缓存改名后的建议")
    assert "关于后台列表缓存改名后的建议" in page_and_queries(client, "/admin/proposals/proposal/")[0]
