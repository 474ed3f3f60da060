from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PortalConfig(AppConfig):
    name = "cppcc_portal"
    verbose_name = "平台"

    def ready(self) -> None:
        from . import workbench  # noqa: F401  (registers the platform's own panels)
        from .deadlines import panels, permissions  # noqa: F401  (the deadline board)
        from .workdays import connect_signals

        connect_signals()
        # Each app may keep its deadline clocks in ``clocks.py`` and its
        # statistics panels in ``stats.py``; both register through hooks.
        autodiscover_modules("clocks", "stats")
