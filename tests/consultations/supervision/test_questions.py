"""委员问政: questions ahead of the session, the head's answer at it, a written answer after it on a clock."""

from datetime import date, timedelta

import pytest
import time_machine

from consultations.models import ConsultationForm
from consultations.services import session_create
from consultations.supervision import clocks, services
from consultations.supervision.enums import AnswerKind
from consultations.supervision.models import Question
from cppcc_portal.deadlines import get_source
from cppcc_portal.deadlines.sweep import run_sweep
from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.models import Notification

from .builders import aware, make_item, org, user

pytestmark = pytest.mark.django_db

# The session: Monday 12 October 2026, 9:00-11:30; questions are asked the week before.
SESSION_START = aware(2026, 10, 12, 9, 0)
BEFORE = aware(2026, 9, 28, 10, 0)


@pytest.fixture
def setup(demo):
    with time_machine.travel(BEFORE, tick=False):
        item = make_item(form="委员问政", departments=("区教育局", "区民政局"), title="问政测试")
        session = session_create(
            actor=user("staff"),
            data={
                "title": "问政测试会",
                "form": ConsultationForm.objects.get(name="协商座谈会"),
                "starts_at": SESSION_START,
                "ends_at": SESSION_START + timedelta(hours=2, minutes=30),
                "venue": "区政协二楼会议室",
            },
        )
        services.item_link_sessions(actor=user("staff"), item=item, sessions=[session])
    return item, session


def ask(item, session, department="区教育局", who="member1"):
    return services.question_ask(
        actor=user(who), item=item, session=session, organization=org(department), text="课后服务何时全覆盖？"
    )


def test_a_member_asks_a_named_department_ahead_and_it_is_told(setup):
    item, session = setup
    with time_machine.travel(BEFORE, tick=False):
        question = ask(item, session)
    assert question.member.user == user("member1")
    assert question.written_due == date(2026, 10, 26)  # 10 working days after the session
    assert Notification.objects.filter(recipient=user("unit_edu"), link=question.get_absolute_url()).exists()


def test_questions_are_refused_once_the_session_has_started(setup):
    item, session = setup
    with time_machine.travel(SESSION_START + timedelta(minutes=5), tick=False):
        with pytest.raises(TransitionNotAllowed, match="已开始"):
            ask(item, session)
    assert not Question.objects.filter(item=item).exists()


def test_the_department_must_be_one_the_item_questions(setup):
    item, session = setup
    with time_machine.travel(BEFORE, tick=False):
        with pytest.raises(ValidationFailed, match="部门"):
            ask(item, session, department="区卫生健康委员会")


def test_only_members_ask(setup):
    item, session = setup
    with time_machine.travel(BEFORE, tick=False):
        with pytest.raises(PermissionDeniedError):
            ask(item, session, who="unit_edu")


def test_only_a_question_item_takes_questions(setup):
    _, session = setup
    other = make_item(form="专项监督", title="非问政")
    with time_machine.travel(BEFORE, tick=False):
        with pytest.raises(ValidationFailed, match="委员问政"):
            ask(other, session)


def test_the_heads_answer_is_recorded_at_the_session_not_before(setup):
    item, session = setup
    with time_machine.travel(BEFORE, tick=False):
        question = ask(item, session)
        with pytest.raises(TransitionNotAllowed, match="尚未开始"):
            services.question_answer_at_session(
                actor=user("staff"), question=question, answered_by_name="王局长", text="年底前"
            )
    with time_machine.travel(SESSION_START + timedelta(minutes=30), tick=False):
        services.question_answer_at_session(
            actor=user("staff"), question=question, answered_by_name="区教育局 王局长", text="年底前全覆盖。"
        )
        with pytest.raises(TransitionNotAllowed, match="已答复"):
            services.question_answer_at_session(
                actor=user("staff"), question=question, answered_by_name="王", text="再"
            )
    question.refresh_from_db()
    assert question.answer_kind == AnswerKind.AT_SESSION
    assert question.answered_by_name == "区教育局 王局长"
    assert Notification.objects.filter(recipient=user("member1"), subject__contains="现场答复").exists()
    assert question.pk not in set(get_source(clocks.QUESTION_ANSWER).queryset().values_list("pk", flat=True))


def test_an_unanswered_question_gets_the_units_written_answer_after_the_session(setup):
    item, session = setup
    with time_machine.travel(BEFORE, tick=False):
        question = ask(item, session)
        with pytest.raises(TransitionNotAllowed, match="尚未结束"):
            services.question_answer_in_writing(actor=user("unit_edu"), question=question, text="书面答复")
    with time_machine.travel(aware(2026, 10, 13, 9, 0), tick=False):
        with pytest.raises(PermissionDeniedError):
            services.question_answer_in_writing(actor=user("unit_health"), question=question, text="不是我们")
        services.question_answer_in_writing(actor=user("unit_edu"), question=question, text="已制定全覆盖方案。")
    question.refresh_from_db()
    assert question.answer_kind == AnswerKind.WRITTEN
    assert question.answer_recorded_by == user("unit_edu")


def test_the_written_answer_clock_runs_after_the_session_and_escalates_once(setup):
    item, session = setup
    key = clocks.QUESTION_ANSWER
    with time_machine.travel(BEFORE, tick=False):
        question = ask(item, session)
        assert question.pk not in set(get_source(key).queryset().values_list("pk", flat=True))  # not yet held
    with time_machine.travel(aware(2026, 10, 21, 9, 0), tick=False):  # 3 working days before the 26th
        assert question.pk in set(get_source(key).queryset().values_list("pk", flat=True))
        run_sweep(keys=[key], deliver=False)
    notices = Notification.objects.filter(link=question.get_absolute_url(), kind__startswith="deadline.")
    assert notices.filter(kind="deadline.remind", recipient=user("unit_edu")).count() == 1
    with time_machine.travel(aware(2026, 10, 27, 9, 0), tick=False):
        run_sweep(keys=[key], deliver=False)
        run_sweep(keys=[key], deliver=False)
    assert notices.filter(kind="deadline.escalate", recipient=user("staff")).count() == 1
    assert notices.filter(kind="deadline.escalate", recipient=user("unit_edu")).count() == 1
