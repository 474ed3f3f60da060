"""The registry's filter bar and table are cached under the write version
(``cppcc_portal.writeversion``): a second request reads them from the cache, any write shows on
the very next request, and a member never sees the table (with mobile numbers) built for staff.

The cache is used only outside a transaction, so these tests commit (``transactional_db``) and
need PostgreSQL (the ``postgres`` fixture: a stated skip on SQLite, a failure under CI=true).
"""

from __future__ import annotations

from members.models import Member
from tests.builders import page_and_queries


def _reads_members(queries: list[str]) -> bool:
    return any('FROM "members_member"' in sql for sql in queries)


def test_the_registry_is_read_once_and_shows_each_write_at_once(transactional_db, postgres, login):
    member = Member.objects.get(user__username="member2")
    client = login("staff")
    first, cold = page_and_queries(client, "/members/")
    assert member.name in first and _reads_members(cold)
    again, warm = page_and_queries(client, "/members/")
    assert again.count(member.name) == first.count(member.name)
    assert not _reads_members(warm)

    Member.objects.filter(pk=member.pk).update(employer_title="名册缓存测试单位主任")
    assert "名册缓存测试单位主任" in page_and_queries(client, "/members/")[0]
    assert "名册缓存测试单位主任" not in page_and_queries(client, "/members/?q=没有这样的委员")[0]


def test_a_member_never_sees_the_table_built_for_staff(transactional_db, postgres, login):
    member = Member.objects.get(user__username="member2")
    assert member.mobile in page_and_queries(login("staff"), "/members/")[0]
    listing = page_and_queries(login("member1"), "/members/")[0]
    assert member.name in listing and member.mobile not in listing
