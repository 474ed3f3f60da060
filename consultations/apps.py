from django.apps import AppConfig

from cppcc_portal.hooks import register_modules

# The modules that register with the platform when imported: rules, deadline clocks, page
# panels, statistics sections, ledger back-fills, demo seeders (docs/ARCHITECTURE.md, "Hooks").
REGISTERING_MODULES = (
    "permissions",
    "clocks",
    "ledger",
    "panels",
    "stats",
    "demo",
    "scale",
    "supervision.permissions",
    "supervision.clocks",
    "supervision.ledger",
    "supervision.panels",
    "supervision.demo",
    "supervision.admin",
)


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "协商与监督"

    def ready(self) -> None:
        register_modules(self.name, REGISTERING_MODULES)
