"""Two-factor sign-in (两步验证) with django-otp: a TOTP app on the phone, plus recovery codes.

Required for superusers and 机关工作人员 (``PORTAL_TWO_FACTOR_ENFORCED``, on everywhere except
the laptop demo in ``settings.local``); optional for everybody else. Whoever has a confirmed
device, required or not, is asked for a code after the password.
"""

from __future__ import annotations

from django.conf import settings

from cppcc_portal.roles import Role


def second_factor_required(user) -> bool:
    """Must this person have a second factor before using the portal?"""
    if not settings.PORTAL_TWO_FACTOR_ENFORCED or not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or user.has_role(Role.STAFF))
