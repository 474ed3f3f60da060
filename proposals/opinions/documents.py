"""A 社情民意 issue as the office prints it (PDF, WeasyPrint) and edits it (.docx, python-docx),
with the proposals' document helpers (fonts, margins, paragraphs)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from ..documents import new_document, paragraphs, to_bytes
from .models import OpinionIssue


def _text(opinion) -> tuple[str, str]:
    """The research office's edited version where there is one, else the member's original."""
    if opinion.is_edited:
        return opinion.report_title or opinion.title, opinion.report_text
    return opinion.title, f"{opinion.situation}\n{opinion.suggestion}"


def issue_items(issue: OpinionIssue) -> list[dict]:
    items = []
    for opinion in issue.opinions.all():
        title, text = _text(opinion)
        author = opinion.organization.name if opinion.organization_id else f"{opinion.author.name}委员"
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        items.append({"title": title, "author": author, "lines": lines})
    return items


def issue_pdf_bytes(issue: OpinionIssue) -> bytes:
    # Lazy: WeasyPrint (1.9 s, Pango and fonts) loads only when a document is made, not at every start-up.
    from weasyprint import HTML

    html = render_to_string(
        "proposals/opinions/issue_pdf.html",
        {"issue": issue, "items": issue_items(issue), "PORTAL_NAME": settings.PORTAL_NAME},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def issue_docx(issue: OpinionIssue) -> bytes:
    # Lazy: python-docx (0.3 s) loads only when a document is made, not at every start-up.
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = new_document()
    heading = document.add_paragraph(issue.get_kind_display(), style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = document.add_paragraph(
        f"{issue.year}年第{issue.number}期" + (f"（总第{issue.total_number}期）" if issue.total_number else "")
    )
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = document.add_paragraph(f"区政协办公室　　　　{issue.compiled_on:%Y年%-m月%-d日}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if issue.editor_note:
        document.add_paragraph(f"编者按：{issue.editor_note}")
    for item in issue_items(issue):
        document.add_heading(item["title"], level=1)
        paragraphs(document, "\n".join(item["lines"]))
        document.add_paragraph(f"（{item['author']}反映）")
    recipients = "、".join(d.recipient for d in issue.deliveries.all())
    if recipients:
        document.add_paragraph(f"报送：{recipients}")
    return to_bytes(document)
