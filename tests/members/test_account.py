"""A login's own settings: the e-mail address has one writer, shared with the member record."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from members.models import Member, User
from members.services import user_set_email


def test_notification_preferences_change_the_address_of_the_login_and_the_member(login):
    client = login("member1")
    response = client.post(
        "/accounts/preferences/", {"email": "li.new@example.org", "email_mode": "digest", "sms_enabled": ""}
    )
    assert response.status_code == 302
    user = User.objects.get(username="member1")
    assert (user.email, user.email_mode, user.sms_enabled) == ("li.new@example.org", "digest", False)
    assert Member.objects.get(user=user).email == "li.new@example.org"


def test_a_bad_address_changes_nothing(login):
    def settings():
        user = User.objects.get(username="member1")
        return user.email, user.email_mode, user.sms_enabled, Member.objects.get(user=user).email

    before = settings()
    mode = "digest" if before[1] != "digest" else "none"
    response = login("member1").post(
        "/accounts/preferences/", {"email": "not-an-address", "email_mode": mode, "sms_enabled": "on"}
    )
    assert response.status_code == 200 and "email" in response.context["form"].errors
    assert settings() == before


def test_contact_edit_and_preferences_write_the_same_address(demo):
    user = demo["member2"]
    user_set_email(user=user, email="wang@example.org")
    assert User.objects.get(pk=user.pk).email == Member.objects.get(user=user).email == "wang@example.org"


@pytest.mark.parametrize("existing", [True, False])
def test_the_admin_shows_the_address_read_only_on_an_existing_login(demo, existing):
    admin = site._registry[User]
    request = RequestFactory().get("/admin/")
    request.user = demo["admin"]
    fields = admin.get_readonly_fields(request, demo["member1"] if existing else None)
    assert ("email" in fields) is existing
