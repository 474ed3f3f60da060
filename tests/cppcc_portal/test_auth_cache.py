"""Permissions and groups come from the cache, and an admin's change reaches the user's next request."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cppcc_portal import auth_cache
from cppcc_portal.roles import Office, Role, is_office_staff
from members.models import User
from tests.otp_support import verified

ORGANISATIONS = "/admin/members/organization/"
AUTH_TABLES = ("auth_permission", "auth_group", "members_user_groups", "members_user_user_permissions")


def _user_change_data(user, groups) -> dict:
    return {
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "mobile": "",
        "organization": "",
        "groups": [group.pk for group in groups],
        "is_active": "on",
        "is_staff": "on",
        "email_mode": "immediate",
        "sms_enabled": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }


def _auth_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in AUTH_TABLES)]


def test_admin_changes_groups_and_the_next_request_follows(demo, client, django_capture_on_commit_callbacks):
    newcomer = User.objects.create_user("newcomer", password="x", name="新同事", is_staff=True)
    admin = demo["admin"]
    staff_group = Group.objects.get(name=Role.STAFF)
    auth_cache.bump_version()  # as after a commit: the cache is used, not the tables directly
    auth_cache._dirty = False

    client.force_login(verified(newcomer))  # staff sign in with a second factor
    assert client.get(ORGANISATIONS).status_code == 403
    status, queries = _auth_queries(client, ORGANISATIONS)
    assert status == 403 and not queries, queries  # the second request: permissions from the cache

    admin_client = type(client)()
    admin_client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/members/user/{newcomer.pk}/change/", _user_change_data(newcomer, [staff_group])
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get(ORGANISATIONS).status_code == 200  # the very next request
    status, queries = _auth_queries(client, ORGANISATIONS)
    assert status == 200 and not queries, queries

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/members/user/{newcomer.pk}/change/", _user_change_data(newcomer, []))
    assert response.status_code == 302
    assert client.get(ORGANISATIONS).status_code == 403


def test_a_group_losing_a_permission_reaches_its_members(demo, client, django_capture_on_commit_callbacks):
    newcomer = User.objects.create_user("newcomer", password="x", name="新同事", is_staff=True)
    group = Group.objects.create(name="临时组")
    view = Permission.objects.get(codename="view_organization")
    with django_capture_on_commit_callbacks(execute=True):
        group.permissions.add(view)
        newcomer.groups.add(group)
    client.force_login(verified(newcomer))
    assert client.get(ORGANISATIONS).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        group.permissions.remove(view)
    assert client.get(ORGANISATIONS).status_code == 403


def test_roles_read_the_same_entry_and_follow_a_change(demo, django_capture_on_commit_callbacks):
    newcomer = User.objects.create_user("newcomer", name="新同事", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        newcomer.groups.add(Group.objects.get(name=Role.STAFF))
    assert not is_office_staff(User.objects.get(pk=newcomer.pk))
    fresh = User.objects.get(pk=newcomer.pk)
    auth_cache.entry(fresh)
    with CaptureQueriesContext(connection) as queries:
        again = User.objects.get(pk=newcomer.pk)
        assert again.has_role(Role.STAFF) and not again.has_perm("members.view_user")
    assert len(queries) == 1  # the user row; groups and permissions from the cache
    with django_capture_on_commit_callbacks(execute=True):
        newcomer.groups.add(Group.objects.get(name=Office.ALL))
    assert is_office_staff(User.objects.get(pk=newcomer.pk))


def test_deactivated_or_demoted_users_lose_permissions_at_once(demo):
    admin = User.objects.get(username="admin")
    staff = User.objects.get(username="staff")
    assert admin.has_perm("members.view_user") and staff.has_perm("members.view_organization")
    User.objects.filter(pk=staff.pk).update(is_active=False)
    User.objects.filter(pk=admin.pk).update(is_superuser=False)
    assert not User.objects.get(pk=staff.pk).has_perm("members.view_organization")
    assert not User.objects.get(pk=admin.pk).has_perm("members.view_user")
