"""社情民意 clocks: the research office reviews a report within 5 working days, an urgent one within 1.

Due dates are stored in ``PublicOpinion.review_due`` (indexed), computed with ``due_date``
from ``submitted_on`` under whichever clock applies; the deadlines sweep finds the
open ones through the two sources below.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from cppcc_portal.deadlines import ClockSource, ClockSpec, Escalation, due_date, register_clock, register_source
from cppcc_portal.roles import Role, users_with_role, whole_office_staff

from .enums import MicroStatus, OpinionStatus

REVIEW = register_clock(
    ClockSpec(
        key="opinion.review",
        label="社情民意审核",
        start_label="报送后",
        length=5,
        reminders=(1,),
        remind=("staff",),
        escalations=(Escalation(after_days=1, notify=("staff", "leaders"), label="逾期未审核"),),
    )
)
URGENT_REVIEW = register_clock(
    ClockSpec(
        key="opinion.urgent_review",
        label="急事急报审核",
        start_label="报送后",
        length=1,
        reminders=(),
        remind=("staff",),
        escalations=(Escalation(after_days=1, notify=("staff", "leaders"), label="急报逾期未审核"),),
    )
)


def clock_key(*, urgent: bool) -> str:
    return URGENT_REVIEW.key if urgent else REVIEW.key


def review_due(*, submitted_on: date, urgent: bool) -> date:
    return due_date(clock_key(urgent=urgent), submitted_on)


class OpinionReviewClock(ClockSource):
    key = REVIEW.key
    model = "proposals.PublicOpinion"
    due_field = "review_due"
    start_field = "submitted_on"
    related = ("author",)
    export_fields = ("title", "author__name")
    relations = {"staff": "机关工作人员", "leaders": "主席会议成员", "members": "相关委员"}
    urgent = False

    def open_filter(self) -> Q:
        return Q(status=OpinionStatus.SUBMITTED, urgent=self.urgent)

    def recipients(self, item, relation: str) -> list:
        if relation == "staff":
            return list(whole_office_staff())
        if relation == "leaders":
            return list(users_with_role(Role.LEADER))
        if relation == "members":
            return [item.author.user] if item.author.user_id else []
        return []

    def title(self, item) -> str:
        return f"社情民意《{item.title}》（{item.author.name}）"


class UrgentOpinionReviewClock(OpinionReviewClock):
    key = URGENT_REVIEW.key
    urgent = True


register_source(OpinionReviewClock())
register_source(UrgentOpinionReviewClock())


# 微建议: the responsible unit answers within 10 working days.
MICRO_ANSWER = register_clock(
    ClockSpec(
        key="micro.answer",
        label="微建议答复",
        start_label="委员提出后",
        length=10,
        reminders=(3,),
        remind=("unit_users",),
        escalations=(Escalation(after_days=1, notify=("unit_users", "staff"), label="微建议逾期未答复"),),
    )
)


def micro_answer_due(*, submitted_on: date) -> date:
    return due_date(MICRO_ANSWER.key, submitted_on)


class MicroAnswerClock(ClockSource):
    key = MICRO_ANSWER.key
    model = "proposals.MicroSuggestion"
    due_field = "answer_due"
    start_field = "submitted_on"
    unit_field = "unit"
    related = ("member", "unit")
    export_fields = ("title", "member__name", "unit__name")
    relations = {"unit_users": "承办单位用户", "staff": "机关工作人员", "members": "相关委员"}

    def open_filter(self) -> Q:
        return Q(status=MicroStatus.SUBMITTED)

    def recipients(self, item, relation: str) -> list:
        if relation == "unit_users":
            return list(users_with_role(Role.UNIT, organization_id=item.unit_id))
        if relation == "staff":
            return list(whole_office_staff())
        if relation == "members":
            return [item.member.user] if item.member.user_id else []
        return []

    def title(self, item) -> str:
        return f"微建议《{item.title}》（{item.member.name} → {item.unit.name}）"


register_source(MicroAnswerClock())
