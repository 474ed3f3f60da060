import io

import pytest
from django.core.management import CommandError, call_command

from members.models import Member, Organization, PlenarySession, Sector, User


def test_demo_district_is_realistic(demo):
    assert PlenarySession.objects.count() == 2
    assert Sector.objects.count() >= 15
    assert 55 <= Member.objects.count() <= 80
    assert Organization.objects.filter(name__in=["区教育局", "区卫生健康委员会"], kind="handling_unit").count() == 2
    assert Organization.objects.filter(kind="handling_unit").count() >= 12
    for username in ["admin", "staff", "leader", "member1", "member2", "member3", "unit_edu", "unit_health"]:
        assert User.objects.get(username=username).check_password("demo-2026")
    assert User.objects.get(username="unit_edu").organization.name == "区教育局"


def test_seed_demo_is_idempotent(demo, settings):
    settings.DEBUG = True
    counts = (Member.objects.count(), User.objects.count(), Organization.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Member.objects.count(), User.objects.count(), Organization.objects.count()) == counts


def test_seed_demo_refuses_without_debug_unless_forced(demo, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=io.StringIO())
