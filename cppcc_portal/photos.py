"""Uploaded photos (station activities, supervisors' reports): images only, checked by content (Pillow), never by name."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from django import forms
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from cppcc_portal.errors import ValidationFailed

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 9
MAX_PIXELS = 40_000_000
FORMATS = {  # Pillow format -> (MIME type, extension)
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}
ALLOWED_TEXT = "JPG、PNG、GIF、WEBP"


@dataclass(frozen=True)
class CheckedPhoto:
    upload: UploadedFile
    content_type: str
    extension: str
    width: int
    height: int


def check_photo(upload: UploadedFile) -> CheckedPhoto:
    """The upload as a verified image, or ``ValidationFailed`` naming the file and the reason."""
    name = upload.name or "照片"
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationFailed(f"“{name}”超过 {MAX_PHOTO_BYTES // (1024 * 1024)}MB，请压缩后再上传。")
    if upload.size == 0:
        raise ValidationFailed(f"“{name}”是空文件。")
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ):
        raise ValidationFailed(f"“{name}”不是有效的图片文件，只能上传 {ALLOWED_TEXT} 格式的照片。")
    finally:
        upload.seek(0)
    if image_format not in FORMATS:
        raise ValidationFailed(f"“{name}”的格式（{image_format}）不支持，只能上传 {ALLOWED_TEXT} 格式的照片。")
    if width * height > MAX_PIXELS:
        raise ValidationFailed(f"“{name}”像素过大，请缩小后再上传。")
    content_type, extension = FORMATS[image_format]
    return CheckedPhoto(upload=upload, content_type=content_type, extension=extension, width=width, height=height)


def check_photos(uploads) -> list[CheckedPhoto]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_PHOTOS:
        raise ValidationFailed(f"每次最多上传 {MAX_PHOTOS} 张照片。")
    return [check_photo(upload) for upload in uploads]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png,image/gif,image/webp", "multiple": True})

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        try:
            check_photos(files)
        except ValidationFailed as error:
            raise forms.ValidationError(error.message)
        return files
