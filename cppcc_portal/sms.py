"""SMS backends. The default writes to the log; a real gateway plugs in by setting.

``SMS_BACKEND = "yourpackage.sms.GatewayBackend"``: any class with
``send(number: str, text: str) -> None`` that raises on failure.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("cppcc_portal.sms")


def masked(number: str) -> str:
    """138****0001: enough to tell numbers apart in a log, not enough to call anybody."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else "****"


class LogSmsBackend:
    """Writes that an SMS would have gone out: the number masked, the text left out (it names
    proposals and people; logs are kept longer and read more widely than the inbox)."""

    def send(self, number: str, text: str) -> None:
        logger.info("SMS to %s (%d characters)", masked(number), len(text))


class MemorySmsBackend:
    """For tests: keeps what would have been sent."""

    outbox: list[tuple[str, str]] = []

    def send(self, number: str, text: str) -> None:
        self.outbox.append((number, text))


def get_sms_backend():
    return import_string(settings.SMS_BACKEND)()
