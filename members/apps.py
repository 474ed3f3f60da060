from django.apps import AppConfig
from django.db.models.signals import post_migrate

from cppcc_portal.hooks import register_modules

# The modules that register with the platform when imported: rules, deadline clocks, page
# panels, statistics sections, ledger back-fills, demo seeders (docs/ARCHITECTURE.md, "Hooks").
REGISTERING_MODULES = (
    "permissions",
    "clocks",
    "panels",
    "stats",
    "demo",
    "scale",
    "performance.permissions",
    "performance.panels",
    "performance.ledger",
    "performance.admin",
    "performance.demo",
    "performance.kept_documents",
    "terms.demo",
    "notices.permissions",
    "notices.panels",
    "notices.admin",
    "notices.demo",
)


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "委员与组织"

    def ready(self) -> None:
        # Imported here: roles reads django.contrib.auth.models, which needs the app registry ready.
        from .roles import withdraw_forbidden_staff_permissions

        register_modules(self.name, REGISTERING_MODULES)
        post_migrate.connect(withdraw_forbidden_staff_permissions, dispatch_uid="members.staff_permissions")
