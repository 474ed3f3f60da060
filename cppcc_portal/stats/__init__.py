"""Statistics (统计): one name, ``stats``, for the whole idea.

* ``cppcc_portal.stats`` (this module): the building blocks, ``Section``,
  ``StatTable``, the charts and ``@stats_section``.
* ``cppcc_portal.stats.views``: the pages. ``/stats/`` opens the first section;
  each section is its own page ``/stats/<section>/`` (tabs between them), with
  its figures, then its charts, then its tables.
* ``<app>/stats.py``: each app's sections, registered with
  ``@stats_section(key, title, order)`` into the one hook ``stats_sections``
  (the ``stats`` modules are imported by ``PortalConfig.ready``).

A section function receives (request, year) and returns a ``Section``: headline
figures, charts (server-side SVG from pygal, so they print into PDFs too) and
tables. Only the section being shown is computed. Every table can be downloaded
as .xlsx at ``/stats/<section>/<table>.xlsx``; a section that sets
``pdf_template`` can be printed at ``/stats/<section>/pdf/``, and one that sets
``docx`` downloaded as an editable Word file at ``/stats/<section>/docx/``.

Numbers must come from the database (``aggregate``, ``values().annotate()``,
conditional ``Count(filter=Q(...))``); sections never iterate model rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pygal
from pygal.style import Style

from ..hooks import Panel, get_hooks, register
from .cache import DEFAULT_SECONDS, cached_section

FONT = "Noto Sans CJK SC"
CHART_STYLE = Style(
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    tooltip_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    no_data_font_family=FONT,
    background="transparent",
    plot_background="transparent",
    colors=("#b02a37", "#d9822b", "#2f6f9f", "#4c9a6a", "#7a5c99", "#8c8c8c", "#c9a227", "#3b8ea5"),
    title_font_size=16,
    label_font_size=12,
    legend_font_size=12,
    value_font_size=11,
)


@dataclass
class StatTable:
    key: str
    title: str
    headers: Sequence[str]
    rows: list[Sequence[Any]]
    widths: Sequence[int] = ()
    note: str = ""
    page_limit: int = 100  # rows shown on the page; the .xlsx export always has them all

    @property
    def shown(self) -> list[Sequence[Any]]:
        return self.rows[: self.page_limit]

    @property
    def truncated(self) -> bool:
        return len(self.rows) > self.page_limit


@dataclass
class Section:
    figures: list[tuple[str, Any]] = field(default_factory=list)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (title, inline SVG)
    tables: list[StatTable] = field(default_factory=list)
    pdf_template: str = ""
    pdf_label: str = ""
    controls: list[dict] = field(default_factory=list)  # extra GET inputs: {"name", "label", "value"}
    # A Word version for staff to edit: ``docx(year=, section=) -> bytes``, at /stats/<section>/docx/.
    docx: Callable[..., bytes] | None = None
    docx_label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_docx(self) -> bool:  # templates call callables, so they ask this instead of ``docx``
        return self.docx is not None

    def table(self, key: str) -> StatTable | None:
        return next((table for table in self.tables if table.key == key), None)


def stats_section(
    key: str, title: str, order: int = 100, *, cached: Sequence[str] | None = None, seconds: int = DEFAULT_SECONDS
) -> Callable:
    """Register ``fn(request, year) -> Section | None`` as a section of /stats/.

    ``cached=(GET names...)`` keeps what it computed under the write version of the tables the
    statistics read (``stats.cache``), the day, the year and those GET parameters: only for a
    section that depends on nothing else (not on the user) and reads only ``STATS_TABLES``.
    ``seconds`` bounds how long, for figures that change as time passes with no write."""

    def decorator(fn: Callable) -> Callable:
        def panel(request, year: int) -> Panel | None:
            if cached is None:
                section = fn(request, year)
            else:
                section = cached_section(key, year, cached, request, lambda: fn(request, year), seconds)
            if section is None:
                return None
            return Panel(
                "cppcc_portal/stats_section.html",
                {"key": key, "section": section, "year": year},
                order=order,
                title=title,
            )

        panel.stats_key = key
        panel.stats_title = title
        panel.stats_order = order
        # The same for every user who may see the statistics, and how long it may lag behind time.
        panel.stats_shared = cached is not None
        panel.stats_seconds = seconds
        panel.__name__ = f"stats_{key}"
        register("stats_sections", panel)
        return fn

    return decorator


@dataclass(frozen=True)
class SectionTab:
    key: str
    title: str
    order: int


def section_tabs() -> list[SectionTab]:
    """The registered sections in order, without computing any of them."""
    tabs = [SectionTab(fn.stats_key, fn.stats_title, fn.stats_order) for fn in get_hooks("stats_sections")]
    return sorted(tabs, key=lambda tab: (tab.order, tab.key))


def section_hook(key: str) -> Callable | None:
    """The registered section function of ``key`` (its ``stats_*`` attributes describe it)."""
    return next((fn for fn in get_hooks("stats_sections") if fn.stats_key == key), None)


def section_panel(request, key: str, year: int) -> Panel | None:
    """Compute one section (None when there is no such section or it has nothing for this request)."""
    for fn in get_hooks("stats_sections"):
        if fn.stats_key == key:
            return fn(request, year)
    return None


def _render(chart) -> str:
    # pygal always embeds a small configuration <script>; the charts need no script and the
    # Content-Security-Policy forbids inline ones, so it goes.
    svg = chart.render(is_unicode=True, disable_xml_declaration=True)
    return re.sub(r"<script\b.*?</script>", "", svg, flags=re.DOTALL)


def _config(title: str, **options):
    return {
        "title": title,
        "style": CHART_STYLE,
        "js": [],  # no external scripts: the SVG must work offline and in PDFs
        "disable_xml_declaration": True,
        "width": 640,
        "height": 320,
        "print_values": True,
        "legend_at_bottom": True,
        **options,
    }


def _frozen(series: dict[str, Sequence[float]]) -> tuple:
    return tuple((name, tuple(float(v or 0) for v in values)) for name, values in series.items())


def bar_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[float]], **options) -> str:
    return _bar_svg(title, tuple(labels), _frozen(series), tuple(sorted(options.items())))


def horizontal_bar_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[float]], **options) -> str:
    """Bars across: long CJK labels (stations, units) stay readable."""
    return _horizontal_bar_svg(title, tuple(labels), _frozen(series), tuple(sorted(options.items())))


def pie_chart(title: str, slices: Sequence[tuple[str, float]], **options) -> str:
    frozen = tuple((label, float(value or 0)) for label, value in slices)
    return _pie_svg(title, frozen, tuple(sorted(options.items())))


# Drawing a chart costs pygal tens of milliseconds; the same figures draw the same SVG, so
# each process keeps the recent ones, keyed by everything that goes into the drawing.
CHART_CACHE_SIZE = 512


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _bar_svg(title: str, labels: tuple, series: tuple, options: tuple) -> str:
    rotate = len(labels) > 6
    chart = pygal.Bar(
        **_config(
            title,
            x_label_rotation=30 if rotate else 0,
            truncate_label=8,
            height=360 if rotate else 320,
            **dict(options),
        )
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _render(chart)


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _horizontal_bar_svg(title: str, labels: tuple, series: tuple, options: tuple) -> str:
    chart = pygal.HorizontalBar(
        **_config(
            title,
            show_legend=len(series) > 1,
            truncate_label=-1,
            margin_left=12 * max((len(label) for label in labels), default=0) // 2,  # CJK labels are wide
            height=max(240, (18 + 10 * len(series)) * len(labels) + 90),
            **dict(options),
        )
    )
    # pygal draws the first label at the bottom; reverse so the table's first row is on top.
    chart.x_labels = list(reversed(labels))
    for name, values in series:
        chart.add(name, list(reversed(values)))
    return _render(chart)


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _pie_svg(title: str, slices: tuple, options: tuple) -> str:
    chart = pygal.Pie(**_config(title, inner_radius=0.45, **dict(options)))
    for label, value in slices:
        chart.add(label, value)
    return _render(chart)


def rate(part: int | None, whole: int | None) -> str:
    """“12.5%”, or “—” when there is nothing to divide by."""
    if not whole:
        return "—"
    return f"{100 * (part or 0) / whole:.1f}%"
