"""Small builders for station tests: real images made with Pillow, and fake ones."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(name: str = "photo.jpg", fmt: str = "JPEG", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def fake_image(name: str = "photo.jpg") -> SimpleUploadedFile:
    """A file named like a photo that is not one (a script, say)."""
    return SimpleUploadedFile(name, b"#!/bin/sh\necho not an image\n" * 10, content_type="image/jpeg")


def big_image(name: str = "big.png") -> SimpleUploadedFile:
    """A real PNG padded past the size limit."""
    upload = image_upload(name, "PNG")
    data = upload.read() + b"\0" * (5 * 1024 * 1024 + 1)
    return SimpleUploadedFile(name, data, content_type="image/png")


def stored_files(root) -> list:
    """Every file under ``root`` (none when it does not exist)."""
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
