"""The topic's chain status follows from its records: 选题→调研→协商→成果→报送→反馈→完成."""

import re
import zlib
from datetime import date, timedelta

import pytest
from django.utils import timezone

from consultations import selectors, services
from consultations.enums import Adoption, ChainStage
from consultations.models import ConsultationForm, Topic
from consultations.workflow import ChainFacts, derive_stage, is_late
from members.models import Organization

from .factories import make_session, member, staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("facts", "stage"),
    [
        (ChainFacts(), ChainStage.TOPIC),
        (ChainFacts(has_research=True), ChainStage.RESEARCH),
        (ChainFacts(has_research=True, has_held_session=True), ChainStage.CONSULTATION),
        (ChainFacts(has_held_session=True, has_outcome=True), ChainStage.OUTCOME),
        (ChainFacts(has_outcome=True, has_delivery=True), ChainStage.SENT),
        (ChainFacts(has_outcome=True, has_delivery=True, has_feedback=True), ChainStage.FEEDBACK),
        (
            ChainFacts(has_outcome=True, has_delivery=True, has_feedback=True, all_outcomes_answered=True),
            ChainStage.DONE,
        ),
    ],
)
def test_stage_is_derived_from_facts(facts, stage):
    assert derive_stage(facts) == stage


def test_late_only_when_the_quarter_is_over_and_no_session_was_held():
    end = date(2026, 6, 30)
    assert is_late(stage=ChainStage.RESEARCH, quarter_ends_on=end, today=date(2026, 7, 1))
    assert not is_late(stage=ChainStage.RESEARCH, quarter_ends_on=end, today=date(2026, 6, 30))
    assert not is_late(stage=ChainStage.CONSULTATION, quarter_ends_on=end, today=date(2026, 7, 1))


def stage_of(topic):
    return selectors.annotate_stage(selectors.topics_with_chain(Topic.objects.filter(pk=topic.pk)))[0].stage


def test_a_topic_walks_the_whole_chain_through_the_services():
    actor = staff()
    plan = services.plan_get_or_create(actor=actor, year=2031)
    unit = Organization.objects.get(name="区教育局")
    topic = services.topic_save(
        actor=actor,
        plan=plan,
        data={
            "title": "链条测试议题",
            "form": ConsultationForm.objects.get(name="请你来商量"),
            "source": "public",
            "planned_quarter": 1,
            "departments": [unit],
        },
    )
    assert stage_of(topic) == ChainStage.TOPIC

    services.research_save(
        actor=actor,
        data={
            "topic": topic,
            "title": "调研",
            "lead": member("member1"),
            "starts_on": date(2031, 1, 5),
            "ends_on": date(2031, 2, 5),
        },
    )
    assert stage_of(topic) == ChainStage.RESEARCH

    session = make_session(starts_at=timezone.now() + timedelta(days=5))
    session.topic = topic
    session.save()
    assert stage_of(topic) == ChainStage.RESEARCH  # scheduled, not yet held
    type(session).objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert stage_of(topic) == ChainStage.CONSULTATION

    outcome = services.outcome_save(actor=actor, data={"topic": topic, "kind": "proposal", "title": "建议案"})
    suggestion = services.suggestion_add(actor=actor, outcome=outcome, text="建议一", departments=[unit])
    assert stage_of(topic) == ChainStage.OUTCOME

    services.delivery_add(actor=actor, outcome=outcome, body="区委", sent_on=timezone.localdate())
    assert stage_of(topic) == ChainStage.SENT

    services.instruction_add(
        actor=actor,
        outcome=outcome,
        data={
            "leader_name": "区委书记",
            "level": "party_chief",
            "text": "请落实。",
            "instructed_on": timezone.localdate(),
        },
    )
    assert stage_of(topic) == ChainStage.FEEDBACK

    services.adoption_record(
        actor=actor,
        suggestion=suggestion,
        organization=unit,
        adoption=Adoption.ADOPTED,
        text="已落实",
        replied_on=timezone.localdate(),
    )
    assert stage_of(topic) == ChainStage.DONE
    outcome.refresh_from_db()
    assert outcome.feedback_completed_on == timezone.localdate()


def test_feedback_is_complete_only_when_every_named_department_answered(demo):
    actor = staff()
    edu, health = Organization.objects.get(name="区教育局"), Organization.objects.get(name="区卫生健康委员会")
    outcome = services.outcome_save(actor=actor, data={"kind": "report", "title": "两部门成果"})
    suggestion = services.suggestion_add(actor=actor, outcome=outcome, text="联合建议", departments=[edu, health])
    services.delivery_add(actor=actor, outcome=outcome, body="区政府", sent_on=timezone.localdate())
    services.adoption_record(
        actor=demo["unit_edu"],
        suggestion=suggestion,
        organization=edu,
        adoption="partly",
        text="部分落实",
        replied_on=timezone.localdate(),
    )
    outcome.refresh_from_db()
    assert outcome.feedback_completed_on is None
    assert list(selectors.outcome_pending_departments(outcome)) == [health]
    services.adoption_record(
        actor=demo["unit_health"],
        suggestion=suggestion,
        organization=health,
        adoption="not_adopted",
        text="条件不具备",
        replied_on=timezone.localdate(),
    )
    outcome.refresh_from_db()
    assert outcome.feedback_completed_on is not None


def test_a_unit_may_answer_only_for_itself(demo):
    from cppcc_portal.errors import PermissionDeniedError

    actor = staff()
    edu, health = Organization.objects.get(name="区教育局"), Organization.objects.get(name="区卫生健康委员会")
    outcome = services.outcome_save(actor=actor, data={"kind": "report", "title": "越权测试"})
    suggestion = services.suggestion_add(actor=actor, outcome=outcome, text="建议", departments=[edu, health])
    services.delivery_add(actor=actor, outcome=outcome, body="区政府", sent_on=timezone.localdate())
    with pytest.raises(PermissionDeniedError):
        services.adoption_record(
            actor=demo["unit_edu"],
            suggestion=suggestion,
            organization=health,
            adoption="adopted",
            text="x",
            replied_on=timezone.localdate(),
        )


def test_demo_plan_has_a_topic_at_every_stage_and_a_late_one(login):
    year = timezone.localdate().year
    topics = selectors.plan_topics(services.plan_get_or_create(actor=staff(), year=year))
    assert {topic.stage for topic in topics} == set(ChainStage)
    assert any(topic.late for topic in topics)
    body = login("staff").get(f"/consultations/plan/{year}/").content.decode()
    assert "滞后" in body and "完成" in body


def test_plan_prints_to_pdf(login):
    year = timezone.localdate().year
    response = login("member1").get(f"/consultations/plan/{year}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    fonts = set()
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", response.content, re.S):
        try:
            fonts |= set(re.findall(rb"/FontName\s*/[A-Z]+\+([\w-]+)", zlib.decompress(stream.group(1))))
        except zlib.error:
            continue
    assert fonts and all(font.startswith(b"Noto-Sans-CJK-SC") for font in fonts), fonts  # never Japanese glyphs
