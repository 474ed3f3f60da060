from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "提案与社情民意"

    def ready(self) -> None:
        # Clocks, rules, nav and workbench panels, demo seeding, the ledger back-fill.
        from . import (  # noqa: F401
            deadline_specs,
            demo,
            demo_year,
            ledger,
            opinion_hooks,
            panels,
            permissions,
            scale,
        )
