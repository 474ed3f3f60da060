"""The demo's year of proposals: the current plenary's 140 proposals, filed in its four days,
registered, assigned at the 交办会, accepted, answered and rated over the following months.

Every step goes through the services inside ``demo_clock.at(...)``, so the timeline rows,
the ledger entries, the notices and the due dates the clocks compute all carry the day the
step happened; each step is taken before the due date its clock set. The demo users'
own hand-made cases (``proposals/demo.py``) come after, in today's state.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db.models import F

from cppcc_portal.demo_clock import at, moment
from cppcc_portal.hooks import register
from cppcc_portal.models import Notification
from cppcc_portal.roles import system_actor
from cppcc_portal.workdays import add_working_days
from members.models import Member, Organization, PlenarySession, User
from members.performance.scoring import refresh_deferred

from . import services
from .defaults import ensure_lists
from .enums import ContactMethod, Period
from .models import Assignment, NonRegistrationReason, Proposal, ProposalCategory

YEAR_SIZE = 140
# (topic, category, handling unit): the units whose demo users have their own cases are left out.
TOPICS = [
    ("完善农村生活污水治理长效机制", "生态文明建设", "区生态环境局"),
    ("加强北运河沿线生态保护", "生态文明建设", "区生态环境局"),
    ("推进垃圾分类提质扩面", "生态文明建设", "区城市管理委员会"),
    ("整治背街小巷环境秩序", "社会建设", "区城市管理委员会"),
    ("规范共享单车停放管理", "社会建设", "区城市管理委员会"),
    ("优化城区公交线网", "社会建设", "区交通运输局"),
    ("缓解老旧小区停车难", "社会建设", "区交通运输局"),
    ("加快农村公路提档升级", "经济建设", "区交通运输局"),
    ("完善居家社区养老服务网络", "社会建设", "区民政局"),
    ("发展社区老年助餐服务", "社会建设", "区民政局"),
    ("加强困境儿童关爱保护", "社会建设", "区民政局"),
    ("促进高校毕业生就业创业", "经济建设", "区人力资源和社会保障局"),
    ("加强新就业形态劳动者权益保障", "社会建设", "区人力资源和社会保障局"),
    ("完善技能人才培养激励机制", "经济建设", "区人力资源和社会保障局"),
    ("加强校园周边食品安全监管", "社会建设", "区市场监督管理局"),
    ("优化个体工商户登记服务", "经济建设", "区市场监督管理局"),
    ("规范预付式消费市场秩序", "经济建设", "区市场监督管理局"),
    ("推进老旧小区综合改造", "社会建设", "区住房和城乡建设委员会"),
    ("加强物业服务企业监管", "社会建设", "区住房和城乡建设委员会"),
    ("推进保障性租赁住房建设", "社会建设", "区住房和城乡建设委员会"),
    ("优化营商环境提升政务服务效能", "经济建设", "区发展和改革委员会"),
    ("培育壮大数字经济新业态", "经济建设", "区发展和改革委员会"),
    ("推动区域协同发展重点项目落地", "经济建设", "区发展和改革委员会"),
    ("发展设施农业和特色种植", "经济建设", "区农业农村委员会"),
    ("推进和美乡村建设", "社会建设", "区农业农村委员会"),
    ("完善农产品冷链物流体系", "经济建设", "区农业农村委员会"),
    ("提升公共文化服务效能", "文化建设", "区文化和旅游局"),
    ("推动文旅融合发展", "文化建设", "区文化和旅游局"),
    ("加强历史文化街区保护利用", "文化建设", "区文化和旅游局"),
    ("发展全民健身公共服务", "文化建设", "区文化和旅游局"),
    ("加强基层协商民主建设", "政治建设", "区民政局"),
    ("推进智慧城市管理平台建设", "社会建设", "区城市管理委员会"),
    ("提升农村客运服务水平", "社会建设", "区交通运输局"),
    ("加强大气污染联防联控", "生态文明建设", "区生态环境局"),
    ("支持中小微企业纾困发展", "经济建设", "区发展和改革委员会"),
]
FORMS = ["关于{}的建议", "关于进一步{}的建议", "关于{}工作的几点建议", "关于切实{}的建议"]
REPLIES = {
    "A": "经研究，所提建议已采纳并落实：已制定专项工作方案，明确责任分工和完成时限，相关措施已全面推开。",
    "B": "所提建议已列入明年工作计划，目前正在开展前期调研和资金测算，预计年内分步实施。",
    "C": "所提建议很有价值，但受财力和规划条件所限，近期难以实施，我们将留作今后工作参考。",
}
BACKGROUND = (
    "{topic}事关群众切身利益。经走访调研，我区在这方面仍有短板：投入不足、统筹不够、长效机制不健全，群众反映较多。"
)
SUGGESTIONS = "一是摸清底数、建立台账；二是明确牵头部门和责任分工，定期会商；三是加强督查考核，向群众公开进展。"


def year_titles() -> list[tuple[str, str, str]]:
    """(title, category, unit) of the year's proposals."""
    made = [(form.format(topic), category, unit) for form in FORMS for topic, category, unit in TOPICS]
    return made[:YEAR_SIZE]


def seed_proposal_year(stdout) -> None:
    ensure_lists(ProposalCategory, NonRegistrationReason)
    session = PlenarySession.current()
    titles = year_titles()
    if session is None or session.closes_on >= date.today() - timedelta(days=200):
        return  # the year needs the plenary half a year behind it
    if Proposal.objects.filter(title=titles[0][0]).exists():
        stdout.write("本年度提案演示数据已存在。")
        return
    rng = random.Random(2026)
    staff = User.objects.get(username="staff")
    authors = list(
        Member.objects.filter(user__isnull=False)
        .exclude(user__username__in=["leader", "member1", "member2", "member3"])
        .select_related("user")
        .order_by("id")
    )
    units = {o.name: o for o in Organization.objects.all()}
    unit_users = {u.organization_id: u for u in User.objects.filter(organization__isnull=False).order_by("id")}
    categories = {c.name: c for c in ProposalCategory.objects.all()}
    vague = NonRegistrationReason.objects.get(text__startswith="内容空泛")
    assembly = add_working_days(session.closes_on, 20)  # the 交办会
    today = date.today()

    def on(day: date, hour: int):
        return at(min(day, today), hour, rng.randrange(0, 60))

    with refresh_deferred():
        for i, (title, category, unit_name) in enumerate(titles):
            author = authors[i % len(authors)]
            unit = units[unit_name]
            filed_on = session.opens_on + timedelta(days=i % 4)
            with on(filed_on, 9 + i % 9):
                p = services.proposal_create(
                    actor=author.user,
                    title=title,
                    category=categories[category],
                    background=BACKGROUND.format(topic=title.removeprefix("关于").removesuffix("的建议")),
                    suggestions=SUGGESTIONS,
                    period=Period.PLENARY,
                    suggested_units=[unit],
                    session=session,
                    publish_consent=i % 3 == 0,
                )
                p = services.proposal_submit(proposal=p, actor=author.user, version=None)
            with on(add_working_days(session.closes_on, 2 + i % 8), 9 + i % 8):
                if i % 23 == 7:
                    services.proposal_reject(
                        proposal=p, actor=staff, version=None, reason=vague, note="建议补充具体措施后作为平时提案提出。"
                    )
                    continue
                p = services.proposal_register(proposal=p, actor=staff, version=None)
            with on(assembly, 10):
                p = services.proposal_assign(proposal=p, actor=staff, version=None, lead_unit=unit)
            part = Assignment.objects.get(proposal=p)
            unit_user = unit_users[unit.pk]
            with on(add_working_days(assembly, 1 + i % 3), 9 + i % 3):
                p = services.assignment_accept(proposal=p, actor=unit_user, version=None, assignment=part)
            replied_on = min(assembly + timedelta(days=40 + i * 7 % 50), part.handling_due - timedelta(days=2))
            reply_class = "A" if i % 10 < 7 else "B" if i % 10 < 9 else "C"
            with on(replied_on - timedelta(days=7), 15):
                p = services.assignment_record_contact(
                    proposal=p,
                    actor=unit_user,
                    version=None,
                    on=replied_on - timedelta(days=7),
                    method=(ContactMethod.MEET, ContactMethod.PHONE, ContactMethod.FORUM)[i % 3],
                    summary="与提案人沟通办理方案，听取意见。",
                    assignment=part,
                )
            with on(replied_on, 16):
                p = services.assignment_reply(
                    proposal=p,
                    actor=unit_user,
                    version=None,
                    reply_class=reply_class,
                    reply_text=REPLIES[reply_class],
                    publishable=True,
                    assignment=part,
                )
            part.refresh_from_db()
            if i % 17 == 5:  # never rated: the sweep closed it when the evaluation period ran out
                with on(part.evaluation_due + timedelta(days=1), 2):
                    services.proposal_close(
                        proposal=p,
                        actor=system_actor(),
                        version=None,
                        note="评价期满未评价，自动办结",
                        unevaluated=True,
                    )
                continue
            satisfaction = "dissatisfied" if i % 29 == 11 else "basically_satisfied" if i % 6 == 1 else "satisfied"
            rated_on = min(replied_on + timedelta(days=3 + i % 12), part.evaluation_due)
            with on(rated_on, 20):
                p = services.proposal_evaluate(
                    proposal=p,
                    actor=author.user,
                    version=None,
                    assignment=part,
                    # 征询意见表: the attitude is rated apart from the result (often warmer)
                    attitude="satisfied" if satisfaction != "dissatisfied" or i % 2 else "basically_satisfied",
                    satisfaction=satisfaction,
                    met_in_person=i % 3 == 0,  # the contact above was 见面 for these
                    comment="" if satisfaction != "dissatisfied" else "答复未回应资金来源问题。",
                )
            if satisfaction == "dissatisfied":
                with on(rated_on + timedelta(days=7), 11):
                    services.proposal_close(
                        proposal=p,
                        actor=staff,
                        version=None,
                        note="经与提案人、承办单位三方沟通，承办单位补充说明了资金安排，同意办结。",
                    )
            if reply_class == "B" and part.followup_due:
                with on(min(replied_on + timedelta(days=90), part.followup_due - timedelta(days=3)), 14):
                    services.assignment_record_implemented(
                        proposal=p,
                        actor=staff,
                        version=None,
                        assignment=part,
                        note="经回访，承诺事项已列入计划并启动实施。",
                    )
    _notices_read_and_sent(before=today - timedelta(days=14))
    stdout.write(f"本年度大会提案 {len(titles)} 件（立案、交办、答复、评价全过程）。")


def _notices_read_and_sent(*, before: date) -> None:
    """A year-old notice was sent and read long ago: stamp it so, within the seeding
    transaction, so no e-mail goes out for it now."""
    old = Notification.objects.filter(created_at__lt=moment(before, 0), delivery_pending=True)
    old.filter(send_email=True, in_digest=False).update(email_sent_at=F("created_at"))
    old.filter(send_sms=True).update(sms_sent_at=F("created_at"))
    old.update(delivery_pending=False, read_at=F("created_at") + timedelta(hours=5))


seed_proposal_year.seed_order = 29
register("demo_seeders", seed_proposal_year)
