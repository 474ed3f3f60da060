"""The similar-proposal hint is cached under the write version (``cppcc_portal.writeversion``) per
user and text: asked again, it scores nothing; any write (a bulk ``.update()`` too) shows on the
very next request, and a member never sees a hint built for staff (who may open more).

The cache is used only outside a transaction, so these tests commit (``transactional_db``) and
need PostgreSQL (the ``postgres`` fixture: a stated skip on SQLite, a failure under CI=true).
"""

from __future__ import annotations

from proposals.enums import ProposalState
from proposals.models import Proposal
from tests.builders import page_and_queries

ASKED = {"title": "关于加强中小学心理健康教育工作的建议"}
FOUND = "关于加强中小学生心理健康教育的建议"  # demo: the near duplicate


def _scores(queries: list[str]) -> bool:
    return any('"keywords"' in sql for sql in queries)


def test_the_hint_is_scored_once_and_shows_each_write_at_once(transactional_db, postgres, demo, login):
    client = login("member2")
    first, cold = page_and_queries(client, "/proposals/similar/", data=ASKED)
    assert FOUND in first and _scores(cold)
    again, warm = page_and_queries(client, "/proposals/similar/", data=ASKED)
    assert again == first and not _scores(warm)

    Proposal.objects.filter(title=FOUND).update(collective_name="缓存测试小组")
    assert "缓存测试小组" in page_and_queries(client, "/proposals/similar/", data=ASKED)[0]


def test_a_member_never_sees_the_hint_built_for_staff(transactional_db, postgres, demo, login):
    # Not registered, and nothing of member3's merged into it: staff may open it, member3 may not.
    Proposal.objects.filter(merged_into__title=FOUND).update(merged_into=None)
    Proposal.objects.filter(title=FOUND).update(state=ProposalState.NOT_REGISTERED)
    assert FOUND in page_and_queries(login("staff"), "/proposals/similar/", data=ASKED)[0]
    assert FOUND not in page_and_queries(login("member3"), "/proposals/similar/", data=ASKED)[0]
