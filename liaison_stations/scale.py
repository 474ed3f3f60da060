"""Stations' part of ``manage.py seed_scale``: every new member gets a home station, and a
few hundred activities over two years (see ``cppcc_portal.scale``)."""

from __future__ import annotations

from datetime import timedelta

from cppcc_portal.hooks import register
from cppcc_portal.scale import SCALE_MARK, Scale
from members.models import Member

from .enums import ActivityKind
from .models import Station, StationActivity, StationMembership

KINDS = [k for k in ActivityKind.values if k != ActivityKind.SERVICE]


def seed_station_members(scale: Scale) -> None:
    stations = list(Station.objects.values_list("pk", flat=True))
    if not stations:
        return
    homeless = Member.objects.filter(station_membership__isnull=True).values_list("pk", flat=True)
    scale.bulk(
        StationMembership,
        (dict(member_id=pk, station_id=stations[pk % len(stations)]) for pk in list(homeless)),
        homeless.count(),
    )


def seed_activities(scale: Scale) -> None:
    rng = scale.rng
    stations = list(Station.objects.values_list("pk", flat=True))
    if not stations:
        return
    members_of: dict[int, list[int]] = {}
    for member_id, station_id in StationMembership.objects.values_list("member_id", "station_id"):
        members_of.setdefault(station_id, []).append(member_id)

    last_pk = StationActivity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def rows():
        for n in range(scale.activities):
            held = scale.today - timedelta(days=rng.randrange(0, 730))
            yield dict(
                station_id=stations[n % len(stations)],
                held_on=held,
                kind=KINDS[n % len(KINDS)],
                title=f"委员进站活动第{n + 1}期（{SCALE_MARK}）",
                description="委员进站听取群众意见，收集社情民意。" * 3,
                citizens_reached=rng.randrange(5, 120),
                created_at=scale.aware(held, 17),
            )

    scale.bulk(StationActivity, rows(), scale.activities)
    through = StationActivity.participants.through
    activities = StationActivity.objects.filter(pk__gt=last_pk).values_list("pk", "station_id")

    def participants():
        for pk, station_id in list(activities):
            pool = members_of.get(station_id, [])
            for member_id in rng.sample(pool, min(len(pool), 6)):
                yield dict(stationactivity_id=pk, member_id=member_id)

    scale.bulk(through, participants(), scale.activities * 6)


seed_station_members.seed_order = 20
seed_activities.seed_order = 40
register("scale_seeders", seed_station_members)
register("scale_seeders", seed_activities)
