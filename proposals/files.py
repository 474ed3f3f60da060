"""Uploads: PDF, Word and images, recognised by their content (not their name), with a size cap."""

from __future__ import annotations

import zipfile

from django import forms

PDF = b"%PDF-"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc
ZIP = b"PK\x03\x04"
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "BMP": "image/bmp", "WEBP": "image/webp"}
ALLOWED_TEXT = "PDF、Word（.doc/.docx）或图片（JPG/PNG/GIF/BMP/WEBP）"


def detect_type(upload) -> str | None:
    """The MIME type the bytes really are, or None when it is not an allowed kind."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF):
        return "application/pdf"
    if head.startswith(OLE):
        return "application/msword"
    if head.startswith(ZIP):
        try:
            with zipfile.ZipFile(upload) as archive:
                if "word/document.xml" in archive.namelist():
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        return None
    try:
        from PIL import Image

        with Image.open(upload) as image:
            image.verify()
            kind = IMAGE_TYPES.get(image.format or "")
    except Exception:  # noqa: BLE001 — Pillow raises many kinds for non-images
        kind = None
    finally:
        upload.seek(0)
    return kind


def validate_upload(upload, *, max_mb: int) -> None:
    """Raise a form error in Chinese unless ``upload`` is an allowed file within the size cap."""
    if upload.size > max_mb * 1024 * 1024:
        raise forms.ValidationError(f"文件“{upload.name}”超过{max_mb}MB。")
    if upload.size == 0:
        raise forms.ValidationError(f"文件“{upload.name}”是空文件。")
    kind = detect_type(upload)
    if kind is None:
        raise forms.ValidationError(f"文件“{upload.name}”不是{ALLOWED_TEXT}文件。")
    upload.detected_type = kind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
