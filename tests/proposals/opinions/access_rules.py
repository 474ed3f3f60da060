from proposals.models import MicroSuggestion, OpinionIssue, PublicOpinion
from tests.access import Rule, only

BY_MEMBER1 = "关于学校周边上下学时段交通拥堵的紧急反映"  # member1, from an activity of the station they head
BY_MEMBER2 = "关于社区卫生服务站周末开诊的建议"  # member2, personal
ADOPTED = "关于增设社区儿童托管服务的建议"  # member2, adopted
BY_MINJIN = "关于中小学教师非教学负担过重的情况反映"  # 民进区委 in its own name, member2 its contact member
MINJIN_AWAITING = "关于社区书法公益课堂场地不足的情况反映"  # 民进区委's, waiting for its head (party_minjin_head)


def opinion(title: str):
    return lambda: {"pk": PublicOpinion.objects.get(title=title).pk}


MICRO_WAITING = "社区卫生服务站候诊区座椅不足"  # member2 → the health commission (unit_health), waiting
MICRO_OVERDUE = "杨村小学东门放学时段缺少护学岗"  # member1, from the station they head → the education bureau


def micro(title: str):
    return lambda: {"pk": MicroSuggestion.objects.get(title=title).pk}


def first_issue():
    return {"pk": OpinionIssue.objects.order_by("pk").first().pk}


# 研究室 (staff_opinions) reviews and adopts 社情民意 and compiles the issues; no other division does.
STAFF = ("admin", "staff", "staff_opinions")
READERS = ("admin", "staff", "staff_opinions", "leader")

RULES = [
    Rule("opinions:list", only("admin", "staff", "staff_opinions", "leader", "member1", "member2", "party_minjin")),
    Rule(
        "opinions:list",
        only("admin", "staff", "staff_opinions", "leader", "member1", "member2", "party_minjin"),
        query="queue=1&status=submitted&q=关于",
    ),
    Rule("opinions:new", only("leader", "member1", "member2", "party_minjin")),
    Rule(
        "opinions:detail",
        only("admin", "staff", "staff_opinions", "leader", "member2", "party_minjin"),
        kwargs=opinion(BY_MINJIN),
    ),
    Rule("opinions:detail", only("admin", "staff", "staff_opinions", "leader", "member1"), kwargs=opinion(BY_MEMBER1)),
    Rule("opinions:detail", only("admin", "staff", "staff_opinions", "leader", "member2"), kwargs=opinion(BY_MEMBER2)),
    Rule("opinions:detail", only("admin", "staff", "staff_opinions", "leader", "member2"), kwargs=opinion(ADOPTED)),
    # Until its head confirms it, an organisation's report is its own (and its contact member's).
    Rule("opinions:detail", only("admin", "member2", "party_minjin"), kwargs=opinion(MINJIN_AWAITING)),
    Rule("opinions:confirm", only("admin"), kwargs=opinion(MINJIN_AWAITING)),
    Rule("opinions:edit", only(*STAFF), kwargs=opinion(BY_MEMBER2)),
    Rule("opinions:decide", only(*STAFF), kwargs=opinion(BY_MEMBER2)),
    Rule("opinions:reporting", only(*STAFF), kwargs=opinion(ADOPTED)),
    Rule("opinions:instruction", only(*STAFF), kwargs=opinion(ADOPTED)),
    Rule("opinions:feedback", only(*STAFF), kwargs=opinion(ADOPTED)),
    Rule("opinions:channel", only(*STAFF), kwargs=opinion(BY_MEMBER2)),
    Rule("opinions:higher-adoption", only(*STAFF), kwargs=opinion(ADOPTED)),
    # 《社情民意》 issues: the office's publications, read by leaders.
    Rule("opinions:issues", only(*READERS)),
    Rule("opinions:issues", only(*READERS), query="kind=special"),
    Rule("opinions:issue-new", only(*STAFF)),
    Rule("opinions:issue", only(*READERS), kwargs=first_issue),
    Rule("opinions:issue-pdf", only(*READERS), kwargs=first_issue),
    Rule("opinions:issue-docx", only(*READERS), kwargs=first_issue),
    Rule("opinions:issue-send", only(*STAFF), kwargs=first_issue),
    # 微建议: members file; the unit addressed answers; staff see all and raise.
    Rule("opinions:micro-list", only(*READERS, "member1", "member2", "unit_edu", "unit_health")),
    Rule("opinions:micro-list", only(*READERS, "member1", "member2", "unit_edu", "unit_health"), query="overdue=1"),
    Rule("opinions:micro-new", only("leader", "member1", "member2")),
    Rule("opinions:micro", only(*READERS, "member2", "unit_health"), kwargs=micro(MICRO_WAITING)),
    Rule("opinions:micro", only(*READERS, "member1", "unit_edu"), kwargs=micro(MICRO_OVERDUE)),
    Rule("opinions:micro-answer", only(*STAFF, "unit_health"), kwargs=micro(MICRO_WAITING)),
    Rule("opinions:micro-raise", only(*STAFF), kwargs=micro(MICRO_WAITING)),
]
