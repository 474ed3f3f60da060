from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PortalConfig(AppConfig):
    name = "cppcc_portal"
    verbose_name = "平台"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import workbench  # noqa: F401  (registers the platform's own panels)
        from .deadlines import panels, permissions  # noqa: F401  (the deadline board)
        from .middleware import stamp_new_session
        from .twofactor.middleware import TwoFactorMiddleware
        from .workdays import connect_signals

        connect_signals()
        user_logged_in.connect(stamp_new_session, dispatch_uid="cppcc_portal.session_times")
        user_logged_in.connect(TwoFactorMiddleware.remember_at_sign_in, dispatch_uid="cppcc_portal.two_factor")
        # Each app may keep its deadline clocks in ``clocks.py`` and its
        # statistics panels in ``stats.py``; both register through hooks.
        autodiscover_modules("clocks", "stats")
