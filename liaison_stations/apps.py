from django.apps import AppConfig


class LiaisonStationsConfig(AppConfig):
    name = "liaison_stations"
    verbose_name = "委员联络站"

    def ready(self) -> None:
        from . import demo, ledger, panels, permissions, scale  # noqa: F401
