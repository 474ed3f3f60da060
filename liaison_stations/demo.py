"""Demo stations for ``seed_demo``: about ten, of all four types, every member placed."""

import io
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from cppcc_portal.demo_clock import at
from cppcc_portal.hooks import register
from members.enums import OrganizationKind
from members.models import Member, Organization, User

from . import services
from .enums import DonationKind, MatterStatus
from .models import DistrictMap, Station, StationActivity, StationMembership, StationType, StudioMembership

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
# 履职地图: each station's town and place on the outline (0–100), as staff set them in the admin.
STATION_PLACES = {
    "杨村街道委员联络站": ("杨村街道", 48, 42),
    "下朱庄街道委员联络站": ("下朱庄街道", 58, 36),
    "王庆坨镇委员联络站": ("王庆坨镇", 22, 72),
    "大良镇委员联络站": ("大良镇", 70, 20),
    "东蒲洼社区联络站": ("东蒲洼街道", 40, 52),
    "黄庄社区联络站": ("黄庄街道", 62, 55),
    "科技园委员活动站": ("下朱庄街道", 66, 42),
    "医卫委员活动站": ("杨村街道", 44, 34),
    "教育界协商工作室": ("杨村街道", 52, 48),
    "经济界协商工作室": ("东蒲洼街道", 34, 46),
}
DISTRICT_OUTLINE = "30,4 62,2 84,12 94,30 88,52 96,70 80,92 52,98 30,90 10,80 4,58 14,40 18,18"
# 界别协商工作室 members (beside their home station): the members of these sectors.
STUDIO_SECTORS = {"教育界协商工作室": ["教育界", "科技界"], "经济界协商工作室": ["经济界", "工商联", "民建"]}


def seed_stations(stdout) -> None:
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
    _place_stations(types["界别协商工作室"])
    stdout.write(f"联络站 {len(stations)} 个。")


def _place_stations(studio_type: StationType) -> None:
    """The 履职地图 (outline, towns, coordinates) and the 工作室's members."""
    if not studio_type.is_studio:
        studio_type.is_studio = True
        studio_type.save(update_fields=["is_studio"])
    DistrictMap.objects.get_or_create(defaults={"name": "武清区", "outline": DISTRICT_OUTLINE})
    towns = {o.name: o for o in Organization.objects.filter(kind=OrganizationKind.TOWN_STREET)}
    for station in Station.objects.filter(name__in=STATION_PLACES, map_x__isnull=True):
        town, x, y = STATION_PLACES[station.name]
        station.town, station.map_x, station.map_y = towns.get(town), x, y
        station.save(update_fields=["town", "map_x", "map_y"])
    for name, sectors in STUDIO_SECTORS.items():
        studio = Station.objects.filter(name=name).first()
        if studio is None or studio.studio_memberships.exists():
            continue
        StudioMembership.objects.bulk_create(
            StudioMembership(member=member, station=studio)
            for member in Member.objects.active()
            .filter(sector__name__in=sectors)
            .exclude(station_membership__station=studio)
        )


seed_stations.seed_order = 10
register("demo_seeders", seed_stations)


ACTIVITY_PLAN = [
    # (kind, service kind, title, citizens reached)
    ("reception", "", "委员接待日：倾听群众诉求", 26),
    ("consultation", "", "“老旧小区加装电梯”协商议事会", 18),
    ("inspection", "", "视察社区养老服务驿站运营情况", 0),
    ("study", "", "学习全国两会精神交流会", 0),
    ("lecture", "", "委员讲堂：家庭教育与青少年心理健康", 85),
    ("service", "clinic", "“送医下乡”义诊活动", 132),
    ("service", "legal", "送法律进社区：物业纠纷咨询", 47),
    ("service", "school_aid", "金秋助学：资助困难家庭学生", 12),
    ("service", "culture", "送文化进村：书画义写春联", 210),
    ("visit", "", "走访辖区困难群众", 15),
    ("reception", "", "委员接待日：停车难问题座谈", 31),
    ("consultation", "", "“背街小巷环境整治”协商议事会", 22),
]
MATTER_PLAN = [
    # (problem, raised by, department, status)
    ("振华里小区路灯损坏多处，夜间出行不便。", "振华里居民 王大爷", "区城市管理委员会", "solved"),
    ("社区卫生服务站周末不开诊，老人看病要跑远路。", "富民里居民 刘女士", "区卫生健康委员会", "in_progress"),
    ("学校门口上下学时段交通拥堵，存在安全隐患。", "实验小学家长委员会", "区交通运输局", "accepted"),
    ("老旧小区雨水管网堵塞，雨季积水严重。", "光明里居民代表", "区住房和城乡建设委员会", "solved"),
    ("村里希望开设老年助餐点。", "王庆坨镇某村村委会", "区民政局", "unsolvable"),
    ("农贸市场周边占道经营，影响通行。", "新华里居民 赵先生", "区市场监督管理局", "in_progress"),
    ("希望增设社区儿童托管服务。", "和平里居民 陈女士", "区教育局", "solved"),
    ("公交站台缺少遮雨棚。", "大良镇居民 孙先生", "区交通运输局", "accepted"),
]


def _demo_photo(index: int):
    """A small generated picture, so demo activities have something to show."""
    image = Image.new("RGB", (480, 320), (180 - index * 9 % 120, 40 + index * 23 % 160, 60 + index * 41 % 180))
    draw = ImageDraw.Draw(image)
    for step in range(0, 480, 40):
        draw.line([(step, 0), (480 - step, 320)], fill=(255, 255, 255), width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile(f"活动照片{index}.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_station_work(stdout) -> None:
    """A year of activities, 民生实事 in every status and a few donations, written through the services."""
    if StationActivity.objects.exists():
        return
    actor = User.objects.filter(username="staff").first()
    if actor is None:
        return
    today = date.today()
    stations = list(Station.objects.prefetch_related("memberships__member").order_by("order"))
    activities = []
    for station_index, station in enumerate(stations):
        members = [membership.member for membership in station.memberships.all()]
        plan = ACTIVITY_PLAN if station_index == 0 else ACTIVITY_PLAN[station_index % 3 :: 3]
        for index, (kind, service_kind, title, citizens) in enumerate(plan):
            held_on = today - timedelta(days=20 + (index * 29 + station_index * 7) % 340)
            participants = members[index % max(len(members), 1) :][:3] if members else []
            if station_index == 0 and station.head and station.head not in participants:
                participants.append(station.head)
            with at(held_on, 18):  # recorded the evening after the activity
                activity = services.activity_create(
                    station=station,
                    actor=actor,
                    data={
                        "held_on": held_on,
                        "kind": kind,
                        "service_kind": service_kind,
                        "title": title,
                        "description": f"{station.name}组织开展“{title}”活动，委员与群众面对面交流，收集意见建议。",
                        "citizens_reached": citizens,
                    },
                    participants=participants,
                    photos=[_demo_photo(station_index * 10 + index)] if index % 4 == 0 else [],
                )
            activities.append(activity)
    departments = {org.name: org for org in Organization.objects.all()}
    for index, (problem, raised_by, department, status) in enumerate(MATTER_PLAN):
        station = stations[index % len(stations)] if index % 2 else stations[0]
        station_activities = [a for a in activities if a.station_id == station.pk]
        source = station_activities[index % len(station_activities)] if station_activities else None
        raised_on = (source.held_on if source else today - timedelta(days=60)) + timedelta(days=1)
        members = list(source.participants.all()[:2]) if source else []
        raised_on = min(raised_on, today)
        with at(raised_on, 10):
            matter = services.matter_open(
                station=station,
                actor=actor,
                problem=problem,
                raised_by=raised_by,
                raised_on=raised_on,
                department=departments.get(department),
                members=members,
                activity=source,
            )
        if status in (MatterStatus.IN_PROGRESS, MatterStatus.SOLVED):
            with at(min(raised_on + timedelta(days=2), today), 11):
                services.matter_transition(
                    matter=matter, actor=actor, target=MatterStatus.IN_PROGRESS, note="已转责任单位办理"
                )
        if status == MatterStatus.SOLVED:
            resolved_on = min(matter.raised_on + timedelta(days=15), today)
            with at(resolved_on, 16):
                services.matter_transition(
                    matter=matter,
                    actor=actor,
                    target=MatterStatus.SOLVED,
                    resolution="责任单位已现场处理完毕，群众表示满意。",
                    resolved_on=resolved_on,
                )
        if status == MatterStatus.UNSOLVABLE:
            with at(min(raised_on + timedelta(days=10), today), 16):
                services.matter_transition(
                    matter=matter,
                    actor=actor,
                    target=MatterStatus.UNSOLVABLE,
                    reason="场地暂不具备条件，已纳入明年民生项目统筹考虑。",
                )
    services.donation_record(
        station=stations[0],
        actor=actor,
        donated_on=today - timedelta(days=90),
        donor="李明远",
        donor_member=stations[0].head,
        kind=DonationKind.MONEY,
        amount=Decimal("5000.00"),
        recipient="杨村街道困难学生助学金",
    )
    services.donation_record(
        station=stations[0],
        actor=actor,
        donated_on=today - timedelta(days=30),
        donor="天津某食品有限公司",
        kind=DonationKind.GOODS,
        goods="米面油 200 份",
        goods_value=Decimal("16000.00"),
        recipient="辖区困难家庭",
    )
    if len(stations) > 7:
        services.donation_record(
            station=stations[7],
            actor=actor,
            donated_on=today - timedelta(days=150),
            donor="医卫界委员",
            kind=DonationKind.GOODS,
            goods="血压计 30 台",
            recipient="社区卫生服务站",
        )
    stdout.write(f"联络站活动 {len(activities)} 次，民生实事 {len(MATTER_PLAN)} 件。")


seed_station_work.seed_order = 11
register("demo_seeders", seed_station_work)
