"""The statistics page: the sections each app registers (``stats_sections``), for a year."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from .access import permission_required
from .exports import attachment_response, xlsx_response
from .hooks import collect_panels, get_hooks
from .years import chosen_year, year_choices

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
    for fn in get_hooks("stats_sections"):
        if getattr(fn, "stats_key", None) == key:
            panel = fn(request, year)
            if panel is not None:
                return panel
    raise Http404("没有这个统计栏目。")


@permission_required("cppcc_portal.see_stats")
def stats(request: HttpRequest) -> HttpResponse:
    year = _chosen_year(request)
    query = request.GET.copy()
    query.pop("year", None)
    return render(
        request,
        "cppcc_portal/stats.html",
        {
            "year": year,
            "years": labelled_years(),
            "panels": collect_panels("stats_sections", request, year),
            "query_string": request.GET.urlencode(),
        },
    )


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
    from weasyprint import HTML

    year = _chosen_year(request)
    panel = _section(request, section, year)
    body = panel.context["section"]
    if not body.pdf_template:
        raise Http404("该栏目没有打印版。")
    html = render_to_string(
        body.pdf_template,
        {"panel": panel, "section": body, "year": year, "printed_on": timezone.localdate()},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return attachment_response(pdf, f"{year}年{body.pdf_label or panel.title}.pdf", "application/pdf")
