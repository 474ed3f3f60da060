"""The statistics pages: /stats/ opens the first section; /stats/<section>/ shows one, for a year."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import generated_views, writeversion
from ..access import permission_required
from ..exports import xlsx_response
from ..hooks import get_hooks
from ..years import chosen_year, year_choices
from . import kept_documents, section_hook, section_panel, section_tabs

YEARS_BACK = 6


def labelled_years() -> list[tuple[int, str]]:
    """The years offered (the last six, or back to the first plenary session), each labelled
    with its plenary session when there is one."""
    sessions = {year: label for fn in get_hooks("year_labels") for year, label in fn().items()}
    years = year_choices(min([timezone.localdate().year - YEARS_BACK + 1, *sessions]))
    return [(year, f"{year}年" + (f"（{sessions[year]}）" if year in sessions else "")) for year in years]


def _chosen_year(request: HttpRequest) -> int:
    return chosen_year(request, [year for year, _ in labelled_years()])


def _section(request: HttpRequest, key: str, year: int):
    panel = section_panel(request, key, year)
    if panel is None:
        raise Http404("没有这个统计栏目。")
    return panel


@permission_required("cppcc_portal.see_stats")
def stats(request: HttpRequest) -> HttpResponse:
    """The first section, keeping the chosen year."""
    tabs = section_tabs()
    if not tabs:
        body = render_to_string("cppcc_portal/stats_body.html", {"tabs": [], "year": _chosen_year(request)})
        return render(request, "cppcc_portal/stats.html", {"body_html": body})
    url = reverse("stats-section", args=[tabs[0].key])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@permission_required("cppcc_portal.see_stats")
def stats_section_page(request: HttpRequest, section: str) -> HttpResponse:
    """The page below the navigation bar is rendered once per write version (``writeversion``),
    day and query string: shared by everyone who may see the statistics when the section says it
    depends on nothing else (``@stats_section(cached=...)``), else per user. A section whose
    figures move with time faster than the cache lives is rendered every time."""
    hook = section_hook(section)
    if hook is None:
        raise Http404("没有这个统计栏目。")

    def body() -> tuple[str, str]:
        year = _chosen_year(request)
        panel = _section(request, section, year)
        context = {
            "year": year,
            "years": labelled_years(),
            "tabs": section_tabs(),
            "panel": panel,
            "key": section,
            "year_query": f"year={year}",
            "query_string": request.GET.urlencode(),
            "request": request,
        }
        # Rendered without the context processors: the section's template reads only the request's GET.
        return panel.title, render_to_string("cppcc_portal/stats_body.html", context)

    if hook.stats_seconds <= writeversion.SECONDS:
        title, html = body()
    else:
        reader = None if hook.stats_shared else request.user.pk
        parts = (section, reader, timezone.localdate().isoformat(), request.GET.urlencode())
        title, html = writeversion.cached("stats-page", parts, body, request=request)
    body_html = mark_safe(html)  # nosec B308 (our own render)
    return render(request, "cppcc_portal/stats.html", {"title": title, "body_html": body_html})


@permission_required("cppcc_portal.see_stats")
def stats_export(request: HttpRequest, section: str, table: str) -> HttpResponse:
    year = _chosen_year(request)
    panel = _section(request, section, year)
    found = panel.context["section"].table(table)
    if found is None:
        raise Http404("没有这张统计表。")
    return xlsx_response(
        f"{year}年{found.title}.xlsx", found.title, list(found.headers), found.rows, list(found.widths)
    )


@permission_required("cppcc_portal.see_stats")
def stats_pdf(request: HttpRequest, section: str) -> HttpResponse:
    year = _chosen_year(request)
    panel = _section(request, section, year)
    if not panel.context["section"].pdf_template:
        raise Http404("该栏目没有打印版。")
    # Built in the background and kept while the data is unchanged (stats/kept_documents.py).
    return generated_views.offer(
        request, kept_documents.STATS_PDF.key, kept_documents.params_for(request, section, year)
    )


@permission_required("cppcc_portal.see_stats")
def stats_docx(request: HttpRequest, section: str) -> HttpResponse:
    """The section's report as Word, its narrative pre-filled from the figures, for staff to edit
    (built in the background and kept, as the PDF)."""
    year = _chosen_year(request)
    panel = _section(request, section, year)
    if panel.context["section"].docx is None:
        raise Http404("该栏目没有 Word 版。")
    return generated_views.offer(
        request, kept_documents.STATS_DOCX.key, kept_documents.params_for(request, section, year)
    )
