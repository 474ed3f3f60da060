"""A user's permissions and group names, kept in the shared cache between requests.

Every page asks ``has_perm`` (the nav, the rules) and the role predicates read the
user's group names: three queries per request (the user's own permissions, those
of their groups, the group names). ``CachedModelBackend`` answers them from one
cache read (with the version token, one round trip): an entry per user holds both
permission sets and the group names, stamped with the auth version.

The version moves when anything they derive from changes: a user's groups or
permissions (``m2m_changed``, either side), a group's permissions, a group or
permission saved or deleted, and after ``migrate``/``flush``. As with the deadline
policies, a process that has written such a row and not committed reads the tables
directly until its transaction ends; the commit moves the version, so the next
request of every process (the user's own next page included) builds a new entry.
``is_active`` and ``is_superuser`` are read from the user row of the request, as
Django does: deactivating a user or taking away superuser takes effect at once.
Entries also expire after ``ENTRY_SECONDS``, a bound for writes that bypass the ORM.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import connection, transaction

VERSION_CACHE_KEY = "auth:perms:version"
ENTRY_SECONDS = 10 * 60
_dirty = False  # this process changed groups or permissions in a transaction that has not ended


def _entry_key(user) -> str:
    return f"auth:perms:user:{user.pk}"


def _build(user) -> dict:
    # Inside: django.contrib.auth.backends asks for the user model, which imports this module.
    from django.contrib.auth.backends import ModelBackend

    backend = ModelBackend()
    return {
        "superuser": user.is_superuser,
        "user": frozenset(backend.get_user_permissions(user)),
        "group": frozenset(backend.get_group_permissions(user)),
        "groups": frozenset(user.groups.values_list("name", flat=True)),
    }


def _bypass() -> bool:
    global _dirty
    if _dirty and not connection.in_atomic_block:
        _dirty = False  # the writing transaction ended: committed (version moved) or rolled back
    return _dirty


def entry(user) -> dict:
    """The user's permissions and group names: read once per user object, from the cache if current."""
    cached = getattr(user, "_portal_auth", None)
    if cached is not None:
        return cached
    if _bypass():
        data = _build(user)
    else:
        key = _entry_key(user)
        found = cache.get_many([VERSION_CACHE_KEY, key])
        version = found.get(VERSION_CACHE_KEY)
        if version is None:
            cache.add(VERSION_CACHE_KEY, uuid.uuid4().hex, None)
            version = cache.get(VERSION_CACHE_KEY)
        stored = found.get(key)
        if stored is not None and stored[0] == version and stored[1]["superuser"] == user.is_superuser:
            data = stored[1]
        else:
            data = _build(user)  # the version was read first: a change committed meanwhile moves it again
            if version is not None:
                cache.set(key, (version, data), ENTRY_SECONDS)
    user._portal_auth = data
    return data


def forget(user) -> None:
    """Drop what this user object holds (after changing its groups in the same request)."""
    for name in ("_portal_auth", "_perm_cache", "_user_perm_cache", "_group_perm_cache", "_role_names"):
        user.__dict__.pop(name, None)


def bump_version() -> None:
    global _dirty
    cache.set(VERSION_CACHE_KEY, uuid.uuid4().hex, None)
    _dirty = False


def auth_changed(**kwargs: object) -> None:
    """Groups or permissions changed: read the tables until the transaction ends, then move the version."""
    global _dirty
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    _dirty = True
    for name in ("instance",):
        instance = kwargs.get(name)
        if instance is not None and hasattr(instance, "_portal_auth"):
            forget(instance)
    transaction.on_commit(bump_version)


def connect_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(auth_changed, sender=through, dispatch_uid=f"auth-cache-m2m-{through._meta.label}")
    for model in (Group, Permission):
        post_save.connect(auth_changed, sender=model, dispatch_uid=f"auth-cache-save-{model._meta.label}")
        post_delete.connect(auth_changed, sender=model, dispatch_uid=f"auth-cache-delete-{model._meta.label}")
    post_migrate.connect(auth_changed, dispatch_uid="auth-cache-migrate")
