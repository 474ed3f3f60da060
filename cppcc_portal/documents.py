"""Word documents the office edits: an A4 page whose styles name Chinese fonts, text as indented
paragraphs, a centred title (python-docx). Every app's .docx starts here."""

from __future__ import annotations

from io import BytesIO

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "宋体"
HEADING_FONT = "黑体"


class Document:
    """A python-docx document that adds paragraphs and headings at its end in constant time;
    everything else is python-docx's own.

    python-docx's ``add_paragraph`` looks for the body's closing section properties among all the
    paragraphs so far, and finds the paragraph style by name each time: adding n paragraphs costs
    n², which made a district session's 提案汇编 (thousands of proposals) run for most of an hour."""

    def __init__(self, document) -> None:
        self._document = document
        self._end = document.element.body.sectPr
        self._style_ids: dict[str, str] = {}

    def __getattr__(self, name: str):
        return getattr(self._document, name)

    def add_paragraph(self, text: str = "", style: str | None = None):
        # Lazy: python-docx (0.3 s) loads only when a document is made, not at every start-up.
        from docx.oxml.parser import OxmlElement
        from docx.text.paragraph import Paragraph

        element = OxmlElement("w:p")
        self._end.addprevious(element)
        paragraph = Paragraph(element, self._document._body)
        if style is not None:
            if style not in self._style_ids:
                self._style_ids[style] = self._document.styles[style].style_id
            element.style = self._style_ids[style]
        if text:
            paragraph.add_run(text)
        return paragraph

    def add_heading(self, text: str = "", level: int = 1):
        return self.add_paragraph(text, "Title" if level == 0 else f"Heading {level}")


def new_document() -> Document:
    """A blank A4 document whose styles name Chinese fonts for East Asian text."""
    # Lazy: python-docx (0.3 s) loads only when a document is made, not at every start-up.
    from docx import Document as new_docx
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = new_docx()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    for name, font, size in (
        ("Normal", BODY_FONT, 14),
        ("Title", HEADING_FONT, 22),
        ("Heading 1", HEADING_FONT, 16),
        ("Heading 2", HEADING_FONT, 14),
    ):
        style = document.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return Document(document)


def paragraphs(document, text: str) -> None:
    """Each line of ``text`` as its own paragraph, indented two characters as Chinese documents are."""
    # Lazy: python-docx (0.3 s) loads only when a document is made, not at every start-up.
    from docx.shared import Pt

    for line in (text or "").splitlines():
        if line.strip():
            paragraph = document.add_paragraph(line.strip())
            paragraph.paragraph_format.first_line_indent = Pt(28)


def to_bytes(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def title(document, title: str, subtitle: str) -> None:
    # Lazy: python-docx (0.3 s) loads only when a document is made, not at every start-up.
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    heading = document.add_paragraph(title, style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = document.add_paragraph(subtitle)
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
