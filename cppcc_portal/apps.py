from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "cppcc_portal"
    verbose_name = "平台"

    def ready(self) -> None:
        from . import workbench  # noqa: F401  (registers the platform's own panels)
        from .workdays import connect_signals

        connect_signals()
