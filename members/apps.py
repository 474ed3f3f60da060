from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "委员与组织"

    def ready(self) -> None:
        from . import demo, panels, permissions  # noqa: F401  (demo seeding, pages, rules)
