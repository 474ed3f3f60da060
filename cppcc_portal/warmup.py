"""Start-up of a serving process: load once what requests would load, then freeze it.

A full garbage collection (generation 2) walks every container object the process holds. A worker
holds some 200,000 of them once Django, the apps and the compiled templates are in, so every few
hundred requests one request paid a full collection on top of its own work: about 100–150 ms here,
which put the p95 of pages that take 20 ms over budget. ``gc.freeze()`` moves what exists at that
moment out of the collector's sight for good (these objects live as long as the process anyway), so
a later full collection walks only what requests have made since.

The templates are compiled before the freeze, by the cached loader (on whenever ``DEBUG`` is off):
otherwise each page's templates would be compiled on its first request, survive, and be walked by
every full collection after that. With ``DEBUG`` on nothing is cached, so nothing is loaded.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import URLResolver, get_resolver
from django.urls.base import get_ns_resolver
from django.utils import translation

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = {".html", ".txt"}


def template_names(dirs) -> list[str]:
    """Every template file under ``dirs``, by the name a view would load it with."""
    names = set()
    for root in map(Path, dirs):
        names.update(
            path.relative_to(root).as_posix()
            for path in root.rglob("*")
            if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
        )
    return sorted(names)


def load_templates() -> int:
    """Compile every template once into the cached loader; return how many compiled."""
    loaded = 0
    for engine in engines.all():
        dirs = [*engine.engine.dirs, *(get_app_template_dirs("templates") if engine.engine.app_dirs else ())]
        for name in template_names(dirs):
            try:
                engine.get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError) as error:
                # A broken template must not stop the whole site from starting: its page shows the error.
                logger.warning("start-up: template %s not compiled: %s", name, error)
                continue
            loaded += 1
    return loaded


def load_url_reversal(resolver: URLResolver, prefix: str = "", converters: dict | None = None) -> int:
    """Build the reverse lookup of ``resolver`` and of every namespace under it, as ``reverse()`` would
    on its first call through each (a namespace under a prefix is reversed by a resolver of its own);
    return how many lookups were built."""
    reversing = get_ns_resolver(prefix, resolver, tuple(converters.items())) if prefix else resolver
    built = len(reversing.reverse_dict)
    for extra, namespace in resolver.namespace_dict.values():
        built += load_url_reversal(namespace, prefix + extra, {**(converters or {}), **namespace.pattern.converters})
    return built


def warm_up_and_freeze() -> None:
    """Import every view and build the URL reversal, compile every template, then freeze the heap."""
    with translation.override(settings.LANGUAGE_CODE):  # loads the message catalogues too
        lookups = load_url_reversal(get_resolver())
        loaded = 0 if settings.DEBUG else load_templates()
    gc.collect()
    gc.freeze()
    logger.info(
        "start-up: %d URL lookups built, %d templates compiled, %d objects frozen",
        lookups,
        loaded,
        gc.get_freeze_count(),
    )
