"""Logging in, landing on the workbench, and django-axes lockout."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from cppcc_portal.twofactor import second_factor_required
from tests.builders import DEMO_PASSWORD
from tests.otp_support import phone, unused_code


@pytest.mark.parametrize(
    "username", ["admin", "staff", "leader", "member1", "member2", "member3", "unit_edu", "unit_health"]
)
def test_every_demo_login_lands_on_its_workbench(demo, username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True)
    if second_factor_required(demo[username]):  # staff and admin: the code from their phone next
        assert response.redirect_chain[-1][0] == "/accounts/2fa/verify/?next=%2F"
        code = unused_code(phone(demo[username]))
        response = client.post("/accounts/2fa/verify/", {"token": code, "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "工作台" in response.content.decode()
    assert response.context["user"].username == username


def test_anonymous_users_are_sent_to_login(db):
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_five_failed_logins_lock_the_account_with_a_clear_message(demo):
    client = Client()
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "member2", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "member2", "password": "wrong"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "member2", "password": DEMO_PASSWORD})
    assert response.status_code == 429, "even the right password is refused while locked"
    assert AccessAttempt.objects.filter(username="member2").exists()
    other = Client().post("/accounts/login/", {"username": "member3", "password": DEMO_PASSWORD})
    assert other.status_code == 302, "other accounts are not locked"


def test_logout_needs_post_and_ends_the_session(login):
    client = login("member1")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_pages_are_chinese_and_styled_404(login):
    response = login("member1").get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content and "页面不存在" in content
