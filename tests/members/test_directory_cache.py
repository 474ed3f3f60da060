"""The registry's filter bar and table are cached under the write version
(``cppcc_portal.writeversion``): a second request reads them from the cache, any write shows on
the very next request, and a member never sees the table (with mobile numbers) built for staff.

The cache is used only outside a transaction, so these tests commit (``transactional_db``) and
need PostgreSQL (the ``postgres`` fixture: a stated skip on SQLite, a failure under CI=true).
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member


def _get(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in ctx.captured_queries]


def _reads_members(queries: list[str]) -> bool:
    return any('FROM "members_member"' in sql for sql in queries)


def test_the_registry_is_read_once_and_shows_each_write_at_once(transactional_db, postgres, login):
    member = Member.objects.get(user__username="member2")
    client = login("staff")
    first, cold = _get(client, "/members/")
    assert member.name in first and _reads_members(cold)
    again, warm = _get(client, "/members/")
    assert again.count(member.name) == first.count(member.name)
    assert not _reads_members(warm)

    Member.objects.filter(pk=member.pk).update(employer_title="名册缓存测试单位主任")
    assert "名册缓存测试单位主任" in _get(client, "/members/")[0]
    assert "名册缓存测试单位主任" not in _get(client, "/members/?q=没有这样的委员")[0]


def test_a_member_never_sees_the_table_built_for_staff(transactional_db, postgres, login):
    member = Member.objects.get(user__username="member2")
    assert member.mobile in _get(login("staff"), "/members/")[0]
    listing = _get(login("member1"), "/members/")[0]
    assert member.name in listing and member.mobile not in listing
