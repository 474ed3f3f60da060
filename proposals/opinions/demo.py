"""Demo 社情民意 for ``seed_demo``: reports at every step, written through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cppcc_portal.hooks import register
from liaison_stations.selectors import station_activities, stations_headed_by
from members.models import Organization, User

from . import services
from .enums import InstructionLevel, OpinionStatus
from .models import PublicOpinion

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
]


def seed_opinions(stdout) -> None:
    if PublicOpinion.objects.filter(source_proposal__isnull=True).exists():
        return
    users = {
        user.username: user
        for user in User.objects.filter(username__in=["staff", "member1", "member2", "member3", "leader"])
    }
    staff = users.get("staff")
    if staff is None:
        return
    today = timezone.localdate()
    home = stations_headed_by(users["member1"]).first() if "member1" in users else None
    activities = list(station_activities(home).order_by("-held_on")) if home else []
    department = Organization.objects.filter(name="区住房和城乡建设委员会").first() or Organization.objects.first()
    for index, (username, title, urgent, days_ago, step) in enumerate(REPORTS):
        actor = users[username]
        on = today - timedelta(days=days_ago)
        activity = next((a for a in activities if a.held_on <= on), None) if username == "member1" else None
        opinion = services.opinion_file(
            actor=actor,
            title=title,
            situation=f"{title.removeprefix('关于').removesuffix('的建议').removesuffix('的情况反映')}，群众反映较为集中。"
            "经走访了解，问题已持续一段时间，涉及居民较多，影响日常生活。",
            suggestion="一是摸清底数，建立问题台账；二是明确责任部门和完成时限；三是建立长效机制，定期向群众公开进展。",
            urgent=urgent,
            activity=activity,
            station=home if username == "member1" and index == 0 else None,
            on=on,
        )
        decided_on = min(on + timedelta(days=3), today)
        if step == "edited" or step.startswith("instructed") or step == "adopted":
            services.opinion_edit_for_report(
                opinion=opinion,
                actor=staff,
                report_title=f"{title}（编报稿）",
                report_text=f"{opinion.situation}\n\n{opinion.suggestion}",
            )
        if step == "adopted" or step.startswith("instructed"):
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
            services.opinion_record_instruction(
                opinion=opinion,
                actor=staff,
                leader="区委书记 王某某",
                level=InstructionLevel.DISTRICT,
                text="请区住建委牵头研究，拿出切实可行的解决方案。",
                instructed_on=min(decided_on + timedelta(days=5), today),
            )
        if step == "instructed+feedback" and department:
            services.opinion_record_feedback(
                opinion=opinion,
                actor=staff,
                department=department,
                text="已完成摸底调查，制定分摊指导意见，首批 12 个单元已开工。",
                received_on=min(decided_on + timedelta(days=20), today),
            )
        if step == "not_adopted":
            services.opinion_decide(
                opinion=opinion,
                actor=staff,
                adopt=False,
                on=decided_on,
                reason="涉及具体商品推介，不宜作为社情民意报送。",
            )
    stdout.write(
        f"社情民意 {PublicOpinion.objects.count()} 篇（待审核 {PublicOpinion.objects.filter(status=OpinionStatus.SUBMITTED).count()} 篇）。"
    )


seed_opinions.seed_order = 50
register("demo_seeders", seed_opinions)
