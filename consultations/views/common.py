"""Helpers the consultation views share: run a service, show its error, stream a file."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect, render

from cppcc_portal import uploads
from cppcc_portal.forms import report_form_errors, run_service


def _submit(request: HttpRequest, form, action: Callable, success: str, *, back, as_data: bool = False, **kwargs):
    """A small POSTed form: when valid, hand its fields to the service (spread, or as ``data=``),
    else say what is wrong; back to ``back`` either way."""
    if form.is_valid():
        fields = {"data": form.cleaned_data} if as_data else form.cleaned_data
        run_service(request, action, success, **kwargs, **fields)
    else:
        report_form_errors(request, form)
    return redirect(back)


def _save_page(request: HttpRequest, form, action: Callable, success: str, *, title: str, back: str, **kwargs):
    """A create or edit page: a valid POST saves through the service (``data=``) and goes to what
    was saved; otherwise the form again."""
    if request.method == "POST" and form.is_valid():
        saved = run_service(request, action, success, data=dict(form.cleaned_data), **kwargs)
        if saved:
            return redirect(saved)
    return _form_page(request, title=title, form=form, back=back)


def _member_or_403(request: HttpRequest):
    """Member-only pages: a superuser passes every rule but has no member profile."""
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied("只有委员可以使用此功能。")
    return member


def _form_page(request, *, title: str, form, back: str, formset=None, multipart: bool = False, intro: str = ""):
    return render(
        request,
        "consultations/form.html",
        {"title": title, "form": form, "formset": formset, "back": back, "multipart": multipart, "intro": intro},
    )


def _stream(field, filename: str | None = None):
    return uploads.file_response(field, filename)
