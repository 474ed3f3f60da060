from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "委员与组织"

    def ready(self) -> None:
        from . import demo, panels, permissions, scale  # noqa: F401  (demo seeding, pages, rules)
        from .performance import admin as performance_admin  # noqa: F401
        from .performance import demo as performance_demo  # noqa: F401
        from .performance import panels as performance_panels  # noqa: F401
        from .performance import permissions as performance_permissions  # noqa: F401
        from .roles import withdraw_forbidden_staff_permissions

        post_migrate.connect(withdraw_forbidden_staff_permissions, dispatch_uid="members.staff_permissions")
