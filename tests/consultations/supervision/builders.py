"""Supervision test data, made through the services as the pages make it."""

from __future__ import annotations

import io
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from consultations.models import SupervisionForm, SupervisionPlan
from consultations.supervision import services
from consultations.supervision.models import SupervisionItem
from members.models import Organization, User


def user(username: str) -> User:
    return User.objects.get(username=username)


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def aware(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def make_item(*, form: str = "专项监督", departments=("区教育局",), title: str = "测试监督事项") -> SupervisionItem:
    plan, _ = SupervisionPlan.objects.get_or_create(year=timezone.localdate().year)
    return services.item_create(
        actor=user("staff"),
        plan=plan,
        data={
            "title": title,
            "form": SupervisionForm.objects.get(name=form),
            "departments": [org(name) for name in departments],
        },
    )


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 200, 10)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
