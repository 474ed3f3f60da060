"""Who may open each 通知公告 URL. The demo notice went to every member of the term (members/notices/demo.py)."""

from members.notices.demo import NOTICE_TITLE
from tests.access import Rule, everyone, only

OFFICE = ("admin", "staff", "staff_meetings")  # the 办公室 publishes and follows the receipts
RECIPIENTS = ("leader", "member1", "member2")  # members of the term with a login


def notice():
    from members.notices.models import Notice

    return {"pk": Notice.objects.get(title=NOTICE_TITLE).pk}


def attachment():
    from members.notices.models import NoticeAttachment

    return {"pk": NoticeAttachment.objects.get(notice__title=NOTICE_TITLE).pk}


RULES = [
    Rule("notices:list", everyone()),
    Rule("notices:list", everyone(), query="page=2"),
    Rule("notices:new", only(*OFFICE, "staff_committee")),  # a 专委会办公室 notifies too, and follows its own
    Rule("notices:detail", only(*OFFICE, *RECIPIENTS), kwargs=notice),
    Rule("notices:attachment", only(*OFFICE, *RECIPIENTS), kwargs=attachment),
    Rule("notices:receipts", only(*OFFICE), kwargs=notice),
    Rule("notices:receipts", only(*OFFICE), kwargs=notice, query="state=unread"),
    Rule("notices:remind", only(*OFFICE, ok=302), kwargs=notice, method="post"),
    Rule("notices:detail", everyone(404), kwargs={"pk": 999999}),
]
