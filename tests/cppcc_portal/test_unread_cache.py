"""The unread count in the navigation is kept in the cache and moves with every write path."""

from __future__ import annotations

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cppcc_portal import notifications
from cppcc_portal.models import Notification
from cppcc_portal.notifications import notify, unread_count


def _count_queries(user) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        count = unread_count(user)
    return count, sum("cppcc_portal_notification" in q["sql"] for q in queries.captured_queries)


def test_count_is_cached_and_follows_create_read_and_bulk_paths(demo, django_capture_on_commit_callbacks):
    user = demo["member2"]
    with django_capture_on_commit_callbacks(execute=True):
        Notification.objects.filter(recipient=user).update(read_at=timezone.now())
    notifications._unread_dirty.clear()  # as after the commit
    assert _count_queries(user) == (0, 1)
    assert _count_queries(user) == (0, 0)  # from the cache

    with django_capture_on_commit_callbacks(execute=True):
        first, *_ = notify([user], kind="test", subject="一")  # bulk_create
        assert _count_queries(user) == (1, 1)  # before the commit: read from the table
    assert unread_count(user) == 1 and _count_queries(user) == (1, 0)

    with django_capture_on_commit_callbacks(execute=True):
        Notification.objects.create(recipient=user, kind="test", subject="二")
    assert unread_count(user) == 2

    with django_capture_on_commit_callbacks(execute=True):
        first.read_at = timezone.now()
        first.save(update_fields=["read_at"])
    assert unread_count(user) == 1

    with django_capture_on_commit_callbacks(execute=True):
        Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    assert unread_count(user) == 0

    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="test", subject="三")
    assert unread_count(user) == 1
    with django_capture_on_commit_callbacks(execute=True):
        Notification.objects.filter(recipient=user, kind="test").delete()
    assert unread_count(user) == 0


def test_a_rolled_back_notice_never_reaches_the_count(demo):
    user = demo["member1"]
    before = unread_count(user)
    try:
        with transaction.atomic():
            notify([user], kind="test", subject="撤回")
            assert unread_count(user) == before + 1
            raise RuntimeError
    except RuntimeError:
        pass
    assert unread_count(user) == before
