import pytest

from liaison_stations.models import Station


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def home_station(demo):
    """杨村街道委员联络站: member1 is its 站长, member2 and member3 belong to it."""
    return Station.objects.get(name="杨村街道委员联络站")


@pytest.fixture
def other_station(demo):
    return Station.objects.get(name="下朱庄街道委员联络站")
