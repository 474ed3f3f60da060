"""Demo consultations: this year's plan with a topic at every stage of the chain,
past and upcoming sessions (one 请你来商量 with parents, teachers and pupils),
outcomes with and without feedback, inspections and 特邀监督员."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cppcc_portal.demo_clock import at
from cppcc_portal.hooks import register
from cppcc_portal.workdays import add_working_days
from members.models import Committee, Member, Organization, User
from proposals import selectors as proposal_selectors

from . import services
from .defaults import ensure_forms
from .enums import Adoption, InstructionLevel, OutcomeKind, RsvpStatus, TopicSource
from .models import ConsultationForm, ConsultationPlan, Invitation, Outcome, SupervisionForm, SupervisionPlan
from .services.attendance import _check_in

# Titles the tests look demo objects up by.
UPCOMING_QINGNI = "请你来商量：校园周边交通安全与学生上下学接送"
UPCOMING_PUBLIC = "网络议政：老旧小区加装电梯"
PAST_ATTENDED = "专题协商会：优化营商环境"
INSPECTION_WITH_FEEDBACK = "视察：北运河水环境治理"
INSPECTION_AWAITING = "视察：中小学课后服务落实情况"
OUTCOME_PARTIAL = "关于推进医养结合服务的建议案"
OUTCOME_DONE = "关于优化营商环境的协商专报"
PROPOSAL_MEETING = "提案办理协商会：城区公交线网优化和老旧小区停车"
PROPOSAL_MEETING_PROPOSALS = ("关于优化城区公交线网的建议", "关于缓解老旧小区停车难的建议")
ONLINE_OPEN = "网络议政：优化社区养老服务供给"
ONLINE_CLOSED = "网络议政：加强中小学生近视防控"
ONLINE_PENDING_COMMENT = "建议在每个社区都设老年食堂，价格再低一些。"


def _quarter(day: date, year: int) -> int:
    return (day.month - 1) // 3 + 1 if day.year == year else (1 if day.year < year else 4)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed_consultations(stdout) -> None:
    ensure_forms(ConsultationForm, SupervisionForm)
    today = timezone.localdate()
    year = today.year
    if ConsultationPlan.objects.filter(year=year).exists():
        return
    staff = User.objects.get(username="staff")
    forms = {form.name: form for form in ConsultationForm.objects.all()}
    committees = {c.short_name: c for c in Committee.objects.all()}
    orgs = {o.name: o for o in Organization.objects.all()}
    named = {m.user.username: m for m in Member.objects.filter(user__isnull=False).select_related("user")}
    others = list(
        Member.objects.exclude(user__username__in=["leader", "member1", "member2", "member3"]).order_by("id")[:20]
    )
    plan = services.plan_get_or_create(actor=staff, year=year)
    plan.approved_on = date(year, 1, 20)
    plan.note = "经主席会议研究、区委同意，确定年度协商议题如下。"
    plan.save()

    def topic(title, form, source, committee, day, departments, note=""):
        with at(plan.approved_on, 15):  # the plan's topics were entered when it was approved
            return services.topic_save(
                actor=staff,
                plan=plan,
                data={
                    "title": title,
                    "form": forms[form],
                    "source": source,
                    "source_note": note,
                    "lead_committee": committees[committee],
                    "planned_quarter": _quarter(day, year),
                    "departments": [orgs[name] for name in departments],
                },
            )

    def past_session(topic_, title, form, day, invitees, attended):
        with at(add_working_days(day, -15), 10):  # set up three weeks ahead
            session = services.session_create(
                actor=staff,
                data={
                    "topic": topic_,
                    "title": title,
                    "form": forms[form],
                    "starts_at": _at(day, 9),
                    "ends_at": _at(day, 11, 30),
                    "venue": "区政协三楼会议室",
                    "organiser": topic_.lead_committee,
                },
                required=invitees,
            )
        Session = type(session)
        Session.objects.filter(pk=session.pk).update(
            notice_sent_at=_at(session.notice_due, 10),
            materials_sent_at=_at(session.materials_due, 10),
            minutes_text="会议听取了相关部门情况通报，委员们围绕议题踊跃发言，形成协商意见。",
            minutes_done_at=_at(add_working_days(day, 3), 17),
        )
        for invitation in Invitation.objects.filter(session=session).select_related("member", "session"):
            if invitation.member in attended:
                invitation.status = RsvpStatus.ATTENDING
                _check_in(invitation, "manual", _at(day, 8, 50))
        return session

    def outcome(topic_, session, title, kind, suggestions):
        with at(add_working_days(session.starts_at.date(), 5), 15):
            return _outcome(topic_, session, title, kind, suggestions)

    def _outcome(topic_, session, title, kind, suggestions):
        made = services.outcome_save(
            actor=staff,
            data={"topic": topic_, "session": session, "kind": kind, "title": title, "summary": "（摘要）" + title},
        )
        for text, departments in suggestions:
            services.suggestion_add(
                actor=staff, outcome=made, text=text, departments=[orgs[name] for name in departments]
            )
        return made

    member1, member2, member3, leader = named["member1"], named["member2"], named["member3"], named["leader"]
    days = [today - timedelta(days=offset) for offset in (210, 170, 130, 95, 60)]

    # 选题: only chosen.
    topic(
        "推进“一老一小”社区嵌入式服务设施建设",
        "协商座谈会",
        TopicSource.PUBLIC,
        "社法委",
        date(year, 12, 10),
        ["区民政局"],
    )
    # 调研, and late against its quarter.
    late = topic(
        "加强农村人居环境整治", "对口协商会", TopicSource.DEPARTMENT, "农业农村委", days[1], ["区农业农村委员会"]
    )
    services.research_save(
        actor=staff,
        data={
            "topic": late,
            "title": "农村人居环境整治调研",
            "committees": [committees["农业农村委"], committees["人资环委"]],  # a joint project
            "lead": member2,
            "team": [member3, *others[:2]],
            "starts_on": days[2],
            "ends_on": today + timedelta(days=30),
            "schedule": "走访王庆坨镇、大良镇，召开座谈会。",
        },
    )
    # 协商: a session held, nothing more yet.
    held = topic("提升公共文化服务效能", "专题协商会", TopicSource.MEMBER, "文史委", days[4], ["区文化和旅游局"])
    past_session(
        held, "专题协商会：提升公共文化服务效能", "专题协商会", days[4], [member1, member3, *others[:4]], [member3]
    )
    # 成果: an outcome drafted, not yet sent.
    drafted = topic("发展数字经济", "界别协商", TopicSource.MEMBER, "经济委", days[3], ["区发展和改革委员会"])
    session = past_session(drafted, "界别协商：发展数字经济", "界别协商", days[3], [member2, *others[4:8]], [member2])
    outcome(
        drafted,
        session,
        "关于发展数字经济的协商意见",
        OutcomeKind.MINUTES,
        [("建设区级数据开放平台。", ["区发展和改革委员会"])],
    )
    # 报送: sent, no feedback (overdue).
    sent = topic(
        "加快老旧小区改造",
        "专题议政性常委会会议",
        TopicSource.LEADER,
        "人资环委",
        days[2],
        ["区住房和城乡建设委员会"],
        "区委主要领导点题",
    )
    session = past_session(
        sent,
        "专题议政性常委会会议：加快老旧小区改造",
        "专题议政性常委会会议",
        days[2],
        [leader, member1, *others[8:12]],
        [leader, member1],
    )
    made = outcome(
        sent,
        session,
        "关于加快老旧小区改造的建议案",
        OutcomeKind.PROPOSAL,
        [("完善加装电梯补贴政策。", ["区住房和城乡建设委员会"]), ("同步改造地下管网。", ["区住房和城乡建设委员会"])],
    )
    services.delivery_add(actor=staff, outcome=made, body="区委", sent_on=days[2] + timedelta(days=14))
    # 反馈: 批示 and one department's answer; the other department still owes one.
    fed = topic(
        "推进医养结合", "对口协商会", TopicSource.DEPARTMENT, "教科卫体委", days[1], ["区卫生健康委员会", "区民政局"]
    )
    session = past_session(
        fed, "对口协商会：推进医养结合", "对口协商会", days[1], [member1, member2, *others[12:15]], [member1, member2]
    )
    made = outcome(
        fed,
        session,
        OUTCOME_PARTIAL,
        OutcomeKind.PROPOSAL,
        [("社区卫生服务中心增设康复护理床位。", ["区卫生健康委员会"]), ("养老机构与医院签约全覆盖。", ["区民政局"])],
    )
    services.delivery_add(actor=staff, outcome=made, body="区政府", sent_on=today - timedelta(days=20))
    services.instruction_add(
        actor=staff,
        outcome=made,
        data={
            "leader_name": "区长",
            "level": InstructionLevel.DISTRICT_GOV_CHIEF,
            "text": "请卫健委、民政局认真研究落实。",
            "instructed_on": today - timedelta(days=15),
        },
    )
    services.adoption_record(
        actor=staff,
        suggestion=made.suggestions.get(number=2),
        organization=orgs["区民政局"],
        adoption=Adoption.PARTLY,
        text="已完成 12 家养老机构签约，其余年内完成。",
        replied_on=today - timedelta(days=5),
    )
    # 完成: every suggestion answered.
    done = topic(
        "优化营商环境", "专题协商会", TopicSource.LEADER, "经济委", days[0], ["区市场监督管理局"], "区委书记点题"
    )
    services.research_complete(
        actor=staff,
        project=services.research_save(
            actor=staff,
            data={
                "topic": done,
                "title": "优化营商环境专题调研",
                "committees": [committees["经济委"]],
                "lead": member1,
                "team": [member2, others[15]],
                "starts_on": days[0] - timedelta(days=60),
                "ends_on": days[0] - timedelta(days=10),
                "schedule": "走访企业 20 家。",
            },
        ),
        summary="企业反映审批环节多、政策知晓率低，建议推行“一件事一次办”。",
        completed_on=days[0] - timedelta(days=12),
    )
    session = past_session(
        done,
        PAST_ATTENDED,
        "专题协商会",
        days[0],
        [member1, member2, member3, *others[15:18]],
        [member1, member2, member3],
    )
    services.speech_submit(
        actor=member1.user, session=session, title="推行“一件事一次办”", text="建议……", now=session.starts_at
    )
    services.speech_mark_delivered(actor=staff, session=session, member=member1)
    made = outcome(done, session, OUTCOME_DONE, OutcomeKind.REPORT, [("推行“一件事一次办”。", ["区市场监督管理局"])])
    services.delivery_add(actor=staff, outcome=made, body="区委、区政府", sent_on=days[0] + timedelta(days=20))
    services.adoption_record(
        actor=staff,
        suggestion=made.suggestions.get(),
        organization=orgs["区市场监督管理局"],
        adoption=Adoption.ADOPTED,
        text="已在政务服务中心开设专窗。",
        replied_on=days[0] + timedelta(days=50),
    )

    # Upcoming: 请你来商量 with parents, teachers, pupils and an expert; and a public online session.
    school = topic(
        "校园周边交通安全",
        "请你来商量",
        TopicSource.PUBLIC,
        "教科卫体委",
        today + timedelta(days=20),
        ["区教育局", "区交通运输局"],
        "群众征题",
    )
    day = add_working_days(today, 16)
    qingni = services.session_create(
        actor=staff,
        data={
            "topic": school,
            "title": UPCOMING_QINGNI,
            "form": forms["请你来商量"],
            "starts_at": _at(day, 14, 30),
            "ends_at": _at(day, 17),
            "venue": "区实验小学报告厅",
            "organiser": committees["教科卫体委"],
            "committees": [committees["社法委"]],  # organised jointly
            "description": "一、区教育局通报情况；二、家长、教师、学生代表发言；三、委员协商。",
        },
        required=[member1, member2, leader],
        signup=[member3],
        units=[orgs["区教育局"], orgs["区交通运输局"]],
        outsiders=[
            services.OutsiderData("赵丽", "parent", "13800000001", "区实验小学家长委员会"),
            services.OutsiderData("孙老师", "teacher", "13800000002", "区实验小学"),
            services.OutsiderData("钱同学", "student", "", "区第一中学学生会"),
            services.OutsiderData("周教授", "expert", "13800000004", "天津某大学交通学院"),
        ],
    )
    services.session_send_notice(actor=staff, session=qingni)
    services.invitation_answer(
        actor=leader.user, session=qingni, answer=RsvpStatus.LEAVE_REQUESTED, reason="同期参加市政协会议"
    )
    public_day = add_working_days(today, 10)
    services.session_create(
        actor=staff,
        data={
            "title": UPCOMING_PUBLIC,
            "form": forms["网络议政"],
            "starts_at": _at(public_day, 15),
            "ends_at": _at(public_day, 16, 30),
            "venue": "线上（视频会议）",
            "is_public": True,
            "is_online": True,
            "meeting_url": "https://meeting.example.cn/j/20260815",
        },
        signup=others[:3],
    )

    # 提案办理协商会: the proposers, the unit and the 提案委 on two of the year's proposals to one unit;
    # its minutes go on each proposal's timeline.
    linked = [
        found[0].pk
        for title in PROPOSAL_MEETING_PROPOSALS
        if (found := [p for p in proposal_selectors.proposals_matching(title, limit=1) if p.title == title])
    ]
    if linked:
        meeting_day = add_working_days(today, -10)
        with at(add_working_days(meeting_day, -15), 10):
            meeting = services.session_create(
                actor=staff,
                data={
                    "title": PROPOSAL_MEETING,
                    "form": forms["提案办理协商会"],
                    "starts_at": _at(meeting_day, 14, 30),
                    "ends_at": _at(meeting_day, 16, 30),
                    "venue": "区政协二楼会议室",
                    "description": "一、区交通运输局通报办理进展；二、提案人发言；三、协商办理措施和时限。",
                },
                proposals=linked,
            )
            services.session_send_notice(actor=staff, session=meeting)
        with at(add_working_days(meeting_day, 3), 16):
            services.minutes_save(
                actor=staff,
                session=meeting,
                text="区交通运输局通报了公交线网优化和停车设施建设的办理进展，提案人对调整方案提出补充意见。"
                "会议商定：年内新增公交微循环线路2条，老旧小区周边增设错时共享停车位，三季度向提案人反馈进展。",
            )

    # Democratic supervision.
    sup_forms = {form.name: form for form in SupervisionForm.objects.all()}
    sup_plan, _ = SupervisionPlan.objects.get_or_create(year=year, defaults={"title": f"{year}年度民主监督计划"})
    water = services.supervision_topic_save(
        actor=staff,
        plan=sup_plan,
        data={
            "title": "北运河水环境治理",
            "form": sup_forms["视察监督"],
            "lead_committee": committees["人资环委"],
            "planned_quarter": 2,
            "departments": [orgs["区生态环境局"]],
        },
    )
    services.supervision_topic_save(
        actor=staff,
        plan=sup_plan,
        data={
            "title": "重点提案办理情况",
            "form": sup_forms["提案监督"],
            "lead_committee": committees["提案委"],
            "planned_quarter": 3,
            "departments": [],
        },
    )
    school_sup = services.supervision_topic_save(
        actor=staff,
        plan=sup_plan,
        data={
            "title": "“双减”与课后服务",
            "form": sup_forms["专项监督"],
            "lead_committee": committees["教科卫体委"],
            "planned_quarter": 4,
            "departments": [orgs["区教育局"]],
        },
    )
    inspection = services.inspection_save(
        actor=staff,
        data={
            "topic": water,
            "title": INSPECTION_WITH_FEEDBACK,
            "committees": [committees["人资环委"], committees["农业农村委"]],  # a joint inspection
            "inspected_on": days[2],
            "place": "北运河杨村段",
            "departments": [orgs["区生态环境局"]],
            "participants": [member1, member2, *others[:3]],
            "findings": "部分排口雨污混流，岸线垃圾清理不及时。",
            "suggestions": "实施雨污分流改造；建立河长巡河记录公开制度。",
        },
    )
    services.inspection_feedback(
        actor=staff, inspection=inspection, text="已完成 3 处排口改造，巡河记录每月公开。", on=days[1]
    )
    services.inspection_save(
        actor=staff,
        data={
            "topic": school_sup,
            "title": INSPECTION_AWAITING,
            "committees": [committees["教科卫体委"]],
            "inspected_on": today - timedelta(days=10),
            "place": "区实验小学、区第一中学",
            "departments": [orgs["区教育局"]],
            "participants": [member3, *others[5:8]],
            "findings": "课后服务内容单一，部分学校师资不足。",
            "suggestions": "引入社会资源，丰富课后服务课程。",
        },
    )
    for member, org in ((member2, "区市场监督管理局"), (member3, "区教育局"), (others[0], "区生态环境局")):
        services.appointment_save(
            actor=staff,
            data={
                "member": member,
                "organization": orgs[org],
                "starts_on": date(year, 1, 1),
                "ends_on": date(year + 1, 12, 31),
            },
        )
    _seed_online(staff, today, named, others)
    stdout.write(
        f"协商议题 {plan.topics.count()} 个，协商活动 {type(qingni).objects.count()} 场，协商成果 {Outcome.objects.count()} 项。"
    )


def _seed_online(staff, today: date, named: dict, others: list) -> None:
    """网络议政: one open (public, with members' opinions, a reply, an approved and a pending public
    comment) and one closed with its 意见汇总 and member1's opinion adopted."""
    member1, member2, member3, leader = named["member1"], named["member2"], named["member3"], named["leader"]
    opens = _at(today - timedelta(days=3), 9)
    with at(opens.date() - timedelta(days=1), 16):
        open_topic = services.online_topic_save(
            actor=staff,
            data={
                "title": ONLINE_OPEN,
                "background": "我区60岁以上户籍老年人口已超过20万。为优化社区养老服务供给，区政协就社区"
                "嵌入式养老、老年助餐、居家适老化改造等问题开展网络议政，欢迎委员和社会各界建言。",
                "opens_at": opens,
                "closes_at": _at(today + timedelta(days=7), 18),
                "is_public": True,
            },
            members=[member1, member2, member3, leader, *others[:6]],
        )
    first = services.online_post_create(
        actor=member2.user,
        topic=open_topic,
        text="建议依托社区卫生服务中心建设嵌入式养老服务站，提供日间照料和康复护理。",
        now=opens + timedelta(hours=3),
    )
    services.online_post_create(
        actor=member3.user,
        topic=open_topic,
        text="赞同。还应统筹利用闲置校舍和厂房，降低服务站建设成本。",
        parent=first,
        now=opens + timedelta(hours=5),
    )
    services.online_post_create(
        actor=others[0].user or member3.user,
        topic=open_topic,
        text="老年助餐要兼顾营养和价格，建议引入社会餐饮企业参与，政府给予运营补贴。",
        now=opens + timedelta(days=1),
    )
    anonymous = AnonymousUser()
    approved = services.online_comment_create(
        actor=anonymous,
        topic=open_topic,
        text="我家小区没有电梯，希望适老化改造能覆盖楼道扶手。",
        name="王女士",
        address="203.0.113.5",
        now=opens + timedelta(days=1, hours=2),
    )
    with at(opens.date() + timedelta(days=1), 17):
        services.online_post_moderate(actor=staff, post=approved, decision="approved")
    services.online_comment_create(
        actor=anonymous,
        topic=open_topic,
        text=ONLINE_PENDING_COMMENT,
        name="李先生",
        address="198.51.100.23",
        now=opens + timedelta(days=2),
    )

    opened = _at(today - timedelta(days=45), 9)
    with at(opened.date() - timedelta(days=1), 16):
        closed = services.online_topic_save(
            actor=staff,
            data={
                "title": ONLINE_CLOSED,
                "background": "近年来我区中小学生近视率居高不下。本次网络议政围绕户外活动时间、"
                "电子产品使用、视力筛查等问题征集委员意见。",
                "opens_at": opened,
                "closes_at": _at(today - timedelta(days=35), 18),
                "is_public": False,
            },
            members=[member1, member3, leader, *others[6:10]],
        )
    adopted = services.online_post_create(
        actor=member1.user,
        topic=closed,
        text="建议保障中小学生每天校内户外活动不少于2小时，并纳入学校考核。",
        now=opened + timedelta(days=1),
    )
    services.online_post_create(
        actor=member3.user,
        topic=closed,
        text="建议每学期开展两次视力筛查，建立学生屈光发育档案。",
        now=opened + timedelta(days=2),
    )
    with at(today - timedelta(days=33), 10):
        services.online_topic_close(actor=staff, topic=closed)
        services.online_post_adopt(actor=staff, post=adopted)


seed_consultations.seed_order = 40
register("demo_seeders", seed_consultations)
