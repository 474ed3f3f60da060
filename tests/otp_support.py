"""Two-factor for tests: a real TOTP device, verified with a real code through django-otp.

``verified(user)`` binds a phone (a TOTP device) for ``user``, checks the code it shows now
with ``device.verify_token`` and sets ``user.otp_device``. When the test client's
``force_login(user)`` signs that user in, ``django_otp.login`` records the device in the
session, exactly as the verify page does. (django-otp's own ``user_logged_in`` handler would,
but the test client's stand-in request has no ``user`` yet; ``_record_verified_device``
gives it one.) Nothing in the settings is switched off for the test run.
"""

from __future__ import annotations

import time

import django_otp
from django.contrib.auth.signals import user_logged_in
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cppcc_portal.twofactor import second_factor_required, services


def code_now(device: TOTPDevice, *, ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def phone(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=services.PHONE, confirmed=True)


def unused_code(device: TOTPDevice) -> str:
    """The code the phone shows now, or the next one if now's was used (each is good once)."""
    device.refresh_from_db()
    current = int((time.time() - device.t0) // device.step)
    ahead = max(0, device.last_t + 1 - current)
    if ahead > device.tolerance:  # the next codes were used too: wait for the phone's next code
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)
        return unused_code(device)
    return code_now(device, ahead=ahead)


def verified(user):
    """``user`` with a verified device attached (for ``force_login``)."""
    device = phone(user)
    assert device.verify_token(unused_code(device))
    user.otp_device = device
    return user


def _record_verified_device(sender, request, user, **kwargs) -> None:
    device = getattr(user, "otp_device", None)
    if device is not None and getattr(request, "user", None) is None:
        request.user = user
        django_otp.login(request, device)


user_logged_in.connect(_record_verified_device, dispatch_uid="tests.otp_support")


def verify_where_required(users) -> None:
    for user in users:
        if second_factor_required(user):
            verified(user)


def give_phones() -> None:
    """Every user who must sign in with a second factor has a phone (two queries): a test that
    signs in with the password alone meets the verify page, not the set-up page."""
    from django.conf import settings
    from django.db.models import Q

    from cppcc_portal.roles import Role
    from members.models import User

    if not settings.PORTAL_TWO_FACTOR_ENFORCED:
        return
    # The users second_factor_required names, in one query.
    without = (
        User.objects.filter(Q(is_superuser=True) | Q(is_staff=True) | Q(groups__name=Role.STAFF))
        .exclude(pk__in=TOTPDevice.objects.filter(confirmed=True).values("user_id"))
        .distinct()
    )
    TOTPDevice.objects.bulk_create(TOTPDevice(user=user, name=services.PHONE, confirmed=True) for user in without)


class VerifiedOnUse(dict):
    """Demo users by username, each with a phone where one is required (``give_phones``); such a
    user's current code is verified when a test first takes that user, so ``force_login`` marks the
    session verified (verifying all of them for every test cost more than most tests' requests)."""

    def __init__(self, users: dict) -> None:
        give_phones()
        super().__init__(users)
        self._verified: set[str] = set()

    def __getitem__(self, username: str):
        user = super().__getitem__(username)
        if username not in self._verified:
            self._verified.add(username)
            verify_where_required([user])
        return user

    def get(self, username: str, default=None):
        return self[username] if username in self else default

    def values(self):
        return [self[username] for username in self]

    def items(self):
        return [(username, self[username]) for username in self]


def fresh_recovery_code(user) -> str:
    """A new single-use recovery code for ``user`` (a browser types it on the verify page)."""
    phone(user)
    device, _ = StaticDevice.objects.get_or_create(user=user, name=services.RECOVERY, defaults={"confirmed": True})
    code = StaticToken.random_token()
    StaticToken.objects.create(device=device, token=code)
    return code
