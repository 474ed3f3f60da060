"""The statistics reports' PDF and Word file (/stats/<section>/pdf/ and docx/), built in the background and kept
(``cppcc_portal.generated``): a year's 提案工作情况报告 prints every table of the section, which
takes WeasyPrint tens of seconds at a district's size."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.utils import timezone

from ..documents import DOCX_TYPE
from ..errors import ApplicationError
from ..generated import DocumentKind, register_document
from . import section_panel


def params_for(request, section: str, year: int) -> dict:
    """What makes one PDF differ from another: the section, the year, the page's other inputs
    (a section's ``controls``), and the day (rates and counts are as of today)."""
    query = sorted((k, v) for k, v in request.GET.items() if k != "year")
    return {"section": section, "year": year, "query": query, "on": timezone.localdate().isoformat()}


def _section(params: dict, user):
    request = HttpRequest()  # the section reads its inputs from a request, as on the page
    request.method, request.path = "GET", f"/stats/{params['section']}/pdf/"
    request.GET = QueryDict(mutable=True)
    for key, value in params["query"]:
        request.GET[key] = value
    request.user = user or AnonymousUser()
    panel = section_panel(request, params["section"], params["year"])
    if panel is None:
        raise ApplicationError("没有这个统计栏目。")
    return request, panel, panel.context["section"]


def _build_pdf(params: dict, user) -> tuple[bytes, str]:
    # Lazy: WeasyPrint (Pango and fonts) loads only when a PDF is made.
    from weasyprint import HTML

    request, panel, body = _section(params, user)
    if not body.pdf_template:
        raise ApplicationError("该统计栏目没有打印版。")
    year = params["year"]
    html = render_to_string(
        body.pdf_template,
        {"panel": panel, "section": body, "year": year, "printed_on": timezone.localdate()},
        request=request,
    )
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf, f"{year}年{body.pdf_label or panel.title}.pdf"


def _sees_stats(user, params: dict) -> bool:
    return user.has_perm("cppcc_portal.see_stats")


STATS_PDF = register_document(DocumentKind("stats.pdf", "统计报告（PDF）", "application/pdf", _build_pdf, _sees_stats))


def _build_docx(params: dict, user) -> tuple[bytes, str]:
    _request, panel, body = _section(params, user)
    if body.docx is None:
        raise ApplicationError("该统计栏目没有 Word 版。")
    year = params["year"]
    return body.docx(year=year, section=body), f"{year}年{body.docx_label or panel.title}.docx"


STATS_DOCX = register_document(DocumentKind("stats.docx", "统计报告（Word）", DOCX_TYPE, _build_docx, _sees_stats))
