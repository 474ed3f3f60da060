from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate

from .hooks import register_modules

# The platform's own registering modules (docs/ARCHITECTURE.md, "Hooks"): its nav entry and
# notifications panel, the deadline board's rules and panel, and the write versions of the
# board's counts and of the statistics (``writeversion.register``).
REGISTERING_MODULES = (
    "panels",
    "deadlines.permissions",
    "deadlines.panels",
    "stats.kept_documents",
    "deadlines.board",
    "stats.cache",
)


class PortalConfig(AppConfig):
    name = "cppcc_portal"
    verbose_name = "平台"

    def ready(self) -> None:
        # Imported here: these modules import models, which are not ready when apps.py loads.
        from . import auth_cache, notifications
        from .deadlines import policy_cache
        from .middleware import stamp_new_session
        from .twofactor.middleware import TwoFactorMiddleware
        from .workdays import connect_signals
        from .writeversion import install

        register_modules(self.name, REGISTERING_MODULES)
        connect_signals()
        policy_cache.connect_signals()
        auth_cache.connect_signals()
        notifications.connect_signals()
        # After every migrate, so a table a later migration adds is watched too.
        post_migrate.connect(install, sender=self, dispatch_uid="cppcc_portal.write_version")
        user_logged_in.connect(stamp_new_session, dispatch_uid="cppcc_portal.session_times")
        user_logged_in.connect(TwoFactorMiddleware.remember_at_sign_in, dispatch_uid="cppcc_portal.two_factor")
