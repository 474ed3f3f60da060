"""Every write of two-factor state: enrol a phone, use a code, renew recovery codes, reset."""

from __future__ import annotations

from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed
from cppcc_portal.notifications import notify

from . import second_factor_required

PHONE = "手机验证器"
RECOVERY = "恢复码"
RECOVERY_CODES = 10


def confirmed_devices(user) -> list:
    return list(devices_for_user(user, confirmed=True))


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def enrol(*, actor, key: str, token: str) -> list[str]:
    """Bind the phone that shows ``token`` for the secret ``key`` (replacing any earlier phone);
    returns a fresh set of recovery codes, shown once."""
    candidate = TOTPDevice(user=actor, name=PHONE, key=key, confirmed=False)
    if not candidate.verify_token((token or "").strip()):
        raise ValidationFailed("验证码不正确，请核对手机上当前显示的6位数字后重试（注意手机时间准确）。")
    TOTPDevice.objects.filter(user=actor).exclude(pk=candidate.pk).delete()
    candidate.confirmed = True
    candidate.save()
    return renew_recovery_codes(actor=actor)


@transaction.atomic
def renew_recovery_codes(*, actor) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    if not has_second_factor(actor):
        raise ValidationFailed("请先绑定手机验证器。")
    device, _ = StaticDevice.objects.get_or_create(user=actor, name=RECOVERY, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify(*, actor, token: str):
    """The device that accepts ``token`` (a 6-digit code or a recovery code), or a Chinese error.

    django-otp throttles each device after failures, so guessing is slow.
    """
    token = (token or "").strip().replace(" ", "").lower()
    if not token:
        raise ValidationFailed("请输入验证码或恢复码。")
    # Six digits are the phone's code; anything else is a recovery code. Only the device the
    # token is meant for counts the attempt (and is throttled after failures).
    kind = TOTPDevice if token.isdigit() else StaticDevice
    for device in (d for d in confirmed_devices(actor) if isinstance(d, kind)):
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            raise ValidationFailed("验证失败次数过多，请稍后再试。")
        with transaction.atomic():
            if device.verify_token(token):
                return device
    raise ValidationFailed("验证码或恢复码不正确。")


@transaction.atomic
def disable(*, actor) -> None:
    """Someone for whom it is optional turns it off."""
    if second_factor_required(actor):
        raise PermissionDeniedError("机关工作人员和系统管理员必须使用两步验证，不能关闭。")
    for device in confirmed_devices(actor):
        device.delete()


@transaction.atomic
def reset(*, actor, user) -> int:
    """A system administrator resets a lost phone: the person binds a new one at next sign-in."""
    if not actor.is_superuser:
        raise PermissionDeniedError("只有系统管理员可以重置两步验证。")
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        count, _ = model.objects.filter(user=user).delete()
        removed += count
    notify(
        [user],
        kind="security",
        subject="您的两步验证已被重置",
        body=f"系统管理员 {actor.display_name} 重置了您的两步验证。下次登录时请重新绑定手机验证器；如非本人申请，请立即联系管理员。",
        link="/accounts/2fa/",
    )
    return removed
