"""Demo proposals for ``seed_demo``: every state, made through the services so the history is real."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from cppcc_portal.hooks import register
from cppcc_portal.roles import Role, users_with_role
from members.models import Member, Organization, PlenarySession, User

from . import ledger, services
from .defaults import ensure_lists
from .demo_year import year_titles
from .enums import REGISTERED_STATES, ContactMethod, ConversionKind, Period, SupervisionKind
from .models import Assignment, NonRegistrationReason, Proposal, ProposalCategory

# A minimal one-page PDF, so the demo has an attachment to open.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MARKER = "关于加强中小学生心理健康教育的建议"

TEXT = {
    "bg": "{topic}是群众关心的民生问题。经调研，我区在{topic}方面仍存在投入不足、统筹不够、机制不健全等短板，"
    "部分街道和学校反映突出，群众满意度有待提高。",
    "sg": "一是加大财政投入，把{topic}纳入年度民生实事；二是明确牵头部门和责任分工，建立定期会商机制；"
    "三是加强督促检查，将{topic}情况纳入部门绩效考核。",
}


def _content(title: str) -> dict:
    topic = title.removeprefix("关于").removesuffix("的建议")
    return {"background": TEXT["bg"].format(topic=topic), "suggestions": TEXT["sg"].format(topic=topic)}


def seed_proposals(stdout) -> None:
    ensure_lists(ProposalCategory, NonRegistrationReason)
    if Proposal.objects.filter(title=MARKER).exists():
        stdout.write("提案演示数据已存在。")
        return
    session = PlenarySession.current()
    if session is None:
        return
    named = ["staff", "leader", "unit_edu", "unit_health", "party_minjin", "party_minjin_head"]
    users = {u.username: u for u in User.objects.filter(username__in=named)}
    members = {m.user.username: m for m in Member.objects.select_related("user").filter(user__isnull=False)}
    staff, leader = users["staff"], users["leader"]
    edu, health = users["unit_edu"], users["unit_health"]
    units = {o.name: o for o in Organization.objects.all()}
    categories = {c.name: c for c in ProposalCategory.objects.all()}
    today = timezone.localdate()

    def draft(username: str, title: str, category: str, co=(), suggested=(), **extra) -> Proposal:
        actor = extra.pop("actor", None) or members[username].user
        return services.proposal_create(
            actor=actor,
            title=title,
            category=categories[category],
            period=Period.PLENARY,
            co_signers=[members[c] for c in co],
            suggested_units=[units[u] for u in suggested],
            session=session,
            **_content(title),
            **extra,
        )

    def fresh(p: Proposal) -> Proposal:
        return Proposal.objects.get(pk=p.pk)

    def submit(p: Proposal, head: User | None = None) -> Proposal:
        for signer in p.signers.select_related("member__user"):
            if signer.status == "invited":
                services.proposal_cosign(proposal=p, actor=signer.member.user, version=None, decision="confirm")
        if p.is_collective:  # its organisation's head confirms first (staff record a paper signature)
            services.proposal_confirm_collective(proposal=p, actor=head or p.filed_by, version=None)
        return services.proposal_submit(proposal=p, actor=p.filed_by, version=None)

    def register_(p: Proposal) -> Proposal:
        return services.proposal_register(proposal=submit(p), actor=staff, version=None)

    def assign(p: Proposal, lead=None, co=(), split=()) -> Proposal:
        return services.proposal_assign(
            proposal=p,
            actor=staff,
            version=None,
            lead_unit=units[lead] if lead else None,
            co_units=[units[u] for u in co],
            split_units=[units[u] for u in split],
        )

    def unit_part(p: Proposal, unit_name: str) -> Assignment:
        return Assignment.objects.get(proposal=p, unit__name=unit_name, state__in=["pending_accept", "accepted"])

    def accept(p: Proposal, user) -> Proposal:
        return services.assignment_accept(
            proposal=p, actor=user, version=None, assignment=unit_part(p, user.organization.name)
        )

    def reply(p: Proposal, user, reply_class: str, text: str, method: str = ContactMethod.MEET) -> Proposal:
        services.assignment_record_contact(
            proposal=p,
            actor=user,
            version=None,
            on=today,
            method=method,
            summary=(
                "到提案人单位当面沟通办理方案，提案人表示认可。"
                if method == ContactMethod.MEET
                else "电话沟通办理思路，听取提案人意见。"
            ),
            assignment=unit_part(p, user.organization.name),
        )
        # The 经办人 drafts, the unit's 负责人 signs off (a unit with one user does both).
        part = unit_part(p, user.organization.name)
        letter = {
            "letter_number": f"{user.organization.short_name or user.organization.name[:3]}函〔{today.year}〕{p.sequence}号",
            "letter_contact": user.display_name,
            "letter_phone": "022-29390000",
        }
        services.assignment_draft_reply(
            proposal=p,
            actor=user,
            version=None,
            reply_class=reply_class,
            reply_text=text,
            publishable=True,
            assignment=part,
            **letter,
        )
        head = User.objects.filter(organization=user.organization, is_unit_head=True).order_by("pk").first() or user
        return services.assignment_reply(
            proposal=p,
            actor=head,
            version=None,
            reply_class=reply_class,
            reply_text=text,
            publishable=True,
            assignment=part,
            **letter,
        )

    def backdate(p: Proposal, **fields) -> None:
        Proposal.objects.filter(pk=p.pk).update(**fields)
        ledger.sync(p, ledger.proposal_filing(fresh(p)))  # the filing credit follows the earlier submission

    # 草稿 (one waiting for member3's co-signature)
    draft("member1", "关于增加中小学课后服务师资的建议", "社会建设", co=["member3"], suggested=["区教育局"])
    draft("member2", "关于老旧小区加装电梯的建议", "社会建设", suggested=["区住房和城乡建设委员会"])

    # 待审查: one overdue, one due soon, one collective
    late = submit(draft("member2", "关于完善社区养老服务设施的建议", "社会建设", suggested=["区民政局"]))
    backdate(late, submitted_at=timezone.now() - timedelta(days=20), review_due=today - timedelta(days=3))
    soon = submit(
        draft("member3", "关于加强校园周边交通安全管理的建议", "社会建设", suggested=["区教育局", "区交通运输局"])
    )
    backdate(soon, submitted_at=timezone.now() - timedelta(days=10), review_due=today + timedelta(days=2))
    submit(
        draft(
            "",
            "关于加强非物质文化遗产保护传承的建议",
            "文化建设",
            actor=staff,
            proposer_org=units["民盟区委"],
            author=members["member3"],
        )
    )
    # 民进区委 files in its own name: one submitted after its head confirmed, one draft awaiting him.
    minjin, minjin_head = users["party_minjin"], users["party_minjin_head"]
    submit(
        draft(
            "",
            "关于加强青少年近视防控工作的建议",
            "社会建设",
            suggested=["区教育局", "区卫生健康委员会"],
            actor=minjin,
            author=members["member2"],
        ),
        head=minjin_head,
    )
    draft("", "关于推进社区书香阵地建设的建议", "文化建设", actor=minjin, author=members["member2"])

    # 退回修改, 已撤回, 不予立案
    returned = submit(draft("member3", "关于发展夜间经济的建议", "经济建设"))
    services.proposal_return(
        proposal=returned, actor=staff, version=None, reason="建议部分较笼统，请补充具体区域和可操作的措施后再提交。"
    )
    services.proposal_withdraw(
        proposal=draft("member1", "关于设立城市书房的建议", "文化建设"), actor=members["member1"].user, version=None
    )
    rejected = submit(draft("member2", "关于推广某品牌家用净水器的建议", "其他"))
    services.proposal_reject(
        proposal=rejected,
        actor=staff,
        version=None,
        reason=NonRegistrationReason.objects.get(text__startswith="属于宣传、推介"),
        note="所反映的饮水安全问题可作为社情民意报送。",
        consent=True,
        conversion_kind=ConversionKind.PUBLIC_OPINION,
    )

    # 已立案 and a near-duplicate 并案 into it (the similarity hint finds both)
    mental = draft("member1", MARKER, "社会建设", co=["member2"], suggested=["区教育局"])
    report = ContentFile(DEMO_PDF, name="中小学生心理健康状况调研报告.pdf")
    report.detected_type = "application/pdf"
    services.attachment_add(proposal=mental, upload=report, actor=members["member1"].user)
    mental = register_(mental)
    twin = submit(draft("member3", "关于加强青少年心理健康教育的建议", "社会建设", suggested=["区教育局"]))
    services.proposal_merge(proposal=twin, actor=staff, version=None, target=mental, note="内容相近，并案办理。")

    # 办理中: lead + co, unit has not accepted yet (overdue)
    doctors = assign(
        register_(
            draft("member1", "关于推进家庭医生签约服务提质增效的建议", "社会建设", suggested=["区卫生健康委员会"])
        ),
        lead="区卫生健康委员会",
        co=["区民政局"],
    )
    Assignment.objects.filter(proposal=doctors).update(
        assigned_on=today - timedelta(days=12), accept_due=today - timedelta(days=4)
    )
    # 办理中: accepted, key proposal under supervision, handling due soon, extension pending
    schools = assign(
        register_(draft("member2", "关于推进义务教育优质均衡发展缓解择校热的建议", "社会建设", suggested=["区教育局"])),
        lead="区教育局",
    )
    accept(schools, edu)
    Assignment.objects.filter(proposal=schools).update(
        assigned_on=today - timedelta(days=80),
        accept_due=today - timedelta(days=73),
        handling_due=today + timedelta(days=6),
    )
    services.assignment_request_extension(
        proposal=schools, actor=edu, version=None, months=1, reason="涉及学区划片调整，需待区政府常务会研究。"
    )
    # 办理中: split between the two demo units
    canteens = assign(
        register_(draft("member3", "关于加强学校食堂食品安全监管的建议", "社会建设")),
        split=["区教育局", "区卫生健康委员会"],
    )
    accept(canteens, edu)

    # 已答复 (B class: on the follow-up list; waiting for evaluation)
    clinics = assign(
        register_(draft("member1", "关于优化社区卫生服务中心布局的建议", "社会建设", co=["member2"])),
        lead="区卫生健康委员会",
    )
    accept(clinics, health)
    reply(clinics, health, "B", "已将新建两处社区卫生服务站列入明年卫生健康规划，选址工作正在进行。")
    # 已答复, rated dissatisfied: staff decide on re-handling
    water = assign(
        register_(draft("member3", "关于改善农村地区医疗急救服务的建议", "社会建设")), lead="区卫生健康委员会"
    )
    accept(water, health)
    reply(water, health, "C", "受编制和经费所限，暂无法新增急救站点，留作今后工作参考。", ContactMethod.PHONE)
    water = fresh(water)
    # 征询意见表: attitude and result rated apart; only a phone call, no meeting (见面率 counts 见面 only)
    services.proposal_evaluate(
        proposal=water,
        actor=members["member3"].user,
        version=None,
        assignment=Assignment.objects.get(proposal=water),
        attitude="basically_satisfied",
        satisfaction="dissatisfied",
        met_in_person=False,
        comment="答复未回应急救半径过大的核心问题。",
    )

    # 已办结 (public page content)
    for username, title, unit, user, text, co in [
        (
            "member2",
            "关于延长中小学体育场地课后开放时段的建议",
            "区教育局",
            edu,
            "已在全区28所中小学推行体育场地课后及周末开放，并购买场地责任保险。",
            (),
        ),
        (
            "member3",
            "关于加快基层医疗机构信息化建设的建议",
            "区卫生健康委员会",
            health,
            "已完成全区社区卫生服务中心电子病历系统升级，实现检查结果互认。",
            ("member1",),
        ),
    ]:
        p = assign(register_(draft(username, title, "社会建设", co=co, publish_consent=True)), lead=unit)
        accept(p, user)
        reply(p, user, "A", text)
        services.proposal_evaluate(
            proposal=p,
            actor=members[username].user,
            version=None,
            assignment=Assignment.objects.get(proposal=p),
            attitude="satisfied",
            satisfaction="satisfied",
            met_in_person=True,
            comment="沟通及时，落实到位。",
        )
        for signer in co:  # 征询意见表: a co-signer's view beside the rating; it does not count
            services.proposal_comment_reply(
                proposal=p,
                actor=members[signer].user,
                version=None,
                assignment=Assignment.objects.get(proposal=p),
                comment="同意第一提案人的评价；建议继续推进区域影像中心建设。",
            )
    # 优秀提案评选: the sports-grounds proposal, fully carried out
    services.proposal_mark_excellent(
        proposal=Proposal.objects.get(title="关于延长中小学体育场地课后开放时段的建议"),
        actor=staff,
        version=None,
        is_excellent=True,
        note="主席会议审定",
    )
    seed_key_selection(session, staff, leader, schools)
    stdout.write(f"提案 {Proposal.objects.count()} 件（含全部状态）。")


LEADING = [("副区长", "王建国"), ("区委常委、宣传部部长", "李红"), ("副区长", "张志强")]
SUPERVISIONS = [
    (
        SupervisionKind.RESEARCH,
        "带队到相关街道和部门调研办理进展，查看现场，听取基层意见。",
        "督办领导、提案委、提案人、承办单位负责人",
    ),
    (
        SupervisionKind.FORUM,
        "召开督办座谈会，承办单位汇报办理方案，提案人提出意见，明确完成时限。",
        "督办领导、领办领导、提案人、承办单位",
    ),
    (SupervisionKind.SITE_VISIT, "现场督办，察看整改落实情况，要求承办单位按期答复提案人。", "督办领导、提案委"),
]


def seed_key_selection(session: PlenarySession, staff: User, leader: User, schools: Proposal) -> None:
    """重点提案遴选: the 提案委 nominates about 8 % of the session's registered proposals (the demo year's,
    and the 区教育局 one under handling), the 主席会议 leaves one out, each key proposal gets its
    督办 and 领办 leaders, and the leaders' 督办 visits are on record."""
    today = timezone.localdate()
    registered = Proposal.objects.filter(session=session, state__in=REGISTERED_STATES, is_key=False)
    year = set(t for t, _category, _unit in year_titles())
    others = [p for p in registered.order_by("sequence") if p.title in year][::12]
    target = max(1, round(registered.count() * 0.08))
    nominated = [schools, *others[:target]]
    selection = services.key_selection_open(actor=staff, session=session)
    services.key_selection_nominate(
        selection=selection,
        actor=staff,
        version=None,
        proposals=nominated,
        reason="群众关注度高、涉及面广，需多部门协同推进。",
    )
    chosen = [p for p in nominated if p != nominated[-1]] if len(nominated) > 2 else nominated
    services.key_selection_decide(
        selection=selection,
        actor=leader,
        version=None,
        meeting_on=today - timedelta(days=30),
        chosen=chosen,
        note="原则同意提案委推荐名单，由主席会议成员分别督办。",
    )
    leaders = [leader, *users_with_role(Role.LEADER).exclude(pk=leader.pk).order_by("pk")]
    for i, p in enumerate(chosen):
        post, name = LEADING[i % len(LEADING)]
        services.proposal_set_key_leaders(
            proposal=p,
            actor=staff,
            version=None,
            leader=leader if p == schools else leaders[i % len(leaders)],
            leading=[services.LeadingName(name=name, post=post)] if i % 2 == 0 else [],
        )
        for k, (kind, notes, attendees) in enumerate(SUPERVISIONS[: 1 + i % 3]):
            services.proposal_record_supervision(
                proposal=p,
                actor=leader if p == schools else staff,
                version=None,
                kind=kind,
                on=today - timedelta(days=25 - 8 * k),
                notes=notes,
                attendees=attendees,
            )


seed_proposals.seed_order = 30
register("demo_seeders", seed_proposals)
