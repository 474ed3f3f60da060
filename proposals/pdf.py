"""The printable proposal form (提案表) as PDF: proposal, proposers, replies, ratings."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def proposal_pdf_bytes(proposal) -> bytes:
    from weasyprint import HTML  # lazy: WeasyPrint (1.9 s, Pango and fonts) loads only when a PDF is made

    html = render_to_string(
        "proposals/proposal_pdf.html",
        {"proposal": proposal, "printed_at": timezone.localtime(), "PORTAL_NAME": settings.PORTAL_NAME},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
