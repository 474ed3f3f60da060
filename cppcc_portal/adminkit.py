"""What every app's admin shares: no back doors around the services.

- ``ReadOnlyAdmin`` / ``ReadOnlyInline``: the record of what happened (timelines, ratings,
  the performance ledger, logs). Nobody adds, changes or deletes it here, superusers
  included; only the services write it.
- State and workflow fields are listed in each admin's ``readonly_fields``; moving a row
  from one state to another is an admin action made with ``service_action``, which calls
  the same service as the page (lock, transition table, permission, history, notices).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.db import models

from .errors import ApplicationError

ADMIN_NOTE = "系统管理后台操作"


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Browse and search only."""


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class NoAddOrDeleteMixin:
    """Rows that only a service creates and removes (it keeps the ledger and history in step);
    the admin may still correct their plain content fields."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CachedResultsMixin:
    """A changelist whose result table is drawn once per user, query string and write version
    (``{% cached_result_list %}``): for a large table whose rows only people's work writes (a
    table the write version does not watch, such as Celery beat's or the login records', would
    show stale rows)."""

    change_list_template = "admin/cached_results_change_list.html"


def service_action(description: str, perform: Callable[[models.Model, object], object], name: str):
    """An admin action that runs ``perform(row, actor)`` (a service call) on each selected row.

    The service checks the actor's right and the row's state; a refusal becomes a message
    naming the row and leaves the other rows done. Shown to whoever may view the rows.
    """

    def action(modeladmin, request, queryset):
        done = 0
        for row in queryset:
            try:
                perform(row, request.user)
            except ApplicationError as error:
                messages.error(request, f"{row}：{error.message}")
            else:
                done += 1
        if done:
            messages.success(request, f"{description}：已处理 {done} 条。")

    action.__name__ = name
    return admin.action(description=description, permissions=["view"])(action)
