"""Uploads: PDF, Word and images, recognised by their content (not their name), with a size cap."""

from __future__ import annotations

from django import forms

from cppcc_portal import uploads

ALLOWED = (uploads.PDF, uploads.DOC, uploads.DOCX, *uploads.IMAGES.values())
ALLOWED_TEXT = "PDF、Word（.doc/.docx）或图片（JPG/PNG/GIF/BMP/WEBP）"


def detect_type(upload) -> str | None:
    """The MIME type the bytes really are, or None when it is not an allowed kind."""
    kind = uploads.detect(upload)
    return kind.mime if kind in ALLOWED else None


def validate_upload(upload, *, max_mb: int) -> None:
    """Raise a form error in Chinese unless ``upload`` is an allowed file within the size cap.

    The upload is renamed after what it really is (``报告.pdf.exe`` holding a PDF becomes ``报告.pdf``).
    """
    if upload.size > max_mb * 1024 * 1024:
        raise forms.ValidationError(f"文件“{upload.name}”超过{max_mb}MB。")
    if upload.size == 0:
        raise forms.ValidationError(f"文件“{upload.name}”是空文件。")
    kind = uploads.detect(upload)
    if kind not in ALLOWED:
        raise forms.ValidationError(f"文件“{upload.name}”不是{ALLOWED_TEXT}文件。")
    upload.detected_type = kind.mime
    upload.name = uploads.named_as(upload.name, kind)


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
