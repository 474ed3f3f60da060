"""Station activities: who may record them, the photos they carry, and the ledger they write."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed
from liaison_stations import services
from liaison_stations.enums import ActivityKind
from liaison_stations.models import ActivityPhoto, StationActivity
from members.enums import PerformanceAct
from members.models import Member
from members.performance.models import PerformanceRecord

from .conftest import stored_files
from .helpers import big_image, fake_image, image_upload

pytestmark = pytest.mark.django_db


def member(username: str) -> Member:
    return Member.objects.get(user__username=username)


def ledger(activity, act=PerformanceAct.STATION_ACTIVITY):
    return sorted(
        PerformanceRecord.objects.filter(
            act=act, source_id=activity.pk, source_type__model="stationactivity"
        ).values_list("member__user__username", flat=True)
    )


def activity_data(**overrides):
    data = {
        "held_on": date.today() - timedelta(days=1),
        "kind": ActivityKind.RECEPTION,
        "service_kind": "",
        "title": "委员接待日",
        "description": "接待群众来访",
        "citizens_reached": 20,
    }
    return {**data, **overrides}


def post_data(station, **overrides):
    data = activity_data(**overrides)
    data["held_on"] = data["held_on"].isoformat()
    data["participants"] = [member("member2").pk, member("member3").pk]
    return data


def test_station_head_records_activity_with_photo_through_the_page(login, home_station, media_root):
    client = login("member1")
    data = post_data(home_station)
    data["photos"] = [image_upload("接待.jpg"), image_upload("second.png", "PNG")]
    response = client.post(reverse("stations:activity-new", args=[home_station.pk]), data)
    activity = StationActivity.objects.get(title="委员接待日", station=home_station, created_by__username="member1")
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert ledger(activity) == ["member2", "member3"]
    photos = list(activity.photos.all())
    assert [p.content_type for p in photos] == ["image/jpeg", "image/png"]
    assert all(p.image.name.startswith("stations/photos/") and "接待" not in p.image.name for p in photos)
    assert len(stored_files(media_root)) == 2


def test_not_an_image_refuses_the_whole_activity_and_leaves_nothing(login, home_station, media_root):
    client = login("member1")
    before = StationActivity.objects.count(), ActivityPhoto.objects.count(), PerformanceRecord.objects.count()
    data = post_data(home_station, title="带假照片的活动")
    data["photos"] = [image_upload("good.jpg"), fake_image("evil.jpg")]
    response = client.post(reverse("stations:activity-new", args=[home_station.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "不是有效的图片文件" in page and "evil.jpg" in page and "活动未保存" in page
    after = StationActivity.objects.count(), ActivityPhoto.objects.count(), PerformanceRecord.objects.count()
    assert after == before
    assert stored_files(media_root) == []


def test_too_large_photo_is_refused_with_a_clear_message(login, home_station, media_root):
    client = login("member1")
    data = post_data(home_station, title="大照片")
    data["photos"] = [big_image()]
    response = client.post(reverse("stations:activity-new", args=[home_station.pk]), data)
    assert response.status_code == 200
    assert "超过 5MB" in response.content.decode()
    assert not StationActivity.objects.filter(title="大照片").exists()
    assert stored_files(media_root) == []


def test_service_removes_written_files_when_a_later_step_fails(home_station, demo, media_root, monkeypatch):
    """Even past the form, a failure after photos were written leaves no stray file."""
    import liaison_stations.services as module

    def boom(*args, **kwargs):
        raise RuntimeError("notification backend down")

    monkeypatch.setattr(module, "notify", boom)
    with pytest.raises(RuntimeError):
        services.activity_create(
            station=home_station,
            actor=demo["member1"],
            data=activity_data(title="通知失败"),
            participants=[member("member2")],
            photos=[image_upload()],
        )
    assert not StationActivity.objects.filter(title="通知失败").exists()
    assert stored_files(media_root) == []


def test_station_head_cannot_record_for_another_station(login, demo, other_station):
    response = login("member1").post(reverse("stations:activity-new", args=[other_station.pk]), {})
    assert response.status_code == 403
    with pytest.raises(PermissionDeniedError):
        services.activity_create(station=other_station, actor=demo["member1"], data=activity_data())


def test_service_subtype_required_for_service_activities(login, home_station):
    data = post_data(home_station, kind=ActivityKind.SERVICE, title="义诊")
    response = login("member1").post(reverse("stations:activity-new", args=[home_station.pk]), data)
    assert response.status_code == 200 and "服务类别" in response.content.decode()
    data["service_kind"] = "clinic"
    response = login("member1").post(reverse("stations:activity-new", args=[home_station.pk]), data)
    assert response.status_code == 302
    assert (
        StationActivity.objects.get(title="义诊", station=home_station, created_by__username="member1").kind_label
        == "为民服务·义诊"
    )


def test_future_activity_is_refused(home_station, demo):
    with pytest.raises(ValidationFailed):
        services.activity_create(
            station=home_station, actor=demo["staff"], data=activity_data(held_on=date.today() + timedelta(days=3))
        )


def test_ledger_exactly_once_and_withdrawn_when_participant_removed(home_station, demo):
    activity = services.activity_create(
        station=home_station,
        actor=demo["member1"],
        data=activity_data(title="走访困难群众", kind=ActivityKind.VISIT),
        participants=[member("member2"), member("member3")],
    )
    assert ledger(activity) == ["member2", "member3"]
    # Saving again with the same people writes nothing new.
    services.activity_update(
        activity=activity,
        actor=demo["member1"],
        data=activity_data(title="走访困难群众"),
        participants=[member("member2"), member("member3")],
    )
    assert ledger(activity) == ["member2", "member3"]
    # member3 did not come after all; member1 did.
    earlier = date.today() - timedelta(days=5)
    services.activity_update(
        activity=activity,
        actor=demo["member1"],
        data=activity_data(title="走访困难群众", held_on=earlier),
        participants=[member("member2"), member("member1")],
    )
    assert ledger(activity) == ["member1", "member2"]
    assert set(
        PerformanceRecord.objects.filter(source_id=activity.pk, act=PerformanceAct.STATION_ACTIVITY).values_list(
            "on", flat=True
        )
    ) == {earlier}


def test_member_may_not_edit_an_activity(login, home_station, demo):
    activity = StationActivity.objects.filter(station=home_station).first()
    assert login("member2").post(reverse("stations:activity-edit", args=[activity.pk]), {}).status_code == 403
    with pytest.raises(PermissionDeniedError):
        services.activity_update(activity=activity, actor=demo["member2"], data=activity_data(), participants=[])


def test_photo_is_served_only_through_the_checked_view(client, login, home_station, demo):
    activity = services.activity_create(
        station=home_station, actor=demo["member1"], data=activity_data(title="有照片"), photos=[image_upload()]
    )
    photo = activity.photos.get()
    url = reverse("stations:photo", args=[photo.pk])
    response = login("member2").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    for username in ("unit_edu", "unit_health"):
        assert login(username).get(url).status_code == 403
    # The storage is not published under any static or media URL.
    assert client.get(f"/media/{photo.image.name}").status_code == 404


def test_participant_from_another_station_sees_the_activity_and_photo(login, other_station, demo):
    activity = services.activity_create(
        station=other_station,
        actor=demo["staff"],
        data=activity_data(title="跨站活动"),
        participants=[member("member2")],
        photos=[image_upload()],
    )
    assert login("member2").get(activity.get_absolute_url()).status_code == 200
    assert login("member2").get(reverse("stations:photo", args=[activity.photos.get().pk])).status_code == 200
    assert login("member1").get(activity.get_absolute_url()).status_code == 403


def test_station_detail_shows_the_people_and_counts(login, home_station):
    page = login("member2").get(home_station.get_absolute_url()).content.decode()
    for text in ("李明远", "接待日", "指导员", "包联领导", "郑国华", "王淑芬", "民生实事·已解决"):
        assert text in page
    assert "记录活动" not in page  # member2 is not the 站长
    assert "记录活动" in login("member1").get(home_station.get_absolute_url()).content.decode()
