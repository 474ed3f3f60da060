"""The office's documents: 交办单 (PDF), 提案目录 (.xlsx), 提案汇编 and 答复汇编 (.docx).

Each .docx is converted by LibreOffice (``soffice --headless --convert-to pdf``, Debian's
libreoffice-writer-nogui) and the PDF's text is read with pdftotext (poppler-utils), so a
file Word or WPS would have to repair fails here.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from members.models import Organization, PlenarySession
from proposals.enums import REGISTERED_STATES
from proposals.models import Assignment, Proposal
from tests.builders import require
from tests.proposals.access_rules import CLOSED, KEY_EDU, REGISTERED, SPLIT

pytestmark = pytest.mark.django_db


def pdf_text(pdf: Path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=60)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def docx_as_pdf_text(content: bytes, tmp_path: Path) -> str:
    """What LibreOffice prints from the .docx, without whitespace."""
    require(shutil.which("soffice") is not None, "soffice (libreoffice-writer-nogui) is not installed")
    source = tmp_path / "document.docx"
    source.write_bytes(content)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=240,
    )
    pdf = tmp_path / "document.pdf"
    assert pdf.exists(), "LibreOffice could not convert the .docx"
    return pdf_text(pdf)


def session():
    return PlenarySession.current()


def test_compilation_docx_opens_in_libreoffice_with_every_registered_proposal(login, download, tmp_path):
    response = download(login("staff"), f"/proposals/documents/{session().pk}/compilation.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = docx_as_pdf_text(response.content, tmp_path)
    assert "提案汇编" in text and "目录" in text
    registered = Proposal.objects.get(title=REGISTERED)
    assert registered.number in text and REGISTERED in text
    assert re.sub(r"\s+", "", registered.suggestions)[:30] in text
    assert Proposal.objects.filter(session=session(), state__in=REGISTERED_STATES).count() >= 5


def test_replies_docx_opens_in_libreoffice_with_the_units_replies(login, download, tmp_path):
    response = download(login("leader"), f"/proposals/documents/{session().pk}/replies.docx")
    assert response.status_code == 200
    text = docx_as_pdf_text(response.content, tmp_path)
    reply = Assignment.objects.get(proposal__title=CLOSED)
    assert "答复汇编" in text and CLOSED in text
    assert re.sub(r"\s+", "", reply.reply_text)[:30] in text
    assert f"{reply.unit.name}（主办）答复" in text
    assert KEY_EDU not in text  # not replied yet


def test_catalogue_lists_registered_proposals_by_number(login):
    response = login("staff").get(f"/proposals/documents/{session().pk}/catalogue.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "案由", "提案人")
    expected = list(
        Proposal.objects.filter(session=session(), state__in=REGISTERED_STATES)
        .order_by("sequence")
        .values_list("number", flat=True)
    )
    assert [row[0] for row in rows[1:]] == expected
    split = next(row for row in rows if row[1] == SPLIT)
    assert "区教育局（分办）" in split[6] and "区卫生健康委员会（分办）" in split[6]


def test_handover_pdf_lists_the_units_proposals_with_role_and_due_dates(login, download, tmp_path):
    unit = Organization.objects.get(name="区教育局")
    response = download(login("unit_edu"), f"/proposals/documents/{session().pk}/handover/{unit.pk}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    (tmp_path / "handover.pdf").write_bytes(response.content)
    text = pdf_text(tmp_path / "handover.pdf")
    assert "提案交办单" in text and "区教育局" in text
    key = Assignment.objects.get(proposal__title=KEY_EDU, unit=unit)
    assert key.proposal.number in text and f"{key.handling_due:%Y-%m-%d}" in text
    assert "分办" in text and "区卫生健康委员会（分办）" in text  # the split proposal names the other unit
    assert "区卫生健康委员会（主办）" not in text or "关于推进家庭医生签约服务提质增效的建议" not in text


def test_a_unit_cannot_print_another_units_handover(login):
    unit = Organization.objects.get(name="区教育局")
    assert login("unit_health").get(f"/proposals/documents/{session().pk}/handover/{unit.pk}.pdf").status_code == 403


def test_documents_page_lists_units_with_their_counts(login):
    html = login("staff").get("/proposals/documents/").content.decode()
    assert "提案汇编（.docx）" in html and "区教育局" in html


def test_key_report_docx_and_pdf_list_the_key_proposals_with_leaders_and_supervision(login, download, tmp_path):
    key = Proposal.objects.get(title=KEY_EDU)
    client = login("leader")
    text = docx_as_pdf_text(download(client, f"/proposals/documents/{session().pk}/key-report.docx").content, tmp_path)
    assert "重点提案办理情况" in text and KEY_EDU in text and "督办领导" in text and "领办领导" in text
    assert re.sub(r"\s+", "", key.supervisions.first().notes)[:20] in text
    assert "区教育局（主办）" in text
    response = download(client, f"/proposals/documents/{session().pk}/key-report.pdf")
    (tmp_path / "key.pdf").write_bytes(response.content)
    pdf = pdf_text(tmp_path / "key.pdf")
    assert KEY_EDU in pdf and "督办情况" in pdf
    assert (
        Proposal.objects.filter(session=session(), is_key=False, state__in=REGISTERED_STATES).first().title not in pdf
    )


# Every .docx the portal generates, by its URL in the access table, and a phrase its PDF must show.
DOCX_TEXT = {
    "proposals:compilation": "提案汇编",
    "proposals:replies-compilation": "答复汇编",
    "proposals:letter-docx": "答复如下",
    "proposals:key-report-docx": "重点提案办理情况",
    "stats-docx": "提案工作情况",
    "consultations:online-summary-docx": "背景材料",
    "opinions:issue-docx": "区政协办公室",
}


def test_every_generated_docx_opens_in_libreoffice(client, demo, download, tmp_path):
    """A new .docx download (a URL ending in .docx or /docx/) must be added to ``DOCX_TEXT``."""
    from django.urls import reverse

    from tests.access import ROLES
    from tests.test_access import RULES

    seen = set()
    for rule in RULES:
        kwargs = rule.kwargs() if callable(rule.kwargs) else rule.kwargs
        url = reverse(rule.name, kwargs=kwargs)
        if rule.query or not url.endswith((".docx", "/docx/")) or rule.name in seen:
            continue
        seen.add(rule.name)
        assert rule.name in DOCX_TEXT, f"{rule.name} makes a .docx: add it to DOCX_TEXT"
        role = next(r for r in ROLES if r != "anonymous" and rule.status_for(r) == 200)
        client.force_login(demo[role])
        response = download(client, url)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument"), rule.name
        out = tmp_path / rule.name.replace(":", "-")
        out.mkdir()
        assert DOCX_TEXT[rule.name] in docx_as_pdf_text(response.content, out), rule.name
    assert seen == set(DOCX_TEXT)
