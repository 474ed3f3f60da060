from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "协商与监督"

    def ready(self) -> None:
        from . import (  # noqa: F401  (clocks, seeding, ledger, pages, rules)
            clocks,
            demo,
            ledger,
            panels,
            permissions,
            scale,
        )
