from __future__ import annotations

from datetime import date

import pytest

from . import fakes
from .builders import clock_item


@pytest.fixture
def member_clock():
    """Only the test clock runs: other apps' sources are set aside for the test."""
    from cppcc_portal.deadlines import registry

    saved = dict(registry._sources)
    registry._sources.clear()
    source = fakes.install()
    yield source
    fakes.uninstall()
    registry._sources.clear()
    registry._sources.update(saved)


@pytest.fixture
def make_item(demo):
    """``make_item(due, unit="区教育局")``: a test member (with a login) whose clock is due on ``due``."""

    def _make(due: date, *, unit: str | None = None, name: str = "", email: bool = True):
        return clock_item(due, unit=unit, name=name, email=email)

    return _make


@pytest.fixture
def committed(transactional_db, demo):
    """``committed(due)`` makes an item in autocommit, outside any test transaction, so other
    connections and a worker process see it. The flush after the test removes it; the next
    test that asks for ``demo`` gets the district back from the snapshot."""

    def make(due: date, *, name: str = "", email: bool = True):
        return clock_item(due, name=name, email=email, prefix="committed")

    return make
