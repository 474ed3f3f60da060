"""A small hook registry, after Wagtail's ``wagtail_hooks``.

Apps register callables in their ``AppConfig.ready()``; the platform iterates
what was registered and never imports a domain app. Hook names in use:

``nav_items``         fn(user) -> iterable of NavItem
``workbench_panels``  fn(request) -> Panel | None
``stats_sections``    fn(request, year) -> Panel | None
``member_filters``    fn() -> iterable of (param, label, choices, lookup)
``member_profile_panels`` fn(request, member) -> Panel | None
``workspace_panels``  fn(request, workspace) -> Panel | None (a 专委会's or 活动组's page; ``members.selectors.Workspace``)
``member_groups``     fn() -> iterable of ``members.selectors.GroupKind`` (groups to invite or notify by)
``performance_backfill`` fn(stdout): re-derive the app's ledger entries (``backfill_performance``)
``performance_sources`` fn() -> iterable of the models whose rows are the app's ledger sources (the 履职档案 reads each kind)
``demo_seeders``      fn(stdout): the app's part of ``seed_demo`` (``seed_order`` attribute orders them)
``scale_seeders``     fn(scale): the app's part of ``seed_scale`` (``seed_order`` attribute orders them)
``scale_seeded``      fn() -> bool: the app's scale rows are already there (``seed_scale`` refuses to run twice)
``station_opinion_counts`` fn(year) -> {station id: (社情民意 filed, adopted)}
``year_labels``       fn() -> {year: label} (members: the plenary session of each year)
``handling_units``    fn() -> queryset of the units (承办单位, 镇街) the platform's pages filter by (one provider: members)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

_hooks: dict[str, list[Callable]] = defaultdict(list)


def register(name: str, fn: Callable | None = None):
    """``register("nav_items", fn)`` or ``@register("nav_items")``."""
    if fn is None:
        return lambda f: register(name, f)
    if fn not in _hooks[name]:
        _hooks[name].append(fn)
    return fn


def register_modules(app_name: str, modules: Iterable[str]) -> None:
    """Import an app's registering modules: the one list each ``AppConfig.ready()`` passes.

    Registration happens only this way: a module registers what it defines when it is
    imported (``@register``, ``rules.add_perm``, ``register_clock``), and the only importer
    that matters is this list, so nothing depends on which other module happened to import it.
    """
    for module in modules:
        import_module(f"{app_name}.{module}")


def get_hooks(name: str) -> list[Callable]:
    return list(_hooks[name])


@dataclass(frozen=True)
class NavItem:
    """An entry of the top bar. Items sharing a ``group`` become one dropdown menu
    (placed at its first item's order), so the bar stays on one line; a group
    with a single item is shown as a plain link labelled with the group."""

    label: str
    url: str
    order: int = 100
    icon: str = ""
    group: str = ""


@dataclass
class Panel:
    """A block of a composite page (workbench, statistics, member profile)."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    title: str = ""


def collect_panels(name: str, *args: Any) -> list[Panel]:
    panels = [panel for fn in get_hooks(name) if (panel := fn(*args)) is not None]
    return sorted(panels, key=lambda panel: panel.order)


def handling_units():
    """The units the platform's pages filter by, from the one app that registers ``handling_units``."""
    (provider,) = get_hooks("handling_units")
    return provider()
