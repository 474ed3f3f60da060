"""The permission backend: Django's ModelBackend reading through ``cppcc_portal.auth_cache``."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .auth_cache import entry


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend with the permission sets read through ``entry``."""

    def get_user_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(entry(user_obj)["user"])

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(entry(user_obj)["group"])

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            data = entry(user_obj)
            user_obj._perm_cache = set(data["user"] | data["group"])
        return user_obj._perm_cache
