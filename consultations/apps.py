from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "协商与监督"

    def ready(self) -> None:
        from . import clocks, demo, ledger, panels, permissions, scale  # noqa: F401  (clocks, seeding, ledger, pages, rules)
