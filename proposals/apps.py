from django.apps import AppConfig

from cppcc_portal.hooks import register_modules

# The modules that register with the platform when imported: rules, deadline clocks, page
# panels, statistics sections, ledger back-fills, demo seeders (docs/ARCHITECTURE.md, "Hooks"),
# the list total's write version.
REGISTERING_MODULES = (
    "permissions",
    "clocks",
    "ledger",
    "panels",
    "stats",
    "demo",
    "demo_year",
    "scale",
    "kept_documents",
    "opinions.permissions",
    "opinions.clocks",
    "opinions.ledger",
    "opinions.panels",
    "opinions.admin",
    "opinions.demo",
    "list_count",
)


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "提案与社情民意"

    def ready(self) -> None:
        register_modules(self.name, REGISTERING_MODULES)
