"""Each process keeps the policies under a version token; every write path moves the token."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from cppcc_portal.deadlines import policy_cache, policy_for
from cppcc_portal.deadlines.registry import policies_for
from cppcc_portal.models import DeadlinePolicy


def _warm(key: str, capture) -> int:
    """The clock's row exists and is committed (its first use writes it), and the copy is built."""
    with capture(execute=True):
        policy_cache.forget()
        length = policy_for(key).length
    assert policy_for(key).length == length
    return length


def test_a_page_asks_for_policies_without_a_query(
    demo, member_clock, django_assert_num_queries, django_capture_on_commit_callbacks
):
    length = _warm(member_clock.key, django_capture_on_commit_callbacks)
    policy_cache.expire_version_check()  # a new request: the token is read again, from the cache
    with django_assert_num_queries(0):
        assert policy_for(member_clock.key).length == length
        assert policies_for([member_clock.key])[member_clock.key].length == length


def test_each_caller_gets_its_own_object(demo, member_clock, django_capture_on_commit_callbacks):
    _warm(member_clock.key, django_capture_on_commit_callbacks)
    first = policy_for(member_clock.key)
    first.length = 999
    first.reminder_offsets.append(77)
    again = policy_for(member_clock.key)
    assert again.length != 999 and 77 not in again.reminder_offsets


def test_own_save_is_seen_at_once_and_by_others_after_commit(demo, member_clock, django_capture_on_commit_callbacks):
    length = _warm(member_clock.key, django_capture_on_commit_callbacks)
    token = cache.get(policy_cache.VERSION_CACHE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        policy = DeadlinePolicy.objects.get(key=member_clock.key)
        policy.length = length + 5
        policy.save()
        assert policy_for(member_clock.key).length == length + 5  # before the commit: read directly
    assert cache.get(policy_cache.VERSION_CACHE_KEY) != token
    assert policy_for(member_clock.key).length == length + 5


def test_queryset_update_and_delete_move_the_token(demo, member_clock, django_capture_on_commit_callbacks):
    length = _warm(member_clock.key, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        DeadlinePolicy.objects.filter(key=member_clock.key).update(length=length + 1)
    assert callbacks and policy_for(member_clock.key).length == length + 1
    token = cache.get(policy_cache.VERSION_CACHE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        DeadlinePolicy.objects.filter(key=member_clock.key).delete()
    assert cache.get(policy_cache.VERSION_CACHE_KEY) != token
    # Gone from the table, so gone from the copy: the next use writes it again from the declaration.
    assert policy_for(member_clock.key).length == member_clock_length(member_clock.key)


def member_clock_length(key: str) -> int:
    from cppcc_portal.deadlines import get_clock

    return get_clock(key).length


def test_another_process_change_is_seen_once_the_token_moves(demo, member_clock, django_capture_on_commit_callbacks):
    length = _warm(member_clock.key, django_capture_on_commit_callbacks)
    with connection.cursor() as cursor:  # another process's write: no signal here
        cursor.execute(
            f"UPDATE {DeadlinePolicy._meta.db_table} SET length = %s WHERE key = %s", [length + 3, member_clock.key]
        )
    policy_cache.expire_version_check()
    assert policy_for(member_clock.key).length == length  # the copy, until the token moves
    cache.set(policy_cache.VERSION_CACHE_KEY, "moved-by-another-process", None)
    assert policy_for(member_clock.key).length == length  # checked at most once a second ...
    policy_cache.expire_version_check()  # ... and at the start of each request
    assert policy_for(member_clock.key).length == length + 3


def test_admin_edit_reaches_the_next_request(login, member_clock, django_capture_on_commit_callbacks):
    policy = policy_for(member_clock.key)
    client = login("admin")
    data = {
        "name": policy.name,
        "start_label": policy.start_label,
        "length": str(policy.length + 7),
        "unit": policy.unit,
        "reminder_offsets": "[]",
        "reminder_recipients": [],
        "escalation_steps-TOTAL_FORMS": "0",
        "escalation_steps-INITIAL_FORMS": "0",
        "escalation_steps-MIN_NUM_FORMS": "0",
        "escalation_steps-MAX_NUM_FORMS": "1000",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:cppcc_portal_deadlinepolicy_change", args=[policy.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert policy_for(member_clock.key).length == policy.length + 7
