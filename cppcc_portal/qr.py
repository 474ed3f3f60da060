"""QR codes as inline SVG (no image files, nothing from outside): check-in codes, phone binding."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(text: str, *, box_size: int = 12) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.find("<svg") :]
