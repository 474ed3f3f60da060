"""What every app's forms share."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from . import uploads
from .access import require
from .errors import ApplicationError

HIDDEN_FIELD_MESSAGE = "页面信息不完整或已过期，请返回上一页刷新后重新操作。"


class HiddenFieldErrorsMixin:
    """A hidden field (the page's version, the form token …) that fails shows nothing on the page:
    say in words that the page is stale or incomplete instead of silently showing the form again."""

    def clean(self):
        data = super().clean()
        if any(name in self.errors for name, field in self.fields.items() if field.widget.is_hidden):
            self.add_error(None, HIDDEN_FIELD_MESSAGE)
        return data


def form_token_field() -> forms.UUIDField:
    """A hidden token, new each time the form is drawn: the service files once per token, so the
    same form sent twice (a double click, a phone's offline outbox sending again) files one item.
    static/js/offline.js keeps a form with ``data-offline`` on the phone while it is offline."""
    return forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python: Django renders each ``<option>`` through a template,
    which on a list page's filter bar cost more than the rest of the page."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options),
            )
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group, html) if group else html)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((g,) for g in groups)),
        )


class QuickSelectMultiple(QuickSelect, forms.SelectMultiple):
    """``QuickSelect`` for a ``<select multiple>`` (``get_context`` adds the ``multiple`` attribute)."""


def quick_selects(form: forms.Form) -> None:
    """Every plain ``<select>`` of ``form`` (a list page's filters) rendered by ``QuickSelect``."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = QuickSelect


def report_form_errors(request, form) -> None:
    """Each of a form's errors as a message, labelled in Chinese: for pages that redirect or that
    lay out their inputs by hand (the errors would not show next to the fields)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))


def run_service(request, action: Callable, success: str, **kwargs):
    """Call a service as the request's user: its result (``True`` for none) with ``success`` as the
    message, or ``None`` with the domain error as the message."""
    try:
        result = action(actor=request.user, **kwargs)
    except ApplicationError as error:
        messages.error(request, error.message)
        return None
    messages.success(request, success)
    return result if result is not None else True


def manager_form(request, perm: str, form_class, **kwargs):
    """A list page's inline form, for users with ``perm``; ``None`` for the others, whose POST is refused."""
    if request.method == "POST":
        require(request.user, perm)
    return form_class(request.POST or None, **kwargs) if request.user.has_perm(perm) else None


__all__ = [
    "HIDDEN_FIELD_MESSAGE",
    "HiddenFieldErrorsMixin",
    "form_token_field",
    "forms",
    "manager_form",
    "report_form_errors",
    "run_service",
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def check_upload(upload, *, allowed, allowed_text: str, max_mb: int) -> None:
    """Raise a form error in Chinese unless ``upload`` is one of the ``allowed`` kinds within the
    size cap. The upload is renamed after what it really is (``报告.pdf.exe`` holding a PDF becomes
    ``报告.pdf``) and remembers its real type (``detected_type``)."""
    if upload.size > max_mb * 1024 * 1024:
        raise forms.ValidationError(f"文件“{upload.name}”超过{max_mb}MB。")
    if upload.size == 0:
        raise forms.ValidationError(f"文件“{upload.name}”是空文件。")
    kind = uploads.detect(upload)
    if kind not in allowed:
        raise forms.ValidationError(f"文件“{upload.name}”不是{allowed_text}文件。")
    upload.detected_type = kind.mime
    upload.name = uploads.named_as(upload.name, kind)
