"""Uploads: PDF, Word and images, recognised by their content (not their name), with a size cap."""

from __future__ import annotations

from cppcc_portal import uploads
from cppcc_portal.forms import MultipleFileField, check_upload

__all__ = ["ALLOWED", "ALLOWED_TEXT", "MultipleFileField", "detect_type", "validate_upload"]

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
    check_upload(upload, allowed=ALLOWED, allowed_text=ALLOWED_TEXT, max_mb=max_mb)
