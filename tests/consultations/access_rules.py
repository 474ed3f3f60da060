"""Every consultations URL, every role.

Demo facts used here (consultations/demo.py): member1 and member2 are invited to
the upcoming 请你来商量 (with 区教育局 as invited unit), member3 signed up; the
public online session invites nobody named; 区教育局 owes feedback on one
inspection; 区卫健委 owes feedback on the 医养结合 outcome.
"""

from consultations import demo as d
from consultations.models import (
    Inspection,
    Invitation,
    OnlinePost,
    OnlineTopic,
    Outcome,
    ResearchProject,
    Session,
    SessionMaterial,
    Topic,
)
from consultations.supervision import demo as sd
from consultations.supervision.models import (
    Question,
    SupervisionItem,
    SupervisionRecord,
    SupervisorPhoto,
    SupervisorTask,
)
from tests.access import OFFICES, Rule, everyone, only

STAFF = ("admin", "staff")
SEE_ALL = ("admin", "staff", "leader")
MEMBERS = ("admin", "staff", "leader", "member1", "member2")
BROWSE = (*MEMBERS, "unit_edu", "unit_health")
POST_STAFF = {"*": 403, "admin": 302, "staff": 302}
# The offices that run consultations: the 办公室 (what no committee runs: the public 网络议政) and
# 经济委员会's office (the 优化营商环境 meeting). They read the plan, outcomes and supervision, open
# the forms to create, and change only their own; the 请你来商量 (教科卫体委) is neither's.
RUN = ("staff_meetings", "staff_committee")


def session(title):
    return lambda: {"pk": Session.objects.get(title=title).pk}


def first(model, **filters):
    return lambda: {"pk": model.objects.filter(**filters).order_by("pk").first().pk}


def outcome(title):
    return lambda: {"pk": Outcome.objects.get(title=title).pk}


def inspection(title):
    return lambda: {"pk": Inspection.objects.get(title=title).pk}


def material():
    from django.core.files.base import ContentFile

    s = Session.objects.get(title=d.UPCOMING_QINGNI)
    m = SessionMaterial.objects.filter(session=s).first()
    if m is None:
        m = SessionMaterial(session=s, title="情况通报")
        m.file.save("report.txt", ContentFile("情况通报".encode()), save=True)
    return {"pk": m.pk}


def leave_invitation():
    return {"pk": Invitation.objects.get(session__title=d.UPCOMING_QINGNI, member__user__username="leader").pk}


def checkin_kwargs():
    s = Session.objects.get(title=d.UPCOMING_QINGNI)
    return {"pk": s.pk, "token": "wrong-token"}


def calendar_kwargs():
    from consultations.models import CalendarToken
    from members.models import User

    token, _ = CalendarToken.objects.get_or_create(user=User.objects.get(username="member1"))
    return {"token": token.token}


def online(title):
    return lambda: {"pk": OnlineTopic.objects.get(title=title).pk}


def online_post(**filters):
    return lambda: {"pk": OnlinePost.objects.get(**filters).pk}


QINGNI = session(d.UPCOMING_QINGNI)
PUBLIC = session(d.UPCOMING_PUBLIC)
PAST = session(d.PAST_ATTENDED)


def item(title):
    return lambda: {"pk": SupervisionItem.objects.get(title=title).pk}


def task(title):
    return lambda: {"pk": SupervisorTask.objects.get(title=title).pk}


def owed_question():
    return {"pk": Question.objects.get(text=sd.QUESTION_OWED).pk}


def record_without_file():
    return {"pk": SupervisionRecord.objects.filter(item__title=sd.ITEM_FEEDBACK).order_by("pk").first().pk}


def forwarded_photo():
    return {"pk": SupervisorPhoto.objects.get(task__title=sd.TASK_FORWARDED).pk}


YEAR = lambda: {"year": Topic.objects.order_by("-plan__year").first().plan.year}  # noqa: E731

RULES = [
    Rule("consultations:index", only(*BROWSE, *RUN)),
    Rule("consultations:calendar-reset", {"*": 403, "leader": 302, "member1": 302, "member2": 302}, method="post"),
    Rule("consultations:calendar", {"*": 200, "anonymous": 200}, kwargs=calendar_kwargs),
    Rule("consultations:calendar", {"*": 404, "anonymous": 404}, kwargs={"token": "not-a-real-token"}),
    Rule("consultations:plan-current", only(*MEMBERS, *RUN, ok=302)),
    Rule("consultations:plan", only(*MEMBERS, *RUN), kwargs=YEAR),
    Rule("consultations:plan-pdf", only(*MEMBERS, *RUN), kwargs={"year": 1999}),
    Rule("consultations:topic-new", only(*STAFF, *RUN), kwargs=YEAR),
    Rule("consultations:topic", only(*MEMBERS, *RUN), kwargs=first(Topic)),
    Rule("consultations:topic-edit", only(*STAFF), kwargs=first(Topic)),
    Rule("consultations:research-list", only(*MEMBERS, *RUN)),
    Rule("consultations:research-new", only(*STAFF, *RUN)),
    Rule("consultations:research", only(*MEMBERS, *RUN), kwargs=first(ResearchProject)),
    Rule("consultations:research-edit", only(*STAFF), kwargs=first(ResearchProject)),
    Rule("consultations:research-invite", only(*STAFF), kwargs=first(ResearchProject)),
    Rule("consultations:research-invite", only(*STAFF), kwargs=first(ResearchProject), query="groups=standing"),
    Rule("consultations:research-invite", POST_STAFF, kwargs=first(ResearchProject), method="post"),
    Rule("consultations:research-visit", POST_STAFF, kwargs=first(ResearchProject), method="post"),
    # member2 leads the first project (农村人居环境整治调研) and files its report; member1 is not on its team.
    Rule(
        "consultations:research-report",
        {**POST_STAFF, "member2": 302},
        kwargs=first(ResearchProject),
        method="post",
    ),
    Rule(
        "consultations:research-file", {"*": 403, **dict.fromkeys((*MEMBERS, *RUN), 404)}, kwargs=first(ResearchProject)
    ),
    Rule("consultations:session-new", only(*STAFF, *RUN)),
    # Invited members and the invited unit see the 请你来商量; unit_health does not.
    Rule("consultations:session", only(*BROWSE[:-1]), kwargs=QINGNI),
    # The public session: every member, no unit.
    Rule("consultations:session", only(*MEMBERS, "staff_meetings"), kwargs=PUBLIC),
    # A past session member2 was invited to, leader was not (but sees everything).
    Rule("consultations:session", only(*MEMBERS, "staff_committee"), kwargs=PAST),
    Rule("consultations:session-edit", only(*STAFF), kwargs=QINGNI),
    Rule("consultations:session-invite", only(*STAFF), kwargs=QINGNI),
    # The preview of an invitation by group (界别 and the 常委 here).
    Rule(
        "consultations:session-invite",
        only(*STAFF),
        kwargs=QINGNI,
        query="groups=standing&groups=sector:1&groups=station:1&kind=required",
    ),
    Rule("consultations:session-official", POST_STAFF, kwargs=QINGNI, method="post"),
    Rule("consultations:session-notice", POST_STAFF, kwargs=QINGNI, method="post"),
    Rule("consultations:material-upload", POST_STAFF, kwargs=QINGNI, method="post"),
    Rule("consultations:materials-circulate", POST_STAFF, kwargs=QINGNI, method="post"),
    Rule("consultations:material", only(*BROWSE[:-1]), kwargs=material),
    # Only invited (or, for public sessions, any) members answer; staff and units may not.
    Rule("consultations:rsvp", {"*": 403, "leader": 200, "member1": 200, "member2": 200}, kwargs=QINGNI),
    Rule("consultations:rsvp", {"*": 403, "leader": 200, "member1": 200, "member2": 200}, kwargs=PUBLIC),
    Rule("consultations:leave-decide", POST_STAFF, kwargs=leave_invitation, method="post"),
    # A wrong token renders the explanation for every logged-in user and changes nothing.
    Rule("consultations:checkin", everyone(200), kwargs=checkin_kwargs),
    Rule("consultations:checkin", everyone(200), kwargs=checkin_kwargs, method="post"),
    Rule("consultations:checkin-rotate", POST_STAFF, kwargs=QINGNI, method="post"),
    Rule("consultations:checkin-qr", only(*STAFF), kwargs=QINGNI),
    Rule("consultations:attendance", only(*STAFF), kwargs=QINGNI),
    Rule("consultations:speech", {"*": 403, "leader": 200, "member1": 200, "member2": 200}, kwargs=QINGNI),
    Rule("consultations:speakers", POST_STAFF, kwargs=QINGNI, method="post"),
    Rule("consultations:minutes", only(*STAFF, "staff_committee"), kwargs=PAST),
    Rule("consultations:minutes-file", {"*": 403, **dict.fromkeys((*MEMBERS, "staff_committee"), 404)}, kwargs=PAST),
    Rule("consultations:outcomes", only(*SEE_ALL, *RUN, "unit_edu", "unit_health")),
    Rule("consultations:outcomes", only(*SEE_ALL, *RUN, "unit_edu", "unit_health"), query="awaiting=1"),
    Rule("consultations:outcome-new", only(*STAFF, *RUN)),
    Rule("consultations:outcome", only(*MEMBERS, *RUN, "unit_health"), kwargs=outcome(d.OUTCOME_PARTIAL)),
    Rule("consultations:outcome-edit", only(*STAFF), kwargs=outcome(d.OUTCOME_PARTIAL)),
    Rule("consultations:suggestion-add", POST_STAFF, kwargs=outcome(d.OUTCOME_PARTIAL), method="post"),
    Rule("consultations:delivery-add", POST_STAFF, kwargs=outcome(d.OUTCOME_PARTIAL), method="post"),
    Rule("consultations:instruction-add", POST_STAFF, kwargs=outcome(d.OUTCOME_PARTIAL), method="post"),
    Rule(
        "consultations:adoption",
        {"*": 403, "admin": 302, "staff": 302, "unit_health": 302},
        kwargs=outcome(d.OUTCOME_PARTIAL),
        method="post",
    ),
    Rule("consultations:supervision-current", only(*MEMBERS, *RUN, ok=302)),
    Rule("consultations:supervision", only(*MEMBERS, *RUN), kwargs=YEAR),
    Rule("consultations:supervision-topic-new", only(*STAFF, *RUN), kwargs=YEAR),
    Rule("consultations:inspection-new", only(*STAFF, *RUN)),
    Rule("consultations:inspection", only(*MEMBERS, *RUN, "unit_edu"), kwargs=inspection(d.INSPECTION_AWAITING)),
    Rule("consultations:inspection-edit", only(*STAFF), kwargs=inspection(d.INSPECTION_AWAITING)),
    Rule(
        "consultations:inspection-feedback",
        {"*": 403, "admin": 302, "staff": 302, "unit_edu": 302},
        kwargs=inspection(d.INSPECTION_AWAITING),
        method="post",
    ),
    Rule("consultations:supervisors", only(*MEMBERS, *RUN)),
    Rule("consultations:supervisor-new", only(*STAFF, *RUN)),
    # 网络议政: the list is open to all (the public sees public topics). The open demo topic is
    # public; the closed one invited member1 (not member2) and is not public.
    Rule("consultations:online-list", {"*": 200, "anonymous": 200}),
    Rule("consultations:online-new", only(*STAFF, *RUN)),
    Rule("consultations:online-topic", {"*": 200, "anonymous": 200}, kwargs=online(d.ONLINE_OPEN)),
    Rule(
        "consultations:online-topic",
        only("admin", "staff", "staff_meetings", "leader", "member1"),
        kwargs=online(d.ONLINE_CLOSED),
    ),
    # An empty POST: members and the public see the form again with what is missing; staff do not post.
    Rule(
        "consultations:online-topic",
        {"*": 200, "anonymous": 200, **dict.fromkeys(("admin", "staff", *OFFICES), 403)},
        kwargs=online(d.ONLINE_OPEN),
        method="post",
    ),
    Rule(
        "consultations:online-edit", only(*STAFF, "staff_meetings"), kwargs=online(d.ONLINE_OPEN)
    ),  # the 办公室 runs 网络议政
    Rule("consultations:online-attachment", {"*": 404, "anonymous": 404}, kwargs=online(d.ONLINE_OPEN)),
    Rule(
        "consultations:online-close", {**POST_STAFF, "staff_meetings": 302}, kwargs=online(d.ONLINE_OPEN), method="post"
    ),
    Rule(
        "consultations:online-summary-pdf",
        only("admin", "staff", "staff_meetings", "leader", "member1"),
        kwargs=online(d.ONLINE_CLOSED),
    ),
    Rule(
        "consultations:online-summary-docx",
        only("admin", "staff", "staff_meetings", "leader", "member1"),
        kwargs=online(d.ONLINE_CLOSED),
    ),
    Rule(
        "consultations:online-moderate",
        {**POST_STAFF, "staff_meetings": 302},
        kwargs=online_post(text=d.ONLINE_PENDING_COMMENT),
        method="post",
    ),
    Rule(
        "consultations:online-adopt",
        {**POST_STAFF, "staff_meetings": 302},
        kwargs=online_post(topic__title=d.ONLINE_CLOSED, adopted_at__isnull=False),
        method="post",
    ),
    # 远程协商: the public online session; members may click 在线签到 (it says when it opens).
    Rule(
        "consultations:online-checkin",
        {"*": 403, "admin": 302, "leader": 302, "member1": 302, "member2": 302},
        kwargs=PUBLIC,
        method="post",
    ),
    # Democratic supervision items: 区教育局 is the department of the 反馈 item, not 区卫健委.
    Rule("consultations:supervision-item-list", only(*BROWSE)),
    Rule("consultations:supervision-item-list", only(*BROWSE), query="stage=feedback"),
    Rule("consultations:supervision-item-new", only(*STAFF), kwargs=YEAR),
    Rule("consultations:supervision-item", only(*MEMBERS, "unit_edu"), kwargs=item(sd.ITEM_FEEDBACK)),
    Rule("consultations:supervision-item", only(*MEMBERS, "unit_edu"), kwargs=item(sd.ITEM_QUESTIONS)),
    Rule("consultations:supervision-item", only(*MEMBERS), kwargs=item(sd.ITEM_DONE)),
    Rule("consultations:supervision-item-move", POST_STAFF, kwargs=item(sd.ITEM_FEEDBACK), method="post"),
    Rule(
        "consultations:supervision-record-add",
        {"*": 403, "admin": 302, "staff": 302, "unit_edu": 302},
        kwargs=item(sd.ITEM_FEEDBACK),
        method="post",
    ),
    Rule("consultations:supervision-item-proposals", POST_STAFF, kwargs=item(sd.ITEM_PROPOSALS), method="post"),
    Rule("consultations:supervision-item-sessions", POST_STAFF, kwargs=item(sd.ITEM_MEETING), method="post"),
    Rule(
        "consultations:question-ask",
        {"*": 403, "admin": 302, "leader": 302, "member1": 302, "member2": 302},
        kwargs=item(sd.ITEM_QUESTIONS),
        method="post",
    ),
    # A record without a file: those who see the item get 404, the rest 403.
    Rule(
        "consultations:supervision-record-file",
        {"*": 403, **dict.fromkeys((*MEMBERS, "unit_edu"), 404)},
        kwargs=record_without_file,
    ),
    Rule("consultations:question-list", only(*BROWSE)),
    Rule("consultations:question-list", only(*BROWSE), query="open=1"),
    # member2 asked 区教育局; member1 did not ask it.
    Rule("consultations:question", only(*SEE_ALL, "member2", "unit_edu"), kwargs=owed_question),
    Rule("consultations:question-session-answer", POST_STAFF, kwargs=owed_question, method="post"),
    Rule("consultations:supervisor-task-list", only(*BROWSE)),
    Rule("consultations:supervisor-task-list", only(*BROWSE), query="status=forwarded"),
    Rule("consultations:supervisor-task-new", only(*STAFF)),
    # member2's own task, not yet reported: no department sees it yet.
    Rule("consultations:supervisor-task", only(*SEE_ALL, "member2"), kwargs=task(sd.TASK_TO_REPORT)),
    Rule("consultations:supervisor-task-report", only(*STAFF, "member2"), kwargs=task(sd.TASK_TO_REPORT)),
    # member3's report, forwarded to 区教育局.
    Rule("consultations:supervisor-task", only(*SEE_ALL, "unit_edu"), kwargs=task(sd.TASK_FORWARDED)),
    Rule("consultations:supervisor-task-forward", POST_STAFF, kwargs=task(sd.TASK_FORWARDED), method="post"),
    Rule(
        "consultations:supervisor-task-feedback",
        {"*": 403, "admin": 302, "staff": 302, "unit_edu": 302},
        kwargs=task(sd.TASK_FORWARDED),
        method="post",
    ),
    Rule("consultations:supervisor-photo", only(*SEE_ALL, "unit_edu"), kwargs=forwarded_photo),
]
