"""A supervision item moves 知情 → 沟通 → 反馈 → 跟踪 → 完成 through one door; each stage has its clock."""

from datetime import date

import pytest
import time_machine

from consultations.supervision import clocks, services
from consultations.supervision.enums import RecordKind, Stage
from consultations.supervision.models import SupervisionItem, SupervisionItemEvent
from consultations.supervision.workflow import STAGE_TRANSITIONS
from cppcc_portal.deadlines import get_source
from cppcc_portal.deadlines.sweep import run_sweep
from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.models import Notification

from .builders import aware, make_item, org, user

pytestmark = pytest.mark.django_db

# Monday 12 October 2026, after the National Day holiday (the make-up Saturday was the 10th).
START = aware(2026, 10, 12, 9, 0)


def record(item, kind, actor="staff", **extra):
    return services.record_add(
        actor=user(actor),
        item=item,
        kind=kind,
        title=f"{RecordKind(kind).label}记录",
        happened_on=date.today(),
        **extra,
    )


@pytest.fixture
def item(demo):
    with time_machine.travel(START, tick=False):
        return make_item()


def test_a_new_item_starts_in_informing_with_its_clock_in_working_days(item):
    assert item.stage == Stage.INFORMING
    assert item.stage_started_on == date(2026, 10, 12)
    assert item.stage_due == date(2026, 11, 2)  # 15 working days
    assert SupervisionItemEvent.objects.get(item=item).to_stage == Stage.INFORMING


def test_leaving_informing_without_a_briefing_is_refused_and_changes_nothing(item):
    with pytest.raises(TransitionNotAllowed, match="情况通报"):
        services.item_move(actor=user("staff"), item=item, to=Stage.COMMUNICATING)
    item.refresh_from_db()
    assert item.stage == Stage.INFORMING
    assert item.events.count() == 1


def test_a_stage_cannot_be_skipped(item):
    record(item, RecordKind.BRIEFING)
    with pytest.raises(TransitionNotAllowed, match="不能转入“反馈”"):
        services.item_move(actor=user("staff"), item=item, to=Stage.FEEDBACK)


def test_only_the_office_moves_an_item(item):
    record(item, RecordKind.BRIEFING)
    for name in ("member1", "leader", "unit_edu"):
        with pytest.raises(PermissionDeniedError):
            services.item_move(actor=user(name), item=item, to=Stage.COMMUNICATING)
    item.refresh_from_db()
    assert item.stage == Stage.INFORMING


def test_the_whole_chain_with_history_and_a_clock_per_stage(item):
    staff = user("staff")
    walk = [
        (RecordKind.BRIEFING, Stage.COMMUNICATING, aware(2026, 10, 20, 9, 0), date(2026, 11, 17)),  # 20 wd
        (RecordKind.MEETING, Stage.FEEDBACK, aware(2026, 11, 2, 9, 0), date(2026, 12, 14)),  # 30 wd
        (RecordKind.FEEDBACK, Stage.TRACKING, aware(2026, 12, 1, 9, 0), None),
        (RecordKind.FOLLOWUP, Stage.DONE, aware(2026, 12, 20, 9, 0), None),
    ]
    for kind, to, when, due in walk:
        with time_machine.travel(when, tick=False):
            record(item, kind)
            item = services.item_move(actor=staff, item=item, to=to)
        assert item.stage == to
        assert item.stage_started_on == when.date()
        if due:
            assert item.stage_due == due
    assert item.stage_due is None
    moves = list(item.events.values_list("from_stage", "to_stage"))
    assert moves == [
        ("", Stage.INFORMING),
        (Stage.INFORMING, Stage.COMMUNICATING),
        (Stage.COMMUNICATING, Stage.FEEDBACK),
        (Stage.FEEDBACK, Stage.TRACKING),
        (Stage.TRACKING, Stage.DONE),
    ]
    with pytest.raises(TransitionNotAllowed):
        record(item, RecordKind.FOLLOWUP)


def test_the_transition_table_ends_in_done_and_done_is_final():
    assert STAGE_TRANSITIONS[Stage.DONE] == frozenset()
    reachable, frontier = {Stage.INFORMING}, [Stage.INFORMING]
    while frontier:
        for nxt in STAGE_TRANSITIONS[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(Stage)


def test_going_back_needs_a_reason(item):
    record(item, RecordKind.BRIEFING)
    services.item_move(actor=user("staff"), item=item, to=Stage.COMMUNICATING)
    with pytest.raises(ValidationFailed, match="理由"):
        services.item_move(actor=user("staff"), item=item, to=Stage.INFORMING)
    item = services.item_move(actor=user("staff"), item=item, to=Stage.INFORMING, note="部门材料不全，请补充")
    assert item.stage == Stage.INFORMING


def test_records_belong_to_the_current_stage(item):
    with pytest.raises(TransitionNotAllowed, match="沟通环节"):
        record(item, RecordKind.MEETING)
    assert not item.records.exists()


def test_the_department_briefs_and_answers_in_its_own_name_only(item):
    briefing = record(item, RecordKind.BRIEFING, actor="unit_edu", organization=org("区卫生健康委员会"))
    assert briefing.organization == org("区教育局")
    services.item_move(actor=user("staff"), item=item, to=Stage.COMMUNICATING)
    with pytest.raises(PermissionDeniedError):
        record(item, RecordKind.MEETING, actor="unit_edu")
    with pytest.raises(PermissionDeniedError):
        record(item, RecordKind.BRIEFING, actor="unit_health")  # not a department of this item


def test_a_future_date_is_refused(item):
    with pytest.raises(ValidationFailed, match="晚于今天"):
        services.record_add(
            actor=user("staff"), item=item, kind=RecordKind.BRIEFING, title="通报", happened_on=date(2099, 1, 1)
        )


def stage_notices(item, kind):
    return Notification.objects.filter(kind=kind, link=item.get_absolute_url())


def test_the_informing_clock_reminds_the_department_then_escalates_once_and_stops_when_moved(item):
    key = clocks.STAGE_CLOCKS[Stage.INFORMING]
    with time_machine.travel(aware(2026, 10, 26, 9, 0), tick=False):  # 5 working days before 2 November
        run_sweep(keys=[key], deliver=False)
    assert stage_notices(item, "deadline.remind").filter(recipient=user("unit_edu")).count() == 1
    with time_machine.travel(aware(2026, 11, 3, 9, 0), tick=False):  # a working day overdue
        run_sweep(keys=[key], deliver=False)
        run_sweep(keys=[key], deliver=False)
    assert stage_notices(item, "deadline.escalate").filter(recipient=user("staff")).count() == 1
    assert item.pk in set(get_source(key).queryset().values_list("pk", flat=True))
    with time_machine.travel(aware(2026, 11, 3, 10, 0), tick=False):
        record(item, RecordKind.BRIEFING)
        services.item_move(actor=user("staff"), item=item, to=Stage.COMMUNICATING)
    assert item.pk not in set(get_source(key).queryset().values_list("pk", flat=True))
    communicating = get_source(clocks.STAGE_CLOCKS[Stage.COMMUNICATING])
    assert item.pk in set(communicating.queryset().values_list("pk", flat=True))


def test_the_feedback_clock_escalates_to_staff_and_leaders(item):
    with time_machine.travel(START, tick=False):
        record(item, RecordKind.BRIEFING)
        services.item_move(actor=user("staff"), item=item, to=Stage.COMMUNICATING)
        record(item, RecordKind.MEETING)
        item = services.item_move(actor=user("staff"), item=item, to=Stage.FEEDBACK)
    assert item.stage_due == date(2026, 11, 23)  # 30 working days
    with time_machine.travel(aware(2026, 11, 24, 9, 0), tick=False):
        run_sweep(keys=[clocks.STAGE_CLOCKS[Stage.FEEDBACK]], deliver=False)
    escalated = stage_notices(item, "deadline.escalate")
    assert escalated.filter(recipient=user("leader")).exists()
    assert escalated.filter(recipient=user("staff")).exists()


def test_only_proposal_supervision_links_proposals(item):
    with pytest.raises(ValidationFailed, match="提案监督"):
        services.item_link_proposals(actor=user("staff"), item=item, proposal_ids=[])


def test_meeting_supervision_links_sessions(demo):
    from consultations.models import Session

    meeting = make_item(form="会议监督", title="会议监督测试")
    session = Session.objects.order_by("pk").first()
    services.item_link_sessions(actor=user("staff"), item=meeting, sessions=[session])
    assert list(SupervisionItem.objects.get(pk=meeting.pk).sessions.all()) == [session]
    other = make_item(form="专项监督", title="专项监督测试")
    with pytest.raises(ValidationFailed, match="会议监督"):
        services.item_link_sessions(actor=user("staff"), item=other, sessions=[session])
