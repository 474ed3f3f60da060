"""Demo 社情民意 for ``seed_demo``: reports at every step, written through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cppcc_portal.demo_clock import at
from cppcc_portal.hooks import register
from liaison_stations.selectors import station_activities, stations_headed_by
from members.models import Organization, User

from . import services
from .enums import HigherLevel, InstructionLevel, IssueKind, OpinionStatus
from .models import MicroSuggestion, OpinionIssue, PublicOpinion

REPORTS = [
    # (author, title, urgent, days ago, step)
    ("member1", "关于杨村街道老旧小区加装电梯资金分摊难的情况反映", False, 40, "instructed+feedback"),
    ("member1", "关于学校周边上下学时段交通拥堵的紧急反映", True, 0, "submitted"),
    ("member2", "关于社区卫生服务站周末开诊的建议", False, 2, "submitted"),
    ("member3", "关于农贸市场占道经营影响通行的反映", False, 12, "edited"),
    ("member2", "关于增设社区儿童托管服务的建议", False, 25, "adopted"),
    ("member3", "关于推广某品牌保健品进社区的建议", False, 20, "not_adopted"),
    ("leader", "关于加强农村饮用水安全监测的建议", False, 60, "instructed"),
    ("member1", "关于雨季老旧小区积水隐患的情况反映", False, 15, "overdue"),
    # 民进区委 reports in its own name, member2 its contact member.
    ("party_minjin", "关于中小学教师非教学负担过重的情况反映", False, 9, "adopted"),
    # ... and one its 经办 has written, waiting for the head's confirmation.
    ("party_minjin", "关于社区书法公益课堂场地不足的情况反映", False, 1, "awaiting_head"),
]

YEAR_REPORTS = [
    # (title, step)
    ("关于春节期间农村燃放烟花爆竹安全管理的建议", "adopted"),
    ("关于中小学寒假托管服务的建议", "instructed"),
    ("关于规范城区电动自行车充电管理的建议", "instructed+feedback"),
    ("关于春季大风天气渣土车遮盖不严的情况反映", "adopted"),
    ("关于农村留守老人精神关爱的建议", "adopted"),
    ("关于加强农资市场春耕期间监管的建议", "not_adopted"),
    ("关于社区“一刻钟便民生活圈”建设的建议", "instructed"),
    ("关于汛期前排查地下管网隐患的建议", "instructed+feedback"),
    ("关于高校毕业生返乡就业服务的建议", "adopted"),
    ("关于暑期未成年人防溺水宣传的建议", "adopted"),
    ("关于夏季高温户外劳动者权益保障的建议", "instructed"),
    ("关于老旧小区二次供水改造的建议", "adopted"),
    ("关于秋季开学校园周边交通疏导的建议", "adopted"),
    ("关于秋收秸秆综合利用的建议", "not_adopted"),
    ("关于冬季供暖保障困难家庭的建议", "instructed+feedback"),
    ("关于农村客运班线冬季运营的建议", "adopted"),
    ("关于社区食堂可持续运营的建议", "adopted"),
    ("关于城区公共厕所管护的建议", "instructed"),
]


def seed_opinions(stdout) -> None:
    if PublicOpinion.objects.filter(source_proposal__isnull=True).exists():
        return
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=["staff", "member1", "member2", "member3", "leader", "party_minjin", "party_minjin_head"]
        )
    }
    staff = users.get("staff")
    if staff is None:
        return
    today = timezone.localdate()
    home = stations_headed_by(users["member1"]).first() if "member1" in users else None
    activities = list(station_activities(home).order_by("-held_on")) if home else []
    department = Organization.objects.filter(name="区住房和城乡建设委员会").first() or Organization.objects.first()

    def report(
        index: int, actor, title: str, urgent: bool, on, step: str, activity=None, station=None, author=None
    ) -> None:
        """File one report on ``on`` and take it through ``step``, each act on its own day."""
        with at(on, 9 + index % 9):
            opinion = services.opinion_file(
                actor=actor,
                title=title,
                situation=f"{title.removeprefix('关于').removesuffix('的建议').removesuffix('的情况反映')}，群众反映较为集中。"
                "经走访了解，问题已持续一段时间，涉及居民较多，影响日常生活。",
                suggestion="一是摸清底数，建立问题台账；二是明确责任部门和完成时限；三是建立长效机制，定期向群众公开进展。",
                urgent=urgent,
                activity=activity,
                station=station,
                author=author,
                on=on,
            )
            if opinion.status == OpinionStatus.AWAITING_HEAD and step != "awaiting_head":
                opinion = services.opinion_confirm_by_head(opinion=opinion, actor=users["party_minjin_head"])
        decided_on = min(on + timedelta(days=3), today)
        if step == "edited" or step.startswith("instructed") or step == "adopted":
            with at(min(on + timedelta(days=1), today), 15):
                services.opinion_edit_for_report(
                    opinion=opinion,
                    actor=staff,
                    report_title=f"{title}（编报稿）",
                    report_text=f"{opinion.situation}\n\n{opinion.suggestion}",
                )
        if step == "adopted" or step.startswith("instructed"):
            with at(decided_on, 16):
                services.opinion_decide(
                    opinion=opinion,
                    actor=staff,
                    adopt=True,
                    on=decided_on,
                    to_party_committee=True,
                    to_government=step != "adopted",
                    to_city_cppcc=step == "instructed",
                )
        if step.startswith("instructed"):
            instructed_on = min(decided_on + timedelta(days=5), today)
            with at(instructed_on, 17):
                services.opinion_record_instruction(
                    opinion=opinion,
                    actor=staff,
                    leader="区委书记 王某某",
                    level=InstructionLevel.DISTRICT,
                    text="请区住建委牵头研究，拿出切实可行的解决方案。",
                    instructed_on=instructed_on,
                )
        if step == "instructed+feedback" and department:
            received_on = min(decided_on + timedelta(days=20), today)
            with at(received_on, 11):
                services.opinion_record_feedback(
                    opinion=opinion,
                    actor=staff,
                    department=department,
                    text="已完成摸底调查，制定分摊指导意见，首批 12 个单元已开工。",
                    received_on=received_on,
                )
        if step == "not_adopted":
            with at(decided_on, 16):
                services.opinion_decide(
                    opinion=opinion,
                    actor=staff,
                    adopt=False,
                    on=decided_on,
                    reason="涉及具体商品推介，不宜作为社情民意报送。",
                )

    # The year behind: a report every two weeks or so from members across the district.
    writers = list(
        User.objects.filter(member__isnull=False, username__startswith="wy").order_by("id")[: len(YEAR_REPORTS)]
    )
    for index, (writer, (title, step)) in enumerate(zip(writers, YEAR_REPORTS, strict=False)):
        on = date(today.year, 1, 12) + timedelta(days=index * 13)
        if on < today - timedelta(days=70):
            report(index, writer, title, False, on, step)
    # The demo users' own reports, at every step, the last weeks.
    for index, (username, title, urgent, days_ago, step) in enumerate(REPORTS):
        actor = users[username]
        on = today - timedelta(days=days_ago)
        activity = next((a for a in activities if a.held_on <= on), None) if username == "member1" else None
        station = home if username == "member1" and index == 0 else None
        author = users["member2"].member if username == "party_minjin" else None
        report(index, actor, title, urgent, on, step, activity, station, author)
    stdout.write(
        f"社情民意 {PublicOpinion.objects.count()} 篇（待审核 {PublicOpinion.objects.filter(status=OpinionStatus.SUBMITTED).count()} 篇）。"
    )


seed_opinions.seed_order = 50
register("demo_seeders", seed_opinions)


MICRO = [
    # (username, unit user whose unit answers, title, days ago, step)
    ("member2", "unit_health", "社区卫生服务站候诊区座椅不足", 3, "submitted"),
    ("member1", "unit_edu", "杨村小学东门放学时段缺少护学岗", 25, "submitted"),  # overdue
    ("member2", "unit_edu", "幼儿园门口人行道破损", 30, "answered"),
    ("member1", "unit_health", "社区健身器材老化存在安全隐患", 40, "raised_opinion"),
    ("member3", "unit_edu", "农村学校午餐供应不均衡", 35, "raised_proposal"),
]
CHANNELS = [
    ("关于春节期间农村燃放烟花爆竹安全管理的建议", "through_train"),
    ("关于中小学寒假托管服务的建议", "heart_bridge"),
    ("关于规范城区电动自行车充电管理的建议", "online"),
]


def seed_micro_and_issues(stdout) -> None:
    """微建议 in every state, channels, a 市政协 adoption, and issues of adopted reports."""
    from proposals.models import ProposalCategory

    if MicroSuggestion.objects.exists():
        return
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["staff", "member1", "member2", "member3", "unit_edu", "unit_health"])
    }
    staff = users.get("staff")
    if staff is None or "member1" not in users:
        return
    today = timezone.localdate()
    home = stations_headed_by(users["member1"]).first()
    category = ProposalCategory.objects.filter(is_active=True).first()
    for index, (username, unit_user, title, days_ago, step) in enumerate(MICRO):
        on = today - timedelta(days=days_ago)
        actor = users[username]
        with at(on, 10 + index):
            micro = services.micro_file(
                actor=actor,
                title=title,
                place="杨村街道" if username == "member1" else "",
                problem=f"{title}，周边居民多次反映，至今未解决。",
                suggestion="建议责任单位尽快现场查看，明确整改时限并向居民公开。",
                unit=users[unit_user].organization,
                station=home if username == "member1" else None,
                on=on,
            )
        if step in ("answered", "raised_opinion", "raised_proposal"):
            with at(on + timedelta(days=5), 15):
                services.micro_answer(
                    suggestion=micro,
                    actor=users[unit_user],
                    answer="已安排专人现场查看，纳入本季度维修计划，预计一个月内完成。",
                    on=on + timedelta(days=5),
                )
        if step == "raised_opinion":
            with at(on + timedelta(days=8), 9):
                services.micro_raise_to_opinion(suggestion=micro, actor=staff)
        if step == "raised_proposal" and category is not None:
            with at(on + timedelta(days=8), 9):
                services.micro_raise_to_proposal(suggestion=micro, actor=staff, category=category)

    for title, channel in CHANNELS:
        opinion = PublicOpinion.objects.filter(title=title).first()
        if opinion is not None:
            services.opinion_set_channel(opinion=opinion, actor=staff, channel=channel)

    lift = PublicOpinion.objects.filter(title=REPORTS[0][1], status=OpinionStatus.ADOPTED).first()
    if lift is not None:
        with at(min(lift.decided_on + timedelta(days=10), today), 10):
            services.opinion_record_higher_adoption(
                opinion=lift,
                actor=staff,
                level=HigherLevel.CITY,
                adopted_on=min(lift.decided_on + timedelta(days=10), today),
                note="《市政协社情民意》第12期",
            )
    # The year's adopted reports in issues; the demo members' recent adopted ones wait for the next issue.
    recent = {title for _username, title, *_rest in REPORTS}
    adopted = list(
        PublicOpinion.objects.filter(status=OpinionStatus.ADOPTED)
        .exclude(title__in=recent)
        .order_by("decided_on", "pk")
    )
    for start in range(0, len(adopted), 4):
        batch = adopted[start : start + 4]
        compiled_on = max(o.decided_on for o in batch) + timedelta(days=2)
        if compiled_on > today:
            break
        with at(compiled_on, 14):
            issue = services.issue_create(actor=staff, kind=IssueKind.REGULAR, opinions=batch, compiled_on=compiled_on)
            services.issue_send(actor=staff, issue=issue, recipients=["区委办公室", "区政府办公室"], on=compiled_on)
    if lift is not None:
        with at(today, 9):
            special = services.issue_create(
                actor=staff,
                kind=IssueKind.SPECIAL,
                opinions=[lift],
                compiled_on=today,
                editor_note="老旧小区加装电梯事关群众切身利益，报请区委、区政府领导参阅。",
            )
            services.issue_send(actor=staff, issue=special, recipients=["区委主要领导", "区政府主要领导"], on=today)
    stdout.write(f"微建议 {MicroSuggestion.objects.count()} 条；社情民意刊物 {OpinionIssue.objects.count()} 期。")


seed_micro_and_issues.seed_order = 51
register("demo_seeders", seed_micro_and_issues)
