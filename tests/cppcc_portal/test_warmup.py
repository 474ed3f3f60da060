"""A serving process loads its templates and URL reversal at start-up, then freezes its heap."""

import gc

import pytest
from django.template import engines
from django.template.utils import get_app_template_dirs
from django.urls import reverse
from django.urls.base import get_ns_resolver

from cppcc_portal import warmup


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_every_template_compiles():
    """Start-up compiles every template; a broken one would only be logged there, so it is caught here."""
    engine = engines["django"].engine
    names = warmup.template_names([*engine.dirs, *get_app_template_dirs("templates")])
    assert "base.html" in names and "admin/change_list.html" in names
    assert warmup.load_templates() == len(names)


def test_warm_up_builds_every_namespaced_reversal_and_freezes(unfrozen):
    get_ns_resolver.cache_clear()
    warmup.warm_up_and_freeze()
    assert gc.get_freeze_count() > 10_000
    built = get_ns_resolver.cache_info().currsize
    assert built > 0

    for name, kwargs in [
        ("proposals:list", {}),
        ("members:list", {}),
        ("proposals:detail", {"pk": 1}),
        ("consultations:index", {}),
        ("admin:proposals_proposal_changelist", {}),
    ]:
        reverse(name, kwargs=kwargs)
    assert get_ns_resolver.cache_info().currsize == built  # nothing left to build on a request
    assert get_ns_resolver.cache_info().misses == built
