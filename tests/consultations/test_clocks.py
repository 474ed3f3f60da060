"""Consultation clocks: due dates on the official calendar, and what the sources hand the sweep."""

from datetime import date

import pytest
import time_machine

from consultations import clocks, services
from consultations.models import Invitation, Outcome, Session
from cppcc_portal.deadlines import all_sources, policy_for
from members.models import Organization

from .factories import aware, make_session, member, staff

pytestmark = pytest.mark.django_db

# Monday 12 October 2026, just after the National Day holiday (1-7 October;
# Saturday 10 October is a make-up working day, 调休). Counting back also crosses
# Mid-Autumn (Friday 25 September off) and the make-up Sunday 20 September.
SESSION_START = aware(2026, 10, 12, 9, 0)


@pytest.fixture
def session(demo):
    with time_machine.travel(aware(2026, 9, 1, 9, 0), tick=False):
        return make_session(starts_at=SESSION_START, required=("member1", "member2", "member3"))


def test_session_due_dates_count_working_days_across_the_holiday(session):
    assert session.notice_due == date(2026, 9, 15)  # 15 working days before
    assert session.materials_due == date(2026, 9, 21)  # 10 working days before
    assert session.reminder_due == date(2026, 10, 10)  # the working day before: the 调休 Saturday
    assert session.minutes_due == date(2026, 10, 21)  # 7 working days after


def test_feedback_due_30_working_days_after_sending(demo):
    outcome = services.outcome_save(actor=staff(), data={"kind": "report", "title": "时限测试"})
    services.delivery_add(actor=staff(), outcome=outcome, body="区委", sent_on=date(2026, 9, 28))
    outcome.refresh_from_db()
    assert outcome.feedback_due == date(2026, 11, 13)


def test_staff_policy_change_applies_to_sessions_scheduled_afterwards(demo):
    policy = policy_for(clocks.NOTICE)
    policy.length = 20
    policy.save()
    with time_machine.travel(aware(2026, 9, 1, 9, 0), tick=False):
        later = make_session(starts_at=SESSION_START)
    assert later.notice_due == date(2026, 9, 8)


def test_every_clock_has_a_registered_source():
    keys = {source.key for source in all_sources()}
    assert {clocks.NOTICE, clocks.MATERIALS, clocks.REMINDER, clocks.MINUTES, clocks.FEEDBACK} <= keys
    for source in all_sources():
        if source.key.startswith("consultations."):
            field = source.queryset().model._meta.get_field(source.due_field)
            assert field.db_index, source.key


def source(key):
    return next(s for s in all_sources() if s.key == key)


def due_now(key, today):
    src = source(key)
    return set(src.queryset().filter(**{f"{src.due_field}__lte": today}).values_list("pk", flat=True))


def test_notice_clock_is_open_until_the_notice_goes_out(session):
    with time_machine.travel(aware(2026, 9, 16, 9, 0), tick=False):
        assert session.pk in due_now(clocks.NOTICE, date(2026, 9, 16))
        assert source(clocks.NOTICE).recipients(session, "organiser") == [staff()]
        services.session_send_notice(actor=staff(), session=session)
        assert session.pk not in due_now(clocks.NOTICE, date(2026, 9, 16))


def test_materials_clock_closes_when_materials_are_circulated(session):
    from django.core.files.base import ContentFile

    from consultations.models import SessionMaterial

    with time_machine.travel(aware(2026, 9, 23, 9, 0), tick=False):
        assert session.pk in due_now(clocks.MATERIALS, date(2026, 9, 23))
        material = SessionMaterial(session=session, title="材料")
        material.file.save("a.txt", ContentFile(b"hello"), save=True)
        services.session_circulate_materials(actor=staff(), session=session)
        assert session.pk not in due_now(clocks.MATERIALS, date(2026, 9, 23))


def test_day_before_reminder_goes_to_members_who_accepted(session, demo):
    with time_machine.travel(aware(2026, 9, 20, 9, 0), tick=False):
        services.invitation_answer(actor=demo["member1"], session=session, answer="attending")
        services.invitation_answer(actor=demo["member2"], session=session, answer="leave_requested", reason="出差")
    with time_machine.travel(aware(2026, 10, 9, 9, 0), tick=False):
        assert session.pk not in due_now(clocks.REMINDER, date(2026, 10, 9))
    with time_machine.travel(aware(2026, 10, 10, 9, 0), tick=False):
        assert session.pk in due_now(clocks.REMINDER, date(2026, 10, 10))
        assert source(clocks.REMINDER).recipients(session, "attendees") == [demo["member1"]]
    with time_machine.travel(aware(2026, 10, 12, 12, 0), tick=False):
        assert session.pk not in due_now(clocks.REMINDER, date(2026, 10, 12))  # the session has begun


def test_minutes_clock_opens_after_the_session_and_closes_with_the_minutes(session):
    with time_machine.travel(aware(2026, 10, 12, 10, 0), tick=False):
        assert session.pk not in due_now(clocks.MINUTES, date(2026, 10, 21))
    with time_machine.travel(aware(2026, 10, 22, 9, 0), tick=False):
        assert session.pk in due_now(clocks.MINUTES, date(2026, 10, 22))
        services.minutes_save(actor=staff(), session=session, text="纪要")
        assert session.pk not in due_now(clocks.MINUTES, date(2026, 10, 22))


def test_feedback_clock_finds_outcomes_and_the_departments_that_owe_an_answer(demo):
    edu, health = Organization.objects.get(name="区教育局"), Organization.objects.get(name="区卫生健康委员会")
    actor = staff()
    outcome = services.outcome_save(actor=actor, data={"kind": "report", "title": "反馈时限"})
    suggestion = services.suggestion_add(actor=actor, outcome=outcome, text="建议", departments=[edu, health])
    services.delivery_add(actor=actor, outcome=outcome, body="区政府", sent_on=date(2026, 9, 28))
    src = source(clocks.FEEDBACK)
    assert outcome.pk in due_now(clocks.FEEDBACK, date(2026, 11, 13))
    # Every active user of both departments: 区教育局 has its 经办人 and its 负责人.
    assert {u.username for u in src.recipients(outcome, "unit_users")} == {"unit_edu", "unit_edu_head", "unit_health"}
    services.adoption_record(
        actor=demo["unit_edu"],
        suggestion=suggestion,
        organization=edu,
        adoption="adopted",
        text="落实",
        replied_on=date(2026, 10, 9),
    )
    assert src.recipients(outcome, "unit_users") == [demo["unit_health"]]
    services.adoption_record(
        actor=demo["unit_health"],
        suggestion=suggestion,
        organization=health,
        adoption="adopted",
        text="落实",
        replied_on=date(2026, 10, 9),
    )
    assert outcome.pk not in due_now(clocks.FEEDBACK, date(2026, 11, 13))
    assert Outcome.objects.get(pk=outcome.pk).feedback_completed_on == date(2026, 10, 9)


def test_moving_a_session_moves_its_open_clocks(session):
    with time_machine.travel(aware(2026, 9, 1, 9, 0), tick=False):
        services.session_update(
            actor=staff(),
            session=session,
            data={"starts_at": aware(2026, 10, 19, 9, 0), "ends_at": aware(2026, 10, 19, 11, 0)},
        )
    session = Session.objects.get(pk=session.pk)
    assert session.minutes_due == date(2026, 10, 28)
    assert Invitation.objects.filter(session=session).count() == 3
    assert member("member1")


def deadline_notices(user, session):
    from cppcc_portal.models import Notification

    return Notification.objects.filter(recipient=user, kind__startswith="deadline.", link=session.get_absolute_url())


def test_the_sweep_reminds_accepted_members_the_day_before_exactly_once(session, demo):
    from cppcc_portal.deadlines.sweep import run_sweep

    with time_machine.travel(aware(2026, 9, 20, 9, 0), tick=False):
        services.session_send_notice(actor=staff(), session=session)
        services.invitation_answer(actor=demo["member1"], session=session, answer="attending")
    with time_machine.travel(aware(2026, 10, 10, 9, 0), tick=False):
        run_sweep(keys=[clocks.REMINDER], deliver=False)
        run_sweep(keys=[clocks.REMINDER], deliver=False)
    assert deadline_notices(demo["member1"], session).count() == 1
    assert not deadline_notices(demo["member2"], session).exists()  # has not accepted


def test_the_sweep_escalates_an_unsent_notice_to_the_organiser(session, demo):
    from cppcc_portal.deadlines.sweep import run_sweep

    with time_machine.travel(aware(2026, 9, 17, 9, 0), tick=False):
        run_sweep(keys=[clocks.NOTICE], deliver=False)
    assert deadline_notices(demo["staff"], session).filter(kind="deadline.escalate").exists()
