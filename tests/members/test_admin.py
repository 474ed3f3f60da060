"""The Django admin is where organisation data is configured."""

import pytest
from django.contrib.auth.models import Group

from cppcc_portal.roles import Role
from members.models import Organization

ADMIN_PAGES = [
    "members/term/",
    "members/plenarysession/",
    "members/sector/",
    "members/committee/",
    "members/party/",
    "members/position/",
    "members/organization/",
    "members/member/",
    "members/user/",
    "cppcc_portal/workdayoverride/",
    "cppcc_portal/deadlinepolicy/",
    "liaison_stations/station/",
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_lists_open_with_search(login, path):
    response = login("admin").get(f"/admin/{path}", {"q": "区"})
    assert response.status_code == 200


def test_organisation_change_history_is_kept(login):
    client = login("admin")
    unit = Organization.objects.get(name="区教育局")
    data = {
        "name": "区教育局",
        "short_name": "教育局",
        "kind": unit.kind,
        "contact_name": "刘",
        "contact_phone": "",
        "is_active": "on",
        "order": unit.order,
    }
    # The organisation's accounts come along as an inline (who is 单位负责人, who is active).
    accounts = list(unit.users.order_by("pk"))
    data |= {"users-TOTAL_FORMS": len(accounts), "users-INITIAL_FORMS": len(accounts)}
    for n, account in enumerate(accounts):
        data |= {f"users-{n}-id": account.pk, f"users-{n}-organization": unit.pk}
        data |= {f"users-{n}-is_active": "on"} | ({f"users-{n}-is_unit_head": "on"} if account.is_unit_head else {})
    assert client.post(f"/admin/members/organization/{unit.pk}/change/", data).status_code == 302
    assert unit.history.count() >= 2
    assert client.get(f"/admin/members/organization/{unit.pk}/history/").status_code == 200


def test_unit_user_without_organisation_is_refused(login, demo):
    client = login("admin")
    user = demo["unit_edu"]
    data = {
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "mobile": "",
        "organization": "",
        "groups": [Group.objects.get(name=Role.UNIT).pk],
        "is_active": "on",
        "email_mode": "immediate",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(f"/admin/members/user/{user.pk}/change/", data)
    assert response.status_code == 200
    assert "承办单位用户必须选择所属单位" in response.content.decode()
    user.refresh_from_db()
    assert user.organization is not None
