"""Uploaded files, recognised by their bytes: never by their name or what the browser says.

``detect`` names the real kind of a file (PDF, Word/Excel/PowerPoint, an image) or
returns None. Every stored or served file name takes its extension from that kind
(``named_as``), so a page saved as ``report.pdf.html`` or a script called ``photo.jpg``
is neither stored nor handed out under a name that would make the reader's computer
open it as something else.

``check_zip`` bounds what a ZIP container (every .docx or .xlsx) unpacks to, before any
library opens it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image


@dataclass(frozen=True)
class Kind:
    mime: str
    extension: str
    label: str


PDF = Kind("application/pdf", ".pdf", "PDF")
DOC = Kind("application/msword", ".doc", "Word 文档")
XLS = Kind("application/vnd.ms-excel", ".xls", "Excel 表格")
PPT = Kind("application/vnd.ms-powerpoint", ".ppt", "PowerPoint 演示文稿")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word 文档")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel 表格")
PPTX = Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "PowerPoint 演示文稿")
JPEG = Kind("image/jpeg", ".jpg", "JPG 图片")
PNG = Kind("image/png", ".png", "PNG 图片")
GIF = Kind("image/gif", ".gif", "GIF 图片")
BMP = Kind("image/bmp", ".bmp", "BMP 图片")
WEBP = Kind("image/webp", ".webp", "WEBP 图片")

ALL = (PDF, DOC, XLS, PPT, DOCX, XLSX, PPTX, JPEG, PNG, GIF, BMP, WEBP)
BY_MIME = {kind.mime: kind for kind in ALL}
IMAGES = {"JPEG": JPEG, "PNG": PNG, "GIF": GIF, "BMP": BMP, "WEBP": WEBP}
# The part that makes a ZIP an Office Open XML document of each kind.
OOXML_MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
# Legacy Office files are all OLE compound files; the name may say which of the three.
OLE_BY_EXTENSION = {".doc": DOC, ".xls": XLS, ".ppt": PPT}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# A .docx or .xlsx unpacks to a few times its size; a ZIP bomb to thousands of times.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_COMPRESSION_RATIO = 200


class UnsafeArchive(ValueError):
    """The ZIP would unpack to far more than it weighs (a ZIP bomb), or is not a ZIP at all."""


def check_zip(upload, *, max_unpacked: int = MAX_UNPACKED_BYTES) -> list[str]:
    """The member names of a ZIP upload, after checking its unpacked size; rewinds the file."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnsafeArchive("不是有效的压缩文件") from error
    finally:
        upload.seek(0)
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if len(members) > MAX_ZIP_MEMBERS or unpacked > max_unpacked or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise UnsafeArchive("文件解压后过大，疑似异常文件")
    return [member.filename for member in members]


def detect(upload, *, name: str = "") -> Kind | None:
    """The kind the bytes really are, or None when it is none we accept. Rewinds the file."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(OLE_MAGIC):
        return OLE_BY_EXTENSION.get(PurePosixPath(name or getattr(upload, "name", "") or "").suffix.lower(), DOC)
    if head.startswith(ZIP_MAGIC):
        try:
            names = set(check_zip(upload))
        except UnsafeArchive:
            return None
        if "[Content_Types].xml" not in names:
            return None
        return next((kind for part, kind in OOXML_MAIN_PARTS.items() if part in names), None)
    try:
        with Image.open(upload) as image:
            image.verify()
            return IMAGES.get(image.format or "")
    except Exception:  # noqa: BLE001 — Pillow raises many kinds for non-images
        return None
    finally:
        upload.seek(0)


def named_as(name: str, kind: Kind | None) -> str:
    """``name`` with the extension of what the file really is (``.bin`` when unknown)."""
    path = PurePosixPath((name or "文件").replace("\\", "/")).name or "文件"
    stem = path
    while PurePosixPath(stem).suffix and len(PurePosixPath(stem).suffix) <= 6:
        stem = stem[: -len(PurePosixPath(stem).suffix)]
    return f"{stem or '文件'}{kind.extension if kind else '.bin'}"


def file_response(field, filename: str | None = None):
    """Serve a stored file as a download, named and typed after what its bytes are (whatever the
    uploader called it); 404 when it is gone. Callers check access first."""
    from django.http import FileResponse, Http404

    if not field:
        raise Http404("文件不存在。")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    name = filename or field.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    kind = detect(handle, name=name)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=named_as(name, kind),
        content_type=kind.mime if kind else "application/octet-stream",
    )
