import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from cppcc_portal.roles import Role

from .errors import ApplicationError


class ApplicationErrorMiddleware:
    """Turn an uncaught ``ApplicationError`` into a message and a redirect back.

    Views normally catch these themselves to re-render their form; this is the
    safety net that keeps a domain error from ever becoming a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        messages.error(request, exception.message)
        referer = request.META.get("HTTP_REFERER", "")
        if referer and url_is_local(request, referer):
            return HttpResponseRedirect(referer)
        return HttpResponseRedirect(request.path if request.method == "POST" else "/")


def url_is_local(request: HttpRequest, url: str) -> bool:
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})


def safe_next(request: HttpRequest, default: str) -> str:
    """The posted ``next`` when it points into this site, else ``default`` (no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target and url_is_local(request, target) else default


class SessionTimeoutMiddleware:
    """Sign people out after a quiet spell, and everybody after an absolute limit.

    Staff, handling-unit users and admins can change the most, so their quiet spell is
    shorter (``PORTAL_IDLE_TIMEOUT_PRIVILEGED``) than members' (``PORTAL_IDLE_TIMEOUT``).
    The last-seen time is written at most once a minute, so a busy page does not write
    the session on every request.
    """

    STARTED, SEEN = "portal_started", "portal_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.STARTED, now)
            seen = request.session.get(self.SEEN, now)
            idle = idle_limit(user)
            if now - seen > idle or now - started > settings.PORTAL_SESSION_MAX_AGE:
                logout(request)
                messages.info(
                    request, f"您已{idle // 60}分钟未操作或登录已超过时限，为保护账号安全已自动退出，请重新登录。"
                )
                return redirect_to_login(request.get_full_path())
            if now - seen >= 60 or self.SEEN not in request.session:
                request.session[self.SEEN] = now
        return self.get_response(request)


def stamp_new_session(sender, request, user, **kwargs) -> None:
    """At sign-in: the session's start and last-seen times (so its first page writes nothing)."""
    now = int(time.time())
    request.session[SessionTimeoutMiddleware.STARTED] = now
    request.session[SessionTimeoutMiddleware.SEEN] = now


def idle_limit(user) -> int:
    privileged = user.is_superuser or user.is_staff or user.has_role(Role.STAFF) or user.has_role(Role.UNIT)
    return settings.PORTAL_IDLE_TIMEOUT_PRIVILEGED if privileged else settings.PORTAL_IDLE_TIMEOUT


class PdfThrottleMiddleware:
    """At most ``PORTAL_PDF_PER_MINUTE`` PDFs a minute per person: every view whose URL is
    named ``pdf`` or ``…-pdf`` draws one with weasyprint, which takes seconds of CPU."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or not is_pdf_url(match.url_name or ""):
            return None
        who = request.user.pk if request.user.is_authenticated else request.META.get("REMOTE_ADDR", "")
        key = pdf_throttle_key(who)
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            count = 1
        if count > settings.PORTAL_PDF_PER_MINUTE:
            return render(request, "429.html", {"limit": settings.PORTAL_PDF_PER_MINUTE}, status=429)
        return None


def pdf_throttle_key(who, now: float | None = None) -> str:
    return f"pdf-throttle:{who}:{int(now or time.time()) // 60}"


def is_pdf_url(url_name: str) -> bool:
    return url_name == "pdf" or url_name.endswith("-pdf")
