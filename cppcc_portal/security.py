"""Sign-in protection: the client's real address behind the proxy, and lockout limits.

Behind nginx, ``REMOTE_ADDR`` is the proxy. Each trusted proxy appends the address it
received the request from to ``X-Forwarded-For``; the right-most ``PORTAL_PROXY_COUNT``
entries were written by our own proxies and can be trusted, anything to their left was
written by the client and cannot. So the client is the entry our outermost proxy
appended: the ``PORTAL_PROXY_COUNT``-th from the right.

Lockout counts failures three ways (``AXES_LOCKOUT_PARAMETERS``), each with its own
limit per cool-off period (``PORTAL_LOCKOUT_LIMITS``):

- username + address: a person mistyping their password (the strictest);
- address alone: one machine trying many accounts;
- username alone, much higher: a password guessed from many addresses. It is high so
  that one attacker cannot keep somebody else's account locked: they hit their own
  address limit long before.
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address of the browser, as the first of our trusted proxies saw it."""
    proxies = settings.PORTAL_PROXY_COUNT
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    if proxies <= 0:
        return remote
    chain = [item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if len(chain) < proxies:
        return remote  # not through the proxy (e.g. a health check on the host itself)
    return _valid(chain[-proxies]) or remote


def parameter_key(parameter: str | list[str]) -> str:
    return parameter if isinstance(parameter, str) else "+".join(parameter)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with one limit per lockout parameter.

    Axes compares the largest failure count over all parameters with one limit
    (``AXES_FAILURE_LIMIT``). Each count is scaled so that it reaches that limit exactly
    when it reaches its own.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        common = settings.AXES_FAILURE_LIMIT
        limits = settings.PORTAL_LOCKOUT_LIMITS
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            worst = max(worst, count * common // limits[parameter_key(parameter)])
        return worst
