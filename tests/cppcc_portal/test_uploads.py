"""Uploads are what their bytes say, downloads are named after it, ZIPs are bounded, redirects stay home."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations import demo as d
from consultations.models import Invitation, Session, SessionMaterial
from cppcc_portal import uploads
from members.models import Member
from proposals.models import Attachment, ProposalCategory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def qingni() -> Session:
    return Session.objects.get(title=d.UPCOMING_QINGNI)


def upload_material(login, name: str, content: bytes):
    session = qingni()
    return login("staff").post(
        f"/consultations/sessions/{session.pk}/materials/",
        {"title": "情况通报", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("说明.txt", "纯文本也曾被接受".encode()),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("资料.zip", zip_bytes({"readme.txt": b"any zip was accepted"})),
        ("假文档.docx", zip_bytes({"word/document.xml": b"<w/>"})),  # no [Content_Types].xml
    ],
    # Named by file name: the zips carry their build time, and xdist's workers must collect the same ids.
    ids=["txt", "html", "zip", "docx"],
)
def test_consultation_uploads_refuse_text_and_arbitrary_zips(login, name, content):
    before = SessionMaterial.objects.count()
    response = upload_material(login, name, content)
    assert "只接受 PDF" in response.content.decode()
    assert SessionMaterial.objects.count() == before


def test_a_material_is_stored_and_downloaded_under_its_real_type(login):
    upload_material(login, "会议议程.html", PDF)
    material = SessionMaterial.objects.latest("pk")
    assert material.file.name.endswith("会议议程.pdf")
    response = login("member1").get(f"/consultations/materials/{material.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "%E6%83%85%E5%86%B5%E9%80%9A%E6%8A%A5.pdf" in response["Content-Disposition"]  # 情况通报.pdf


def test_a_proposal_attachment_is_named_after_what_it_really_is(login, demo):
    category = ProposalCategory.objects.first()
    login("member1").post(
        "/proposals/new/",
        {
            "title": "关于规范共享单车停放秩序的建议",
            "category": category.pk,
            "period": "plenary",
            "background": "乱停乱放。",
            "suggestions": "划定停放区域。",
            "attachments": [SimpleUploadedFile("附件.pdf.exe", PDF)],
        },
    )
    attachment = Attachment.objects.get(proposal__title="关于规范共享单车停放秩序的建议")
    assert attachment.original_name == "附件.pdf" and attachment.file.name.endswith(".pdf")
    Attachment.objects.filter(pk=attachment.pk).update(original_name="旧数据.html")  # stored before the fix
    response = login("member1").get(f"/proposals/attachments/{attachment.pk}/")
    assert response["Content-Disposition"].endswith("%E6%97%A7%E6%95%B0%E6%8D%AE.pdf")  # 旧数据.pdf
    assert response["Content-Type"] == "application/pdf"


def test_the_member_import_refuses_a_small_file_that_unpacks_to_a_huge_one(login):
    bomb = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"0" * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024, "well under the 5MB upload limit"
    before = Member.objects.count()
    response = login("staff").post("/members/import/", {"file": SimpleUploadedFile("名册.xlsx", bomb)})
    assert response.status_code == 200 and "解压后过大" in response.content.decode()
    assert Member.objects.count() == before


def test_a_leave_decision_never_redirects_off_site(login):
    invitation = Invitation.objects.get(session__title=d.UPCOMING_QINGNI, member__user__username="leader")
    response = login("staff").post(
        f"/consultations/invitations/{invitation.pk}/leave/",
        {"decision": "approve", "next": "https://evil.example/phish"},
    )
    assert response.status_code == 302 and response["Location"] == invitation.session.get_absolute_url()


def test_names_take_the_extension_of_the_real_kind():
    assert uploads.named_as("报告.pdf.html", uploads.PDF) == "报告.pdf"
    assert uploads.named_as("../../etc/passwd", None) == "passwd.bin"
    assert uploads.named_as("照片", uploads.JPEG) == "照片.jpg"
