"""Demo district for ``manage.py seed_demo``: people, organisations and logins."""

from __future__ import annotations

import random
from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from cppcc_portal.hooks import register
from cppcc_portal.roles import Office, Role

from .enums import CommitteeRole, GroupRole, OrganizationKind, PartyKind
from .models import (
    ActivityGroup,
    ActivityGroupMembership,
    Committee,
    CommitteeMembership,
    GroupYearPlan,
    Member,
    Organization,
    Party,
    PlenarySession,
    Position,
    Sector,
    Term,
    User,
)
from .roles import staff_permissions

DEMO_PASSWORD = "demo-2026"

SECTORS = [
    "中共",
    "民革",
    "民盟",
    "民建",
    "民进",
    "农工党",
    "九三学社",
    "无党派人士",
    "共青团",
    "工会",
    "妇联",
    "工商联",
    "经济界",
    "教育界",
    "科技界",
    "医药卫生界",
    "文化艺术界",
    "社会福利和社会保障界",
    "特邀人士",
]
COMMITTEES = [
    ("提案委员会", "提案委"),
    ("经济委员会", "经济委"),
    ("人口资源环境委员会", "人资环委"),
    ("教科卫体委员会", "教科卫体委"),
    ("社会和法制委员会", "社法委"),
    ("文化文史和学习委员会", "文史委"),
    ("民族宗教和港澳台侨委员会", "民宗委"),
    ("农业和农村委员会", "农业农村委"),
]
PARTIES = [
    ("中国共产党", PartyKind.CPC),
    ("中国国民党革命委员会", PartyKind.DEMOCRATIC),
    ("中国民主同盟", PartyKind.DEMOCRATIC),
    ("中国民主建国会", PartyKind.DEMOCRATIC),
    ("中国民主促进会", PartyKind.DEMOCRATIC),
    ("中国农工民主党", PartyKind.DEMOCRATIC),
    ("中国致公党", PartyKind.DEMOCRATIC),
    ("九三学社", PartyKind.DEMOCRATIC),
    ("无党派人士", PartyKind.NON_PARTY),
    ("群众", PartyKind.MASSES),
]
POSITIONS = [
    ("主席", 1, True, True),
    ("副主席", 2, True, True),
    ("秘书长", 3, True, True),
    ("常委", 4, False, True),
    ("委员", 5, False, False),
]
UNITS = [
    "区教育局",
    "区卫生健康委员会",
    "区发展和改革委员会",
    "区住房和城乡建设委员会",
    "区生态环境局",
    "区交通运输局",
    "区民政局",
    "区人力资源和社会保障局",
    "区市场监督管理局",
    "区城市管理委员会",
    "区农业农村委员会",
    "区文化和旅游局",
]
TOWNS = ["杨村街道", "下朱庄街道", "东蒲洼街道", "黄庄街道", "王庆坨镇", "大良镇"]
PEOPLES_ORGS = ["区总工会", "团区委", "区妇联", "区工商联"]
# 民主党派区委: the democratic parties' district committees, which file collective proposals.
PARTY_COMMITTEES = [
    ("民革区委", "中国国民党革命委员会"),
    ("民盟区委", "中国民主同盟"),
    ("民建区委", "中国民主建国会"),
    ("民进区委", "中国民主促进会"),
    ("农工党区委", "中国农工民主党"),
    ("致公党区委", "中国致公党"),
    ("九三学社区委", "九三学社"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = [
    "建国",
    "志强",
    "秀英",
    "丽华",
    "海燕",
    "文斌",
    "晓明",
    "春梅",
    "国庆",
    "红霞",
    "振华",
    "玉兰",
    "立新",
    "桂芳",
    "永刚",
    "淑珍",
    "德明",
    "雪梅",
    "俊杰",
    "静怡",
    "子涵",
    "宏伟",
    "佳琪",
    "明辉",
    "敏",
    "磊",
    "洁",
    "涛",
    "芳",
    "勇",
]
EMPLOYERS = [
    "区第一中学 校长",
    "区人民医院 副院长",
    "天津某科技有限公司 董事长",
    "区律师协会 律师",
    "区农业技术推广中心 高级农艺师",
    "区实验小学 教师",
    "区中医医院 主任医师",
    "某建设集团 总工程师",
    "区图书馆 馆长",
    "某社区卫生服务中心 主任",
    "区职业技术学校 副校长",
    "某食品有限公司 总经理",
    "区文化馆 副馆长",
    "某会计师事务所 合伙人",
    "区妇幼保健院 院长",
]

NAMED_USERS = {
    # username: (display name, roles, member position or None, organization)
    "staff": ("周文静", [Role.STAFF, Office.ALL], None, None),
    "leader": ("郑国华", [Role.LEADER, Role.MEMBER], "副主席", None),
    "member1": ("李明远", [Role.MEMBER, Role.STATION_HEAD], "常委", None),
    "member2": ("王淑芬", [Role.MEMBER], "委员", None),
    "member3": ("张海涛", [Role.MEMBER], "委员", None),
    "unit_edu": ("区教育局 刘老师", [Role.UNIT], None, "区教育局"),
    "unit_health": ("区卫健委 陈科长", [Role.UNIT], None, "区卫生健康委员会"),
    "unit_edu_head": ("区教育局 王局长", [Role.UNIT], None, "区教育局"),
    "party_minjin": ("民进区委 赵秘书", [Role.PROPOSER_ORG], None, "民进区委"),
    "party_minjin_head": ("民进区委 孙主委", [Role.PROPOSER_ORG], None, "民进区委"),
    # One login per division of the office (``staff`` above acts for all of them).
    "staff_proposals": ("提案委办公室 吴宏", [Role.STAFF, Office.PROPOSALS], None, None),
    "staff_opinions": ("研究室 何雅琴", [Role.STAFF, Office.RESEARCH], None, None),
    "staff_meetings": ("办公室 马立新", [Role.STAFF, Office.GENERAL], None, None),
    "staff_committee": ("经济委办公室 高峰", [Role.STAFF], None, None),
}
# The 专委会办公室 each committee office login works in.
COMMITTEE_OFFICES = {"staff_committee": "经济委员会"}
# Unit users who draft replies (经办人) and organisation users who file collective proposals;
# the other unit or organisation users are its 负责人: they sign replies off or confirm proposals.
UNIT_CLERKS = {"unit_edu", "party_minjin"}


def _user(username: str, **fields) -> User:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def seed_members(stdout) -> None:
    rng = random.Random(2026)
    term, _ = Term.objects.get_or_create(
        number=2,
        defaults={
            "name": "第二届",
            "short_name": "二届",
            "start_date": date(2022, 1, 1),
            "end_date": date(2026, 12, 31),
            "is_current": True,
        },
    )
    sessions = [
        (4, 2025, date(2025, 1, 6), date(2025, 1, 9), False),
        (5, 2026, date(2026, 1, 5), date(2026, 1, 8), True),
    ]
    numerals = "零一二三四五六七八九"
    for number, year, opens, closes, current in sessions:
        PlenarySession.objects.get_or_create(
            term=term,
            number=number,
            defaults={
                "name": f"第二届第{numerals[number]}次会议",
                "short_name": f"二届{numerals[number]}次会议",
                "year": year,
                "opens_on": opens,
                "closes_on": closes,
                "proposal_deadline": closes,
                "is_current": current,
            },
        )
    for order, name in enumerate(SECTORS):
        Sector.objects.get_or_create(name=name, defaults={"order": order})
    for order, (name, short) in enumerate(COMMITTEES):
        Committee.objects.get_or_create(name=name, defaults={"short_name": short, "order": order})
    for order, (name, kind) in enumerate(PARTIES):
        Party.objects.get_or_create(name=name, defaults={"kind": kind, "order": order})
    for name, rank, leadership, standing in POSITIONS:
        Position.objects.get_or_create(
            name=name, defaults={"rank": rank, "is_leadership": leadership, "is_standing_committee": standing}
        )
    for order, name in enumerate(UNITS):
        Organization.objects.get_or_create(name=name, defaults={"kind": OrganizationKind.HANDLING_UNIT, "order": order})
    for order, name in enumerate(TOWNS):
        Organization.objects.get_or_create(
            name=name, defaults={"kind": OrganizationKind.TOWN_STREET, "order": 100 + order}
        )
    for order, name in enumerate(PEOPLES_ORGS):
        Organization.objects.get_or_create(
            name=name, defaults={"kind": OrganizationKind.PEOPLES_ORG, "order": 200 + order}
        )

    for order, (name, party_name) in enumerate(PARTY_COMMITTEES):
        Organization.objects.get_or_create(
            name=name,
            defaults={
                "kind": OrganizationKind.PARTY,
                "short_name": name.removesuffix("区委"),
                "party": Party.objects.get(name=party_name),
                "order": 150 + order,
            },
        )

    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in (*Role, *Office)}
    groups[Role.STAFF].permissions.set(staff_permissions())

    admin = _user("admin", name="系统管理员", is_staff=True, is_superuser=True, email="admin@example.org")
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save()

    parties = list(Party.objects.all())
    sectors = list(Sector.objects.all())
    committees = list(Committee.objects.all())
    positions = {p.name: p for p in Position.objects.all()}

    party_of_sector = {
        "中共": "中国共产党",
        "民革": "中国国民党革命委员会",
        "民盟": "中国民主同盟",
        "民建": "中国民主建国会",
        "民进": "中国民主促进会",
        "农工党": "中国农工民主党",
        "九三学社": "九三学社",
        "无党派人士": "无党派人士",
    }
    parties_by_name = {party.name: party for party in parties}
    open_parties = [parties_by_name[name] for name in ("中国共产党", "无党派人士", "群众")]

    def make_member(index: int, name: str, position: str, user: User | None = None) -> Member:
        mobile = f"139{2026_0000 + index:08d}"
        sector = sectors[index % len(sectors)]
        party = parties_by_name.get(party_of_sector.get(sector.name, "")) or rng.choice(open_parties)
        member, created = Member.objects.get_or_create(
            mobile=mobile,
            defaults={
                "name": name,
                "gender": "女" if name[-1] in "英华燕梅霞兰芳珍怡涵琪敏洁芬" else "男",
                "birth_date": date(1960 + rng.randrange(0, 30), rng.randrange(1, 13), rng.randrange(1, 29)),
                "party": party,
                "sector": sector,
                "employer_title": rng.choice(EMPLOYERS),
                "position": positions[position],
                "email": user.email if user else f"member{index}@example.org",
                "address": f"区政协委员通讯地址 {index} 号",
                "user": user,
            },
        )
        if created:
            member.terms.add(term)
            for committee in rng.sample(committees, 1 + index % 2):
                CommitteeMembership.objects.get_or_create(
                    member=member,
                    committee=committee,
                    defaults={"role": CommitteeRole.DIRECTOR if index % 17 == 0 else CommitteeRole.MEMBER},
                )
        return member

    for index, (username, (display, roles, position, org_name)) in enumerate(NAMED_USERS.items(), start=1):
        organization = Organization.objects.get(name=org_name) if org_name else None
        user = _user(
            username,
            name=display,
            email=f"{username}@example.org",
            organization=organization,
            is_unit_head=bool(organization) and username not in UNIT_CLERKS,
            is_staff=Role.STAFF in roles,
        )
        user.groups.add(*(groups[role] for role in roles))
        if username in COMMITTEE_OFFICES:
            Committee.objects.get(name=COMMITTEE_OFFICES[username]).office_staff.add(user)
        if position:
            make_member(index, display, position, user)

    used = set(Member.objects.values_list("name", flat=True))
    index = 100
    while Member.objects.count() < 60:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        index += 1
        if name in used:
            continue
        used.add(name)
        position = "主席" if index == 101 else "副主席" if index in (102, 103) else "常委" if index % 5 == 0 else "委员"
        make_member(index, name, position)
    _give_logins(groups)
    stdout.write(f"委员 {Member.objects.count()} 人，承办单位 {len(UNITS)} 个，用户 {User.objects.count()} 个。")


def _give_logins(groups: dict) -> None:
    """Most members and every handling unit sign in, as in a district a year into the term: the
    members file and rate proposals, the units reply. A few members have not activated their
    account yet. One password hash serves every such login (hashing 60 times would take most
    of the seeding time), and it is the demo password like everyone else's."""
    shared_hash = make_password(DEMO_PASSWORD)
    for member in Member.objects.filter(user__isnull=True, mobile__startswith="1392026").order_by("mobile"):
        index = int(member.mobile[3:]) - 2026_0000  # as make_member numbered them
        if index % 4 == 0:
            continue
        user, _ = User.objects.get_or_create(
            username=f"wy{index}", defaults={"name": member.name, "email": member.email, "password": shared_hash}
        )
        user.groups.add(groups[Role.MEMBER])
        Member.objects.filter(pk=member.pk).update(user=user)
    for number, name in enumerate(UNITS, start=1):
        unit = Organization.objects.get(name=name)
        if User.objects.filter(organization=unit).exists():
            continue
        short = name.removeprefix("区").replace("委员会", "委").replace("和", "")[:6]
        user = User.objects.create(
            username=f"unit{number:02d}",
            name=f"{short} 联络员",
            email=f"unit{number:02d}@example.org",
            organization=unit,
            is_unit_head=True,
            password=shared_hash,
        )
        user.groups.add(groups[Role.UNIT])


seed_members.seed_order = 0
register("demo_seeders", seed_members)


# 界别活动组 (蓟州's practice): sectors grouped under the 专委会 whose office serves them.
ACTIVITY_GROUPS = [
    ("经济界活动组", "经济委员会", ["经济界", "工商联", "民建"]),
    ("教育科技界活动组", "教科卫体委员会", ["教育界", "科技界", "九三学社", "民进"]),
    ("医药卫生界活动组", "教科卫体委员会", ["医药卫生界", "农工党"]),
    ("文化艺术界活动组", "文化文史和学习委员会", ["文化艺术界", "民盟"]),
    ("社会界活动组", "社会和法制委员会", ["社会福利和社会保障界", "工会", "妇联", "共青团"]),
]
PLAN_ITEMS = {
    "经济委员会": ["围绕优化营商环境开展专题调研", "组织委员视察重点项目建设", "召开民营经济发展协商座谈会"],
    "教科卫体委员会": ["“请你来商量”：学校周边交通", "“双减”与课后服务专项监督", "基层医疗卫生服务能力调研"],
    "农业农村委员会": ["农村人居环境整治联合调研", "乡村振兴示范村视察"],
    "人口资源环境委员会": ["北运河水环境治理联合视察", "垃圾分类工作协商"],
}


def seed_groups(stdout) -> None:
    """Activity groups with their leaders, each committee's deputy director, and the year plans."""
    year = date.today().year
    committees = {c.name: c for c in Committee.objects.all()}
    for order, (name, committee_name, sector_names) in enumerate(ACTIVITY_GROUPS):
        group, created = ActivityGroup.objects.get_or_create(
            name=name, defaults={"committee": committees.get(committee_name), "order": order}
        )
        if not created:
            continue
        group.sectors.set(Sector.objects.filter(name__in=sector_names))
        people = list(Member.objects.active().filter(sector__name__in=sector_names).order_by("position__rank", "id"))
        ActivityGroupMembership.objects.bulk_create(
            ActivityGroupMembership(
                member=member,
                group=group,
                role=GroupRole.LEADER if index == 0 else GroupRole.DEPUTY if index == 1 else GroupRole.MEMBER,
            )
            for index, member in enumerate(people)
        )
        GroupYearPlan.objects.get_or_create(
            activity_group=group,
            year=year,
            defaults={
                "text": f"开展{name.removesuffix('活动组')}专题学习交流\n组织界别协商一次\n每位成员年内至少报送一篇社情民意"
            },
        )
    for committee in committees.values():
        memberships = list(committee.memberships.order_by("member__position__rank", "member_id"))
        if memberships and not any(m.role == CommitteeRole.DEPUTY for m in memberships):
            for membership in memberships[1:3]:
                if membership.role == CommitteeRole.MEMBER:
                    membership.role = CommitteeRole.DEPUTY
                    membership.save(update_fields=["role"])
        items = PLAN_ITEMS.get(committee.name, ["落实年度协商计划议题", "组织委员开展视察调研"])
        GroupYearPlan.objects.get_or_create(committee=committee, year=year, defaults={"text": "\n".join(items)})
    stdout.write(f"界别活动组 {ActivityGroup.objects.count()} 个，年度工作计划 {GroupYearPlan.objects.count()} 份。")


seed_groups.seed_order = 1
register("demo_seeders", seed_groups)
