"""Tables to .xlsx: one helper for every list page's export; pages to PDF."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from io import BytesIO
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] = ()) -> bytes:
    buffer = BytesIO()
    _write_xlsx(buffer, title, headers, rows, widths)
    return buffer.getvalue()


# A text cell starting with one of these is read by Excel and WPS as a formula
# (``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM(...)``), so a member could plant one in a title.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _keep_as_text(cell) -> None:
    """Store member-typed text as text: a string cell with Excel's quote prefix, never a formula.

    The value stays exactly what was typed (no visible apostrophe); the quote prefix
    keeps it text even when somebody edits the cell later.
    """
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _plain(value):
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def pdf_bytes(request: HttpRequest, html: str) -> bytes:
    """Draw a rendered page as a PDF, its static files found on this site."""
    # Lazy: WeasyPrint (Pango and fonts, about half a second) loads only when a PDF is made.
    from weasyprint import HTML

    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


def attachment_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def xlsx_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence], widths=()
) -> HttpResponse:
    return attachment_response(xlsx_bytes(title, headers, rows, widths), filename, XLSX_TYPE)


def xlsx_streaming_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] = ()
) -> FileResponse:
    """A large table as .xlsx in bounded memory: rows are written as they come (openpyxl's
    write-only mode) into a temporary file, which is then sent in chunks."""
    spool = tempfile.TemporaryFile()
    _write_xlsx(spool, title, headers, rows, widths)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def _write_xlsx(target, title: str, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int]) -> None:
    """Rows are written as they come (openpyxl's write-only mode): linear time and bounded
    memory at any size. (The normal mode's ``sheet[sheet.max_row]`` rescans every cell per row.)"""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, width in enumerate(widths or [16] * len(headers), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_write_only_cell(sheet, header, font=bold) for header in headers])
    for row in rows:
        sheet.append([_value(sheet, value) for value in row])
    workbook.save(target)


def _value(sheet, value):
    """A plain value as it is (no cell object: a fifth faster at 100k rows); only text that
    Excel would read as a formula gets a cell of its own, kept as text."""
    value = _plain(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return _write_only_cell(sheet, value)
    return value


def _write_only_cell(sheet, value, *, font=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    _keep_as_text(cell)
    return cell
