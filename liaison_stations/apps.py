from django.apps import AppConfig

from cppcc_portal.hooks import register_modules

# The modules that register with the platform when imported: rules, deadline clocks, page
# panels, statistics sections, ledger back-fills, demo seeders (docs/ARCHITECTURE.md, "Hooks").
REGISTERING_MODULES = (
    "permissions",
    "ledger",
    "panels",
    "stats",
    "demo",
    "scale",
)


class LiaisonStationsConfig(AppConfig):
    name = "liaison_stations"
    verbose_name = "委员联络站"

    def ready(self) -> None:
        register_modules(self.name, REGISTERING_MODULES)
