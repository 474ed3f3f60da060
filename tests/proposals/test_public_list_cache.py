"""/public/proposals/: its cards and pager are the same for every visitor, so they are cached under
the write version (``cppcc_portal.writeversion``) and the query string: a second request reads no
proposal, any write (a bulk ``.update()`` too) shows on the very next request, and each search or
page is kept apart.

The cache is used only outside a transaction, so these tests commit (``transactional_db``) and
need PostgreSQL (the ``postgres`` fixture: a stated skip on SQLite, a failure under CI=true).
"""

from __future__ import annotations

from proposals.models import Assignment, Proposal
from tests.builders import page_and_queries

CLOSED = "关于延长中小学体育场地课后开放时段的建议"  # demo: public, 区教育局 published its reply


def _reads_proposals(queries: list[str]) -> bool:
    return any('FROM "proposals_proposal"' in sql for sql in queries)


def test_the_public_list_is_read_once_and_shows_each_write_at_once(transactional_db, postgres, demo, client):
    proposal = Proposal.objects.get(title=CLOSED)
    first, cold = page_and_queries(client, "/public/proposals/")
    assert CLOSED in first and _reads_proposals(cold)
    again, warm = page_and_queries(client, "/public/proposals/")
    assert again == first and not _reads_proposals(warm)

    Assignment.objects.filter(proposal=proposal, publishable=True).update(reply_text="缓存测试：已全面开放。")
    assert "缓存测试：已全面开放。" in page_and_queries(client, "/public/proposals/")[0]

    Proposal.objects.filter(pk=proposal.pk).update(publish_consent=False)
    assert CLOSED not in page_and_queries(client, "/public/proposals/")[0]


def test_each_search_is_cached_apart(transactional_db, postgres, demo, client, login):
    assert CLOSED in page_and_queries(client, "/public/proposals/?q=体育")[0]
    assert CLOSED not in page_and_queries(client, "/public/proposals/?q=没有这样的提案")[0]
    assert "暂无公开的提案办理结果" in page_and_queries(client, "/public/proposals/?q=没有这样的提案")[0]
    # Signed in or not, the same published results (nothing in them depends on the visitor).
    assert CLOSED in page_and_queries(login("member1"), "/public/proposals/?q=体育")[0]
