"""Parts of pages cached under the write version (``cppcc_portal.writeversion``): the workbench's
panels and the deadline board's table. A second request reads them from the cache; any write,
even a bulk update that sends no signal, shows on the very next request.

The cache is used only outside a transaction, so these tests commit (``transactional_db``) and
need PostgreSQL (the ``postgres`` fixture: a stated skip on SQLite, a failure under CI=true).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cppcc_portal import writeversion
from cppcc_portal.deadlines.board import Board
from cppcc_portal.models import Notification
from tests.builders import page_and_queries, uncommitted


def test_every_table_but_the_machinerys_is_watched(postgres, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = %s)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()",
            [writeversion.TRIGGER],
        )
        tables = dict(cursor.fetchall())
    assert tables["proposals_proposal"] and tables["cppcc_portal_notification"] and tables["members_user_groups"]
    assert not tables["django_session"]
    assert [table for table, has in tables.items() if has != writeversion.watched(table)] == []


def test_nothing_is_cached_inside_a_transaction(postgres, db):
    """A transaction sees its own writes, which may yet be rolled back: it neither reads nor fills the cache."""
    assert connection.in_atomic_block
    assert writeversion.version() is None
    built = []
    writeversion.cached("test", (), lambda: built.append(1))
    writeversion.cached("test", (), lambda: built.append(1))
    assert built == [1, 1]


def test_the_workbench_is_read_once_and_shows_each_write_at_once(transactional_db, postgres, login, demo):
    client = login("member1")
    user = demo["member1"].pk
    Notification.objects.create(recipient_id=user, kind="test", subject="第一条待读通知")
    first, cold = page_and_queries(client, reverse("home"))
    assert "第一条待读通知" in first
    again, warm = page_and_queries(client, reverse("home"))
    assert again == first
    assert len(warm) < len(cold)
    assert not any("proposals_proposal" in sql for sql in warm)  # no panel asked the database

    Notification.objects.create(recipient_id=user, kind="test", subject="第二条待读通知")
    assert "第二条待读通知" in page_and_queries(client, reverse("home"))[0]
    # A bulk update sends no signal; the trigger still moves the version.
    Notification.objects.filter(recipient_id=user, subject="第二条待读通知").update(subject="改过的通知")
    html = page_and_queries(client, reverse("home"))[0]
    assert "改过的通知" in html and "第二条待读通知" not in html
    # The user's own action: marking everything read empties the panel on the next page.
    assert client.post(reverse("notifications-read-all")).status_code == 302
    html = page_and_queries(client, reverse("home"))[0]
    assert "改过的通知" not in html and "第一条待读通知" not in html and "没有未读通知" in html


def test_the_workbench_is_cached_per_person(transactional_db, postgres, login, demo):
    Notification.objects.create(recipient=demo["member1"], kind="test", subject="只给委员一的通知")
    assert "只给委员一的通知" in page_and_queries(login("member1"), reverse("home"))[0]
    assert "只给委员一的通知" not in page_and_queries(login("member2"), reverse("home"))[0]


def test_the_board_table_is_read_once_and_shows_each_write_at_once(transactional_db, postgres, login):
    from proposals.enums import ProposalState
    from proposals.models import Proposal

    client = login("staff")
    proposal = Proposal.objects.filter(state=ProposalState.SUBMITTED).first()
    assert proposal is not None, "the demo has proposals waiting for review"
    today = timezone.localdate()
    Proposal.objects.filter(pk=proposal.pk).update(title="看板缓存测试提案", review_due=today - timedelta(days=40))
    url = reverse("deadlines:board") + "?clock=proposal.review"
    first, cold = page_and_queries(client, url)
    assert any("proposals_proposal" in sql for sql in cold)
    assert "看板缓存测试提案" in first
    again, warm = page_and_queries(client, url)
    assert again == first
    assert not any("proposals_proposal" in sql for sql in warm)  # neither the page nor the counts read again

    Proposal.objects.filter(pk=proposal.pk).update(title="改名后的看板提案")
    html = page_and_queries(client, url)[0]
    assert "改名后的看板提案" in html and "看板缓存测试提案" not in html
    Proposal.objects.filter(pk=proposal.pk).update(review_due=today + timedelta(days=400))  # off the board
    assert "改名后的看板提案" not in page_and_queries(client, url)[0]


def test_a_board_page_is_shared_and_follows_writes(transactional_db, postgres, demo):
    from proposals.enums import ProposalState
    from proposals.models import Proposal

    proposal = Proposal.objects.filter(state=ProposalState.SUBMITTED).first()
    assert proposal is not None, "the demo has proposals waiting for review"
    today = timezone.localdate()
    Proposal.objects.filter(pk=proposal.pk).update(review_due=today - timedelta(days=40))
    rows = Board(user=demo["staff"], today=today, clock="proposal.review")[0:8]
    assert rows and rows[0].item.pk == proposal.pk
    admin = demo["admin"]  # taken first: the demo mapping verifies a staff user's second factor on first use
    with CaptureQueriesContext(connection) as ctx:
        again = Board(user=admin, today=today, clock="proposal.review")[0:8]
    assert len(ctx.captured_queries) == 1  # the version
    assert [(row.key, row.item.pk, row.title) for row in again] == [(row.key, row.item.pk, row.title) for row in rows]

    with transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(title="分页缓存改名")
    assert (
        "分页缓存改名" in Board(user=demo["staff"], today=today, clock="proposal.review")[0:8][0].title
    )  # shown as 《…》


def test_nothing_is_cached_while_another_transaction_has_written(transactional_db, postgres, login, demo):
    """A writer moves the version at its statement and commits later: a page built in between
    misses the write, so it must not be cached under the version that announces it."""
    client = login("member1")
    note = {"recipient": demo["member1"], "kind": "test", "subject": "提交前的通知"}
    with uncommitted(lambda: Notification.objects.create(**note)):
        assert "提交前的通知" not in page_and_queries(client, reverse("home"))[0]  # not committed yet
    assert "提交前的通知" in page_and_queries(client, reverse("home"))[0]


def test_the_nav_bar_is_kept_per_user_and_follows_role_changes(transactional_db, postgres, login, demo):
    from django.contrib.auth.models import Group

    from cppcc_portal.roles import Role

    review = 'href="/proposals/review/"'
    staff = login("staff")
    first, cold = page_and_queries(staff, reverse("notifications"))
    assert review in first
    again, warm = page_and_queries(staff, reverse("notifications"))
    assert again == first and len(warm) < len(cold)
    assert review not in page_and_queries(login("member1"), reverse("notifications"))[0]
    # No longer office staff (a write to the user's groups): the next page's bar lacks the entry.
    demo["staff"].groups.remove(Group.objects.get(name=Role.STAFF))
    assert review not in page_and_queries(login("staff"), reverse("notifications"))[0]


def test_a_statistics_section_is_shared_and_follows_writes(transactional_db, postgres, login, demo):
    from django.test import Client

    from proposals.models import ProposalCategory

    category = ProposalCategory.objects.first()
    leader = Client()
    leader.force_login(demo["leader"])  # before: signing in writes the user's last login
    first = page_and_queries(login("staff"), "/stats/proposals/")[0]
    assert category.name in first
    again, warm = page_and_queries(leader, "/stats/proposals/")
    assert again.split('id="stats-proposals"')[1] == first.split('id="stats-proposals"')[1]
    assert not any("proposals_proposal" in sql for sql in warm)

    ProposalCategory.objects.filter(pk=category.pk).update(name="统计缓存测试类别")
    assert "统计缓存测试类别" in page_and_queries(leader, "/stats/proposals/")[0]


def test_a_write_replaces_the_value_it_outdates_under_the_same_key(transactional_db, postgres, demo):
    """The key holds no version: a write does not leave the old value behind under a key of its
    own (what is kept grows with the parts asked for, not with the writes), and a value built
    before the write is never shown after it."""
    from django.core.cache import cache

    built = []

    def build():
        built.append(Notification.objects.filter(recipient=demo["member1"]).count())
        return built[-1]

    parts = ("replace-in-place", demo["member1"].pk)
    first = writeversion.cached("test-part", parts, build, seconds=writeversion.DAY)
    assert writeversion.cached("test-part", parts, build, seconds=writeversion.DAY) == first
    assert len(built) == 1
    stored_under, value = cache.get(writeversion.key("test-part", writeversion.WHOLE, parts))
    assert value == first and stored_under == writeversion.read().value

    Notification.objects.create(recipient=demo["member1"], kind="test", subject="缓存替换测试")
    assert writeversion.cached("test-part", parts, build, seconds=writeversion.DAY) == first + 1
    assert len(built) == 2
    stored_under, value = cache.get(writeversion.key("test-part", writeversion.WHOLE, parts))
    assert value == first + 1 and stored_under == writeversion.read().value
