"""After the password, the second factor: nothing else opens until it is given."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from . import second_factor_required, services

# Reachable before the second factor: the two-factor pages themselves, signing in and out,
# static files and the public pages.
OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/login/", "/accounts/logout/", "/public/")
NO_DEVICE = "portal_otp_none"  # checked once per session: optional and not enabled


class TwoFactorMiddleware:
    """Must come after django_otp's OTPMiddleware (which tells whether the session is verified)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified() or self._open(request.path):
            return self.get_response(request)
        required = second_factor_required(user)
        if not required and request.session.get(NO_DEVICE):
            return self.get_response(request)
        if services.has_second_factor(user):
            return self._to("two-factor-verify", request)
        if required:
            return self._to("two-factor-setup", request)
        request.session[NO_DEVICE] = True
        return self.get_response(request)

    @staticmethod
    def remember_at_sign_in(sender, request, user, **kwargs) -> None:
        """Settle "optional and not enabled" at sign-in, so pages do not ask the database again."""
        if not second_factor_required(user) and not services.has_second_factor(user):
            request.session[NO_DEVICE] = True

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(OPEN_PREFIXES) or path.startswith(settings.STATIC_URL)

    @staticmethod
    def _to(name: str, request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
