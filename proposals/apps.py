from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "提案与社情民意"

    def ready(self) -> None:
        # Clocks, rules, nav and workbench panels, demo seeding, the ledger back-fill.
        from . import (  # noqa: F401
            clocks,
            demo,
            demo_year,
            ledger,
            panels,
            permissions,
            scale,
        )
        from .opinions import admin as opinion_admin  # noqa: F401  (社情民意)
        from .opinions import clocks as opinion_clocks  # noqa: F401
        from .opinions import demo as opinion_demo  # noqa: F401
        from .opinions import ledger as opinion_ledger  # noqa: F401
        from .opinions import panels as opinion_panels  # noqa: F401
        from .opinions import permissions as opinion_permissions  # noqa: F401
