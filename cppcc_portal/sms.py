"""SMS backends. The default writes to the log; a real gateway plugs in by setting.

``SMS_BACKEND = "yourpackage.sms.GatewayBackend"``: any class with
``send(number: str, text: str) -> None`` that raises on failure.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("cppcc_portal.sms")


class LogSmsBackend:
    def send(self, number: str, text: str) -> None:
        logger.info("SMS to %s: %s", number, text)


class MemorySmsBackend:
    """For tests: keeps what would have been sent."""

    outbox: list[tuple[str, str]] = []

    def send(self, number: str, text: str) -> None:
        self.outbox.append((number, text))


def get_sms_backend():
    return import_string(settings.SMS_BACKEND)()
