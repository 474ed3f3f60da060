"""Two-factor sign-in: required for staff and superusers, optional for others, recovery codes,
reset by an admin, off only in the laptop demo settings."""

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cppcc_portal.errors import PermissionDeniedError
from cppcc_portal.models import Notification
from cppcc_portal.twofactor import services
from cppcc_portal.twofactor.views import SETUP_KEY
from tests.builders import DEMO_PASSWORD
from tests.otp_support import code_now, phone, unused_code

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def password_login(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def test_staff_without_a_phone_must_bind_one_before_anything_else(demo):
    TOTPDevice.objects.filter(user=demo["staff"]).delete()
    client = password_login("staff")
    response = client.get("/proposals/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/setup/")
    page = client.get(response["Location"])
    assert "<svg" in page.content.decode() and "确认绑定" in page.content.decode()
    wrong = client.post("/accounts/2fa/setup/", {"token": "000000"})
    assert "验证码不正确" in wrong.content.decode() and not TOTPDevice.objects.filter(user=demo["staff"]).exists()
    device = TOTPDevice(user=demo["staff"], key=client.session[SETUP_KEY])
    done = client.post("/accounts/2fa/setup/", {"token": code_now(device)})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == 10, "ten recovery codes, shown once"
    assert TOTPDevice.objects.filter(user=demo["staff"], confirmed=True).count() == 1
    assert client.get("/proposals/").status_code == 200, "this session is verified"


def test_staff_with_a_phone_give_its_code_after_the_password(demo):
    client = password_login("staff")
    response = client.get("/proposals/review/")
    assert response["Location"] == "/accounts/2fa/verify/?next=%2Fproposals%2Freview%2F"
    wrong = client.post("/accounts/2fa/verify/", {"token": "123456", "next": "/proposals/review/"})
    assert wrong.status_code == 200 and "验证码或恢复码不正确" in wrong.content.decode()
    assert client.get("/proposals/review/").status_code == 302, "a wrong code opens nothing"
    time.sleep(1.1)  # django-otp makes the next try wait after a failure
    good = client.post(
        "/accounts/2fa/verify/", {"token": unused_code(phone(demo["staff"])), "next": "/proposals/review/"}
    )
    assert good["Location"] == "/proposals/review/"
    assert client.get("/proposals/review/").status_code == 200


def test_guessing_codes_is_throttled(demo):
    admin = demo["admin"]  # taken (and its phone's code used) before the guesses throttle the phone
    client = password_login("admin")
    for _ in range(3):
        client.post("/accounts/2fa/verify/", {"token": "000000"})
    response = client.post("/accounts/2fa/verify/", {"token": unused_code(phone(admin))})
    assert "验证失败次数过多" in response.content.decode(), "even the right code waits after failures"


def test_a_recovery_code_works_once(demo):
    services.renew_recovery_codes(actor=demo["admin"])
    code = StaticDevice.objects.get(user=demo["admin"]).token_set.first().token
    first = password_login("admin")
    assert first.post("/accounts/2fa/verify/", {"token": code})["Location"] == "/"
    again = password_login("admin")
    assert "不正确" in again.post("/accounts/2fa/verify/", {"token": code}).content.decode()


def test_members_may_sign_in_with_the_password_alone_or_turn_two_factor_on(demo):
    client = password_login("member1")
    assert client.get("/").status_code == 200, "optional for members"
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice(user=demo["member1"], key=client.session[SETUP_KEY])
    client.post("/accounts/2fa/setup/", {"token": code_now(device)})
    later = password_login("member1")
    assert later.get("/")["Location"].startswith("/accounts/2fa/verify/"), "once on, always asked"
    later.post("/accounts/2fa/verify/", {"token": unused_code(phone(demo["member1"]))})
    later.post("/accounts/2fa/disable/")
    assert not TOTPDevice.objects.filter(user=demo["member1"]).exists()
    assert password_login("member1").get("/").status_code == 200


def test_staff_cannot_turn_it_off(login, demo):
    response = login("staff").post("/accounts/2fa/disable/", follow=True)
    assert "必须使用两步验证" in response.content.decode()
    assert TOTPDevice.objects.filter(user=demo["staff"]).exists()


def test_an_admin_resets_a_lost_phone_and_the_owner_binds_a_new_one(login, demo):
    services.renew_recovery_codes(actor=demo["staff"])
    response = login("admin").post(
        "/admin/members/user/", {"action": "reset_two_factor", "_selected_action": [demo["staff"].pk]}, follow=True
    )
    assert "已处理 1 条" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=demo["staff"]).exists()
    assert not StaticDevice.objects.filter(user=demo["staff"]).exists()
    assert Notification.objects.filter(recipient=demo["staff"], subject="您的两步验证已被重置").exists()
    assert password_login("staff").get("/")["Location"].startswith("/accounts/2fa/setup/")


def test_only_a_superuser_may_reset(demo):
    with pytest.raises(PermissionDeniedError):
        services.reset(actor=demo["staff"], user=demo["member1"])


@override_settings(PORTAL_TWO_FACTOR_ENFORCED=False)
def test_without_enforcement_staff_without_a_phone_sign_in_with_the_password(demo):
    TOTPDevice.objects.filter(user=demo["staff"]).delete()
    assert password_login("staff").get("/").status_code == 200


def test_only_the_laptop_demo_settings_switch_enforcement_off():
    code = "import django; django.setup(); from django.conf import settings; print(settings.PORTAL_TWO_FACTOR_ENFORCED)"
    env_base = {"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "portal.example.org"}
    results = {}
    for name in ("local", "production", "test"):
        env = {**env_base, "DJANGO_SETTINGS_MODULE": f"cppcc_portal.settings.{name}", "DJANGO_DEBUG": "true"}
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        results[name] = out.stdout.strip() or out.stderr
    assert results == {"local": "False", "production": "True", "test": "True"}
    production = {**env_base, "DJANGO_SETTINGS_MODULE": "cppcc_portal.settings.production"}
    production["PORTAL_TWO_FACTOR_ENFORCED"] = "false"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=production, capture_output=True, text=True)
    assert out.stdout.strip() == "True", "production ignores an attempt to switch it off"
