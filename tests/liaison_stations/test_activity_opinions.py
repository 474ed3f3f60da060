"""An activity page lists the 社情民意 filed from it only to those who may open them."""

import pytest

from liaison_stations.models import StationActivity

pytestmark = pytest.mark.django_db

ACTIVITY = "委员接待日：倾听群众诉求"  # member1's station; member1 filed two reports from it, member2 took part
REPORT = "关于学校周边上下学时段交通拥堵的紧急反映"


def test_a_participant_does_not_see_the_titles_of_reports_they_may_not_open(login):
    activity = StationActivity.objects.get(title=ACTIVITY, opinions__title=REPORT)
    page = login("member2").get(activity.get_absolute_url())
    assert page.status_code == 200 and REPORT not in page.content.decode()
    assert login("member2").get(activity.opinions.get(title=REPORT).get_absolute_url()).status_code == 403
    for username in ("member1", "staff"):
        assert REPORT in login(username).get(activity.get_absolute_url()).content.decode()
