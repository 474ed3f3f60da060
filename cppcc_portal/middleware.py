from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

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
    from django.utils.http import url_has_allowed_host_and_scheme

    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})


def safe_next(request: HttpRequest, default: str) -> str:
    """The posted ``next`` when it points into this site, else ``default`` (no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target and url_is_local(request, target) else default
