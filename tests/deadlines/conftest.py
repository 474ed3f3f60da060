from __future__ import annotations

import itertools
from datetime import date

import pytest

from tests.builders import seed_demo_data

from . import fakes

_counter = itertools.count(1)


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
    from members.models import Member, Organization, User

    def _make(due: date, *, unit: str | None = None, name: str = "", email: bool = True):
        n = next(_counter)
        user = User.objects.create(
            username=f"clock{n}",
            name=name or f"测试{n}",
            email=f"clock{n}@example.org" if email else "",
            organization=Organization.objects.get(name=unit) if unit else None,
            sms_enabled=False,
        )
        return Member.objects.create(
            user=user, name=name or f"测试{n}", gender="男", employer_title="测试单位", birth_date=due
        )

    return _make


@pytest.fixture
def committed(transactional_db):
    """``committed(due)`` makes an item in autocommit, outside any test transaction, so other
    connections and a worker process see it. The flush after the test removes it; the next
    test that asks for ``demo`` gets the district back from the snapshot."""
    from members.models import Member, User

    seed_demo_data()

    def make(due: date, *, name: str = "", email: bool = True):
        n = next(_counter)
        user = User.objects.create(
            username=f"committed{n}",
            name=name or f"测试{n}",
            email=f"committed{n}@example.org" if email else "",
            sms_enabled=False,
        )
        return Member.objects.create(
            user=user, name=name or f"测试{n}", gender="男", employer_title="测试单位", birth_date=due
        )

    return make
