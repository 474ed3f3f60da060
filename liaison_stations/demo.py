"""Demo stations for ``seed_demo``: about ten, of all four types, every member placed."""

from cppcc_portal.hooks import register

STATION_TYPES = ["镇街委员联络站", "社区联络站", "委员活动站", "界别协商工作室"]
STATIONS = [
    ("杨村街道委员联络站", "镇街委员联络站", "杨村街道", "杨村街道办事处二楼"),
    ("下朱庄街道委员联络站", "镇街委员联络站", "下朱庄街道", "下朱庄街道党群服务中心"),
    ("王庆坨镇委员联络站", "镇街委员联络站", "王庆坨镇", "王庆坨镇政府一楼"),
    ("大良镇委员联络站", "镇街委员联络站", "大良镇", "大良镇综合文化站"),
    ("东蒲洼社区联络站", "社区联络站", "东蒲洼街道 振华里、光明里、新华里社区", "振华里社区服务站"),
    ("黄庄社区联络站", "社区联络站", "黄庄街道 富民里、和平里社区", "富民里社区党群服务中心"),
    ("科技园委员活动站", "委员活动站", "区科技园", "科技园管委会三楼"),
    ("医卫委员活动站", "委员活动站", "医药卫生界委员", "区人民医院门诊楼五楼"),
    ("教育界协商工作室", "界别协商工作室", "教育界", "区第一中学行政楼"),
    ("经济界协商工作室", "界别协商工作室", "经济界、工商联", "区工商联会议室"),
]


def seed_stations(stdout) -> None:
    from members.models import Member, User

    from .models import Station, StationMembership, StationType

    types = {
        name: StationType.objects.get_or_create(name=name, defaults={"order": i})[0]
        for i, name in enumerate(STATION_TYPES)
    }
    leader = User.objects.filter(username="leader").first()
    stations = []
    for order, (name, type_name, coverage, address) in enumerate(STATIONS):
        station, _ = Station.objects.get_or_create(
            name=name,
            defaults={
                "station_type": types[type_name],
                "coverage": coverage,
                "address": address,
                "order": order,
                "instructor_name": "赵振国" if order % 2 else "孙丽萍",
                "instructor_post": "街道党工委委员" if order % 2 else "镇党委副书记",
                "instructor_contact": f"022-2953{order:04d}",
                "liaison_leader": leader if order < 4 else None,
                "reception_days": "每月第一个周三上午",
            },
        )
        stations.append(station)
    member1 = Member.objects.filter(user__username="member1").first()
    if member1 and stations[0].head_id is None:
        stations[0].head = member1
        stations[0].save(update_fields=["head"])
    placed = set(StationMembership.objects.values_list("member_id", flat=True))
    fixed = {"member1": 0, "member2": 0, "member3": 0}
    for index, member in enumerate(Member.objects.select_related("user").order_by("id")):
        if member.pk in placed:
            continue
        username = member.user.username if member.user else ""
        station = stations[fixed[username]] if username in fixed else stations[index % len(stations)]
        StationMembership.objects.create(member=member, station=station)
    stdout.write(f"联络站 {len(stations)} 个。")


seed_stations.seed_order = 10
register("demo_seeders", seed_stations)
