"""The two-factor pages under /accounts/2fa/: bind a phone, enter a code, recovery codes."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from cppcc_portal.errors import ApplicationError
from cppcc_portal.middleware import safe_next
from cppcc_portal.qr import qr_svg

from . import second_factor_required, services
from .forms import TokenForm

SETUP_KEY = "portal_otp_setup_key"


def _verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "twofactor/overview.html",
        {
            "enabled": services.has_second_factor(request.user),
            "required": second_factor_required(request.user),
            "recovery_left": sum(
                d.token_set.count() for d in services.confirmed_devices(request.user) if hasattr(d, "token_set")
            ),
        },
    )


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Bind a phone: scan the QR code, type the code it shows; then the recovery codes, once."""
    if services.has_second_factor(request.user) and not _verified(request):
        return redirect("two-factor-verify")  # rebinding needs the current phone first
    key = request.session.get(SETUP_KEY) or default_key()
    request.session[SETUP_KEY] = key
    form = TokenForm(request.POST or None, label="手机上显示的6位验证码")
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enrol(actor=request.user, key=key, token=form.cleaned_data["token"])
        except ApplicationError as error:
            form.add_error("token", error.message)
        else:
            request.session.pop(SETUP_KEY, None)
            request.session.pop("portal_otp_none", None)
            django_otp.login(request, TOTPDevice.objects.get(user=request.user, confirmed=True))
            messages.success(request, "两步验证已开启。")
            return render(request, "twofactor/recovery_codes.html", {"codes": codes, "next": safe_next(request, "/")})
    device = TOTPDevice(user=request.user, key=key)
    return render(
        request,
        "twofactor/setup.html",
        {
            "form": form,
            "qr_svg": qr_svg(device.config_url, box_size=10),
            "secret": _grouped(device.config_url.split("secret=", 1)[1].split("&", 1)[0]),
            "required": second_factor_required(request.user),
            "next": request.GET.get("next", ""),
        },
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the phone, or one recovery code."""
    target = safe_next(request, "/")
    if _verified(request):
        return redirect(target)
    if not services.has_second_factor(request.user):
        return redirect("two-factor-setup") if second_factor_required(request.user) else redirect(target)
    form = TokenForm(request.POST or None, label="验证码或恢复码")
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify(actor=request.user, token=form.cleaned_data["token"])
        except ApplicationError as error:
            form.add_error("token", error.message)
        else:
            django_otp.login(request, device)
            if device.name == services.RECOVERY:
                messages.warning(
                    request, "您使用了一个恢复码，每个恢复码只能用一次。如手机丢失，请重新绑定或联系管理员。"
                )
            return redirect(target)
    return render(request, "twofactor/verify.html", {"form": form, "next": target})


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """POST: ten new recovery codes, shown once (the old ones stop working)."""
    if request.method != "POST":
        return redirect("two-factor")
    try:
        codes = services.renew_recovery_codes(actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("two-factor")
    return render(request, "twofactor/recovery_codes.html", {"codes": codes, "next": "/"})


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    try:
        services.disable(actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "两步验证已关闭。")
    return redirect("two-factor")
