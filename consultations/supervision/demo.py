"""Demo supervision year: last year's and this year's plans with 重点监督议题, items at every stage
(one linking key proposals, one linking a session), a 委员问政 with questions answered at the
session, owed in writing and still open for the next session, and 特邀监督员 tasks (one to
report, one forwarded to 区教育局, one answered, by a supervisor from outside)."""

from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cppcc_portal.demo_clock import at
from cppcc_portal.hooks import register
from cppcc_portal.workdays import add_working_days
from members.models import Organization, User
from proposals import selectors as proposal_selectors

from .. import services as consultation_services
from ..demo import PAST_ATTENDED, _at
from ..models import ConsultationForm, Session, SupervisionForm, SupervisionPlan, SupervisorAppointment
from . import services
from .enums import RecordKind, Stage, TaskKind
from .models import SupervisionItem

# Titles the tests look demo objects up by.
ITEM_TRACKING = "北运河水环境治理专项监督"
ITEM_FEEDBACK = "“双减”课后服务落实情况监督"
ITEM_PROPOSALS = "重点提案办理情况监督"
ITEM_MEETING = "优化营商环境会议监督"
ITEM_QUESTIONS = "2026年度委员问政：民生实事落实情况"
ITEM_DONE = "问询式监督：老旧小区改造"
QUESTION_SESSION_PAST = "委员问政会：民生实事落实情况（上半年）"
QUESTION_SESSION_NEXT = "委员问政会：民生实事落实情况（下半年）"
QUESTION_OWED = "区教育局：课后服务收费标准何时公示？"
TASK_TO_REPORT = "明察暗访：校园周边食品安全"
TASK_FORWARDED = "视察：课后服务收费公示"
TASK_ANSWERED = "评议部门：区卫健委窗口服务"


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile("现场照片.png", buffer.getvalue(), content_type="image/png")


def seed_supervision(stdout) -> None:
    today = timezone.localdate()
    year = today.year
    if SupervisionItem.objects.filter(plan__year=year).exists() or not SupervisionPlan.objects.filter(year=year):
        return
    staff = User.objects.get(username="staff")
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["member1", "member2", "member3", "unit_edu", "unit_health", "leader"]
        )
    }
    orgs = {o.name: o for o in Organization.objects.all()}
    forms = {f.name: f for f in SupervisionForm.objects.all()}
    plan = SupervisionPlan.objects.get(year=year)

    # Last year's plan, for the share of key topics: 1 of 4.
    before, _ = SupervisionPlan.objects.get_or_create(year=year - 1, defaults={"title": f"{year - 1}年度民主监督计划"})
    for n, (title, key) in enumerate(
        [("河长制落实情况", True), ("农贸市场升级改造", False), ("社区卫生服务", False), ("公交线网优化", False)]
    ):
        consultation_services.supervision_topic_save(
            actor=staff, plan=before,
            data={"title": title, "form": forms["专项监督"], "planned_quarter": n + 1, "is_key": key},
        )  # fmt: skip
    # This year: 2 of the 3 seeded topics are key, plus a new key topic (3 of 4).
    topics = {t.title: t for t in plan.topics.all()}
    for title in ("北运河水环境治理", "“双减”与课后服务"):
        consultation_services.supervision_topic_save(actor=staff, plan=plan, data={"is_key": True}, topic=topics[title])
    livelihood = consultation_services.supervision_topic_save(
        actor=staff, plan=plan,
        data={"title": "民生实事项目落实情况", "form": forms["委员问政"], "planned_quarter": 2, "is_key": True,
              "departments": [orgs["区教育局"], orgs["区民政局"]]},
    )  # fmt: skip

    def item(title, form, topic, departments, started):
        with at(started, 9):
            return services.item_create(
                actor=staff, plan=plan,
                data={"title": title, "form": forms[form], "topic": topic, "departments": [orgs[d] for d in departments],
                      "description": f"依据{year}年度民主监督计划开展。"},
            )  # fmt: skip

    def record(it, kind, title, day, text="", org=None, actor=staff):
        with at(day, 15):
            return services.record_add(
                actor=actor, item=it, kind=kind, title=title, happened_on=day, text=text,
                organization=orgs[org] if org else None,
            )  # fmt: skip

    def move(it, to, day, note=""):
        with at(day, 16):
            return services.item_move(actor=staff, item=it, to=to, note=note)

    d = [add_working_days(today, -n) for n in (120, 100, 80, 60, 40, 20, 8, 3)]

    # 跟踪: every stage has its records.
    water = item(ITEM_TRACKING, "视察监督", topics["北运河水环境治理"], ["区生态环境局"], d[0])
    record(
        water,
        RecordKind.BRIEFING,
        "区生态环境局通报北运河治理进展",
        d[0],
        "通报了排口整治和水质监测情况。",
        "区生态环境局",
    )
    move(water, Stage.COMMUNICATING, d[1])
    record(water, RecordKind.INSPECTION, "委员视察北运河杨村段", d[1], "发现部分排口雨污混流。")
    move(water, Stage.FEEDBACK, d[2])
    record(
        water, RecordKind.FEEDBACK, "区生态环境局关于视察意见的办理反馈", d[3], "已完成 3 处排口改造。", "区生态环境局"
    )
    move(water, Stage.TRACKING, d[3])
    record(water, RecordKind.FOLLOWUP, "跟踪回访：排口改造完成情况", d[5], "现场查看 3 处排口，运行正常。")

    # 反馈: 区教育局 owes its formal feedback.
    school = item(ITEM_FEEDBACK, "专项监督", topics["“双减”与课后服务"], ["区教育局"], d[2])
    record(school, RecordKind.BRIEFING, "区教育局通报课后服务开展情况", d[2], org="区教育局", actor=users["unit_edu"])
    move(school, Stage.COMMUNICATING, d[3])
    record(school, RecordKind.MEETING, "课后服务专题座谈会", d[4], "委员与区教育局、学校代表座谈。")
    move(school, Stage.FEEDBACK, d[6])

    # 沟通, 提案监督: the key proposals on schools.
    proposals_item = item(ITEM_PROPOSALS, "提案监督", topics["重点提案办理情况"], ["区教育局"], d[4])
    picked = [
        found[0].pk
        for term in ("义务教育优质均衡", "学校食堂食品安全")
        if (found := proposal_selectors.proposals_matching(term))
    ]
    if picked:
        services.item_link_proposals(actor=staff, item=proposals_item, proposal_ids=picked)
    record(proposals_item, RecordKind.DOCUMENT, "区教育局报送重点提案办理方案", d[4], org="区教育局")
    move(proposals_item, Stage.COMMUNICATING, d[5])

    # 知情, 会议监督: the business-environment session.
    meeting = item(ITEM_MEETING, "会议监督", None, ["区市场监督管理局"], d[7])
    past = Session.objects.filter(title=PAST_ATTENDED).first()
    if past is not None:
        services.item_link_sessions(actor=staff, item=meeting, sessions=[past])

    # 完成: 问询式.
    done = item(ITEM_DONE, "问询式监督", None, ["区住房和城乡建设委员会"], d[0])
    record(done, RecordKind.BRIEFING, "区住建委书面通报改造计划", d[0], org="区住房和城乡建设委员会")
    move(done, Stage.COMMUNICATING, d[1])
    record(done, RecordKind.QUESTION, "委员询问会", d[1], "委员就加装电梯、管线改造提出询问。")
    move(done, Stage.FEEDBACK, d[2])
    record(done, RecordKind.FEEDBACK, "区住建委答复", d[3], org="区住房和城乡建设委员会")
    move(done, Stage.DONE, d[3], "部门反馈已落实，无需跟踪。")

    # 委员问政: a past session (one question answered there, one owed in writing) and the next one.
    questions = item(ITEM_QUESTIONS, "委员问政", livelihood, ["区教育局", "区民政局"], d[3])
    form = ConsultationForm.objects.get(name="协商座谈会")
    session_day = add_working_days(today, -2)
    with at(d[3], 10):
        past_q = consultation_services.session_create(
            actor=staff,
            data={"title": QUESTION_SESSION_PAST, "form": form, "starts_at": _at(session_day, 9),
                  "ends_at": _at(session_day, 11, 30), "venue": "区政协二楼会议室"},
            required=[u.member for n, u in users.items() if n in ("member1", "member2", "member3")],
        )  # fmt: skip
    next_day = add_working_days(today, 15)
    next_q = consultation_services.session_create(
        actor=staff,
        data={"title": QUESTION_SESSION_NEXT, "form": form, "starts_at": _at(next_day, 9),
              "ends_at": _at(next_day, 11, 30), "venue": "区政协二楼会议室", "is_public": True},
    )  # fmt: skip
    services.item_link_sessions(actor=staff, item=questions, sessions=[past_q, next_q])
    with at(add_working_days(session_day, -5), 10):
        answered = services.question_ask(
            actor=users["member1"], item=questions, session=past_q, organization=orgs["区民政局"],
            text="区民政局：社区嵌入式养老服务站今年能建成几个？",
        )  # fmt: skip
        services.question_ask(
            actor=users["member2"], item=questions, session=past_q, organization=orgs["区教育局"], text=QUESTION_OWED
        )
    with at(session_day, 10):
        services.question_answer_at_session(
            actor=staff, question=answered, answered_by_name="区民政局 张局长", text="今年建成 6 个，年底前投入运营。"
        )
    services.question_ask(
        actor=users["member3"], item=questions, session=next_q, organization=orgs["区教育局"],
        text="区教育局：中小学午餐配送的质量如何监管？",
    )  # fmt: skip
    record(questions, RecordKind.BRIEFING, "区民政局、区教育局报送民生实事进展", d[3])
    move(questions, Stage.COMMUNICATING, d[4])

    # 特邀监督员 tasks.
    appointments = {
        a.member.user.username: a
        for a in SupervisorAppointment.objects.filter(member__user__isnull=False).select_related("member__user")
    }
    outsider = SupervisorAppointment.objects.create(
        name="李建国", organization=orgs["区卫生健康委员会"], starts_on=date(year, 1, 1), ends_on=date(year + 1, 12, 31),
        note="社会各界特邀监督员（非委员）",
    )  # fmt: skip
    if "member2" in appointments:
        services.task_assign(
            actor=staff, appointment=appointments["member2"],
            data={"kind": TaskKind.UNDERCOVER, "title": TASK_TO_REPORT, "brief": "对学校周边 3 家餐饮店进行暗访。"},
        )  # fmt: skip
    if "member3" in appointments:
        with at(d[5], 10):
            forwarded = services.task_assign(
                actor=staff, appointment=appointments["member3"],
                data={"kind": TaskKind.INSPECTION, "title": TASK_FORWARDED, "item": school,
                      "organization": orgs["区教育局"]},
            )  # fmt: skip
        with at(d[6], 10):
            services.task_report(
                actor=users["member3"], task=forwarded, text="3 所学校中 1 所未公示课后服务收费标准。",
                suggestions="统一在校门口和家长群公示收费标准。", photos=[_photo()],
            )  # fmt: skip
        with at(d[6], 15):
            services.task_forward(actor=staff, task=forwarded, note="请区教育局核实整改。")
    with at(d[4], 10):
        answered_task = services.task_assign(
            actor=staff, appointment=outsider,
            data={"kind": TaskKind.REVIEW, "title": TASK_ANSWERED, "organization": orgs["区卫生健康委员会"]},
        )  # fmt: skip
    with at(d[5], 10):
        services.task_report(actor=staff, task=answered_task, text="窗口服务总体规范，预约挂号流程仍较繁琐。")
        services.task_forward(actor=staff, task=answered_task)
    with at(d[6], 10):
        services.task_feedback(actor=users["unit_health"], task=answered_task, text="已简化预约流程，上线一键预约。")
    stdout.write(f"民主监督事项 {SupervisionItem.objects.filter(plan=plan).count()} 项。")


seed_supervision.seed_order = 41
register("demo_seeders", seed_supervision)
