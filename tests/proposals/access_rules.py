"""Who may open each proposals URL. Demo proposals are looked up by title (see proposals/demo.py)."""

from proposals.models import Assignment, Attachment, Proposal
from tests.access import Rule, everyone, only

DRAFT_M1 = "关于增加中小学课后服务师资的建议"  # member1's draft, member3 invited
DRAFT_M2 = "关于老旧小区加装电梯的建议"  # member2's draft, no co-signers
SUBMITTED = "关于完善社区养老服务设施的建议"  # member2, waiting for review
REGISTERED = "关于加强中小学生心理健康教育的建议"  # member1 + member2 (co-signer), not yet assigned
PENDING_HEALTH = "关于推进家庭医生签约服务提质增效的建议"  # lead 区卫健委 (not accepted), co 区民政局
KEY_EDU = "关于推进义务教育优质均衡发展缓解择校热的建议"  # member2; 区教育局 accepted; key; extension pending
SPLIT = "关于加强学校食堂食品安全监管的建议"  # member3; split: 区教育局 accepted, 区卫健委 pending
REPLIED_B = "关于优化社区卫生服务中心布局的建议"  # member1 + member2; 区卫健委 replied B
DISSATISFIED = "关于改善农村地区医疗急救服务的建议"  # member3; 区卫健委 replied C, rated dissatisfied
CLOSED = "关于延长中小学体育场地课后开放时段的建议"  # member2; 区教育局 A; closed, public; 优秀提案
EXCELLENT = CLOSED
MINJIN_DRAFT = "关于推进社区书香阵地建设的建议"  # 民进区委's draft (party_minjin), awaiting its head
MINJIN_SUBMITTED = "关于加强青少年近视防控工作的建议"  # 民进区委, confirmed by its head; member2 its contact

# 提案委员会办公室 (staff_proposals) registers, assigns and follows proposals; no other division does.
STAFF = ("admin", "staff", "staff_proposals")
SEE_ALL = ("admin", "staff", "staff_proposals", "leader")


def pk(title: str):
    return lambda: {"pk": Proposal.objects.get(title=title).pk}


def current_session():
    from members.models import PlenarySession

    return {"session_pk": PlenarySession.current().pk}


def handover(unit: str):
    def kwargs():
        from members.models import Organization

        return {**current_session(), "unit_pk": Organization.objects.get(name=unit).pk}

    return kwargs


def key_round():
    from proposals.models import KeySelection

    return {"pk": KeySelection.objects.get(title__endswith="重点提案遴选").pk}  # the demo's round


def letter(title: str):
    return lambda: {"pk": Assignment.objects.get(proposal__title=title, replied_at__isnull=False).pk}


def attachment():
    return {"pk": Attachment.objects.get(proposal__title=REGISTERED).pk}


RULES = [
    Rule("proposals:list", everyone()),
    Rule("proposals:list", everyone(), query="state=handling&key=on&overdue=on&q=教育&unit=1&category=1&session=1"),
    Rule("proposals:export", everyone()),
    Rule("proposals:new", only(*SEE_ALL, "member1", "member2", "party_minjin")),
    Rule(
        "proposals:similar",
        only(*SEE_ALL, "member1", "member2", "party_minjin"),
        query="title=关于加强中小学心理健康教育的建议",
    ),
    Rule("proposals:review-queue", only(*STAFF)),
    Rule("proposals:followups", only(*SEE_ALL)),
    # 交办单, 目录 and 汇编: staff and leaders; a unit prints its own 交办单.
    Rule("proposals:documents", only(*SEE_ALL)),
    Rule("proposals:documents", only(*SEE_ALL), query="session=1"),
    Rule("proposals:catalogue", only(*SEE_ALL), kwargs=current_session),
    Rule("proposals:compilation", only(*SEE_ALL), kwargs=current_session),
    Rule("proposals:replies-compilation", only(*SEE_ALL), kwargs=current_session),
    Rule("proposals:handover-pdf", only(*SEE_ALL, "unit_edu"), kwargs=handover("区教育局")),
    Rule("proposals:handover-pdf", only(*SEE_ALL, "unit_health"), kwargs=handover("区卫生健康委员会")),
    Rule("proposals:attachment", only(*SEE_ALL, "member1", "member2"), kwargs=attachment),
    # Detail and PDF: units only see their own assignments; drafts are private to their author.
    Rule("proposals:detail", only(*SEE_ALL, "member2", "unit_edu"), kwargs=pk(KEY_EDU)),
    Rule("proposals:detail", only(*SEE_ALL, "member1", "member2", "unit_health"), kwargs=pk(REPLIED_B)),
    Rule("proposals:detail", only("admin", "member1"), kwargs=pk(DRAFT_M1)),  # admin: superuser
    Rule("proposals:pdf", only(*SEE_ALL, "member2", "unit_edu"), kwargs=pk(KEY_EDU)),
    # 答复函: whoever may see the proposal, once the unit has signed its reply off.
    Rule("proposals:letter-pdf", only(*SEE_ALL, "member2", "unit_edu"), kwargs=letter(CLOSED)),
    Rule("proposals:letter-docx", only(*SEE_ALL, "member1", "member2", "unit_health"), kwargs=letter(REPLIED_B)),
    Rule("proposals:edit", only("admin", "member1"), kwargs=pk(DRAFT_M1)),
    # 集体提案: an organisation's draft is its users' alone (not even its contact member2's) ...
    Rule("proposals:detail", only("admin", "party_minjin"), kwargs=pk(MINJIN_DRAFT)),
    Rule("proposals:edit", only("admin", "party_minjin"), kwargs=pk(MINJIN_DRAFT)),
    # ... and only its head confirms it (party_minjin_head; tests/proposals/test_collective.py).
    Rule("proposals:confirm", only("admin"), kwargs=pk(MINJIN_DRAFT)),
    Rule("proposals:detail", only(*SEE_ALL, "member2", "party_minjin"), kwargs=pk(MINJIN_SUBMITTED)),
    # 提
    Rule("proposals:cosign", only("admin", "member2", ok=302), kwargs=pk(REGISTERED)),
    Rule("proposals:submit", only("admin", "member2"), kwargs=pk(DRAFT_M2)),
    Rule("proposals:withdraw", only("admin", "member2"), kwargs=pk(DRAFT_M2)),
    # 立
    Rule("proposals:register", only(*STAFF), kwargs=pk(SUBMITTED)),
    Rule("proposals:return", only(*STAFF), kwargs=pk(SUBMITTED)),
    Rule("proposals:reject", only(*STAFF), kwargs=pk(SUBMITTED)),
    Rule("proposals:merge", only(*STAFF), kwargs=pk(SUBMITTED)),
    # The 并案 picker's search: whoever may merge the proposal.
    Rule("proposals:merge-targets", only(*STAFF), kwargs=pk(SUBMITTED), query="field=target&target_q=建议"),
    # 办
    Rule("proposals:assign", only(*STAFF), kwargs=pk(REGISTERED)),
    Rule("proposals:accept", {**only("unit_health"), "admin": 302}, kwargs=pk(PENDING_HEALTH)),
    Rule("proposals:request-reassign", {**only("unit_health"), "admin": 302}, kwargs=pk(PENDING_HEALTH)),
    Rule("proposals:decide-reassign", only(*STAFF, ok=302), kwargs=pk(PENDING_HEALTH)),
    Rule("proposals:request-extension", {**only("unit_edu"), "admin": 302, "unit_health": 302}, kwargs=pk(SPLIT)),
    Rule("proposals:decide-extension", only(*STAFF), kwargs=pk(KEY_EDU)),
    Rule("proposals:contact", {**only("unit_edu"), "admin": 302}, kwargs=pk(KEY_EDU)),
    Rule("proposals:views", only("admin", "unit_health", ok=302), kwargs=pk(PENDING_HEALTH)),
    Rule("proposals:waive-contact", only("admin", "member2"), kwargs=pk(KEY_EDU)),
    Rule("proposals:override-views", only(*STAFF, ok=302), kwargs=pk(PENDING_HEALTH)),
    Rule("proposals:draft-reply", {**only("unit_edu"), "admin": 302}, kwargs=pk(KEY_EDU)),
    # Only a unit's 负责人 signs a reply off: unit_edu is 区教育局's 经办人 (unit_edu_head signs).
    Rule("proposals:reply", {**only(), "admin": 302}, kwargs=pk(KEY_EDU)),
    Rule("proposals:rate-quality", {**only("unit_edu"), "admin": 302}, kwargs=pk(KEY_EDU)),
    # 督
    # 重点提案遴选: staff nominate, a leader records the 主席会议's decision; both name the 督办/领办 leaders.
    Rule("proposals:key-selections", only(*SEE_ALL)),
    Rule("proposals:key-selection", only(*SEE_ALL), kwargs=key_round),
    Rule("proposals:key-report-pdf", only(*SEE_ALL), kwargs=current_session),
    Rule("proposals:key-report-docx", only(*SEE_ALL), kwargs=current_session),
    Rule("proposals:key-leaders", only(*SEE_ALL), kwargs=pk(KEY_EDU)),
    Rule("proposals:mark-excellent", only(*STAFF), kwargs=pk(EXCELLENT)),
    Rule("proposals:supervise", only(*STAFF, "leader"), kwargs=pk(KEY_EDU)),
    Rule("proposals:followup", only(*STAFF), kwargs=pk(REPLIED_B)),
    # 评
    # 征询意见表: the first proposer rates; a confirmed co-signer may only comment.
    Rule("proposals:evaluate", only("admin", "member1"), kwargs=pk(REPLIED_B)),
    Rule("proposals:comment-reply", only("admin", "member2"), kwargs=pk(REPLIED_B)),
    Rule("proposals:rehandle", only(*STAFF), kwargs=pk(DISSATISFIED)),
    Rule("proposals:close", only(*STAFF), kwargs=pk(DISSATISFIED)),
    # Public: no login, no contact data.
    Rule("public_proposals:list", {"*": 200, "anonymous": 200}),
    Rule("public_proposals:list", {"*": 200, "anonymous": 200}, query="q=体育"),
    Rule("public_proposals:detail", {"*": 200, "anonymous": 200}, kwargs=pk(CLOSED)),
]
