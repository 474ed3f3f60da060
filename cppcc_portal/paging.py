"""One page of a list, from the request's page number; a list page rendered with it."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def paginate(request: HttpRequest, items, per_page: int, *, param: str = "page", count: int | None = None) -> Page:
    """The page of ``items`` that ``?<param>=`` asks for; a missing or bad number gives the first
    page, one past the end the last (Django's ``get_page``). ``count``, when the caller knows how
    many ``items`` there are (a cached total), is not asked of the database again."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached_property: this is its value
    return paginator.get_page(request.GET.get(param))


def page_window(request: HttpRequest, per_page: int, *, param: str = "page") -> tuple[int, int]:
    """The rows ``[start, stop)`` that ``paginate`` will most likely show (the asked-for page, or the
    first), for lists that can read a page together with their count."""
    number = request.GET.get(param, "")
    page = int(number) if number.isdigit() and int(number) > 0 else 1
    return (page - 1) * per_page, page * per_page


def query_without_page(request: HttpRequest, *, param: str = "page") -> str:
    """The request's query string less the page number: what the pager's links carry along."""
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


def render_list(
    request: HttpRequest, template: str, items, per_page: int, *, count: int | None = None, **context
) -> HttpResponse:
    """A list page: ``page``, the page of ``items`` asked for (``count`` of them, when known), and
    ``query_string``, what the pager's links carry along, beside ``context``."""
    page = paginate(request, items, per_page, count=count)
    return render(request, template, {"page": page, "query_string": query_without_page(request), **context})
