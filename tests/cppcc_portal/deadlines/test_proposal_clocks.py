"""Time travel: one proposal through every proposal clock across the 2026 holidays.

Spring Festival 2026: Feb 15-23 off, Saturdays Feb 14 and Feb 28 are working days (调休).
Mid-autumn Sep 25-27 and National Day Oct 1-7 off (chinesecalendar), Sun Sep 20 and
Sat Oct 10 are working days. The sweep runs every morning at 09:00; people act at 10:00.
"""

from __future__ import annotations

from datetime import date

from cppcc_portal.deadlines.sweep import run_sweep
from cppcc_portal.models import NoticeLedger, Notification

from .builders import at, days, new_proposal, on

PROPOSAL_CLOCKS = [
    "proposal.review",
    "proposal.accept",
    "proposal.handling",
    "proposal.co_views",
    "proposal.evaluation",
    "proposal.rehandling",
    "proposal.followup",
]


def sweep_until(end: date, state: dict, log: list) -> None:
    """Run the 09:00 sweep on every day up to ``end``; on a day it sends something, run it
    again (nothing doubles). Log what this proposal's items were sent."""
    from proposals.models import Assignment, Proposal

    proposal = state["proposal"]
    for day in days(state["next"], end):
        if run_sweep(at(day), keys=PROPOSAL_CLOCKS).stages:
            assert run_sweep(at(day, 9, 15), keys=PROPOSAL_CLOCKS).stages == 0
        for marker in NoticeLedger.objects.markers().filter(pk__gt=state.get("last", 0)).order_by("pk"):
            state["last"] = marker.pk
            model = marker.content_type.model_class()
            item = model.objects.get(pk=marker.object_id)
            if (item.pk if model is Proposal else item.proposal_id) != proposal.pk:
                continue  # the demo district's own proposals
            unit = item.unit.name if model is Assignment else ""
            people = sorted(
                NoticeLedger.objects.filter(
                    content_type=marker.content_type,
                    object_id=marker.object_id,
                    clock=marker.clock,
                    stage=marker.stage,
                    due_on=marker.due_on,
                    recipient__isnull=False,
                ).values_list("recipient__username", flat=True)
            )
            log.append((day, marker.clock.removeprefix("proposal."), unit, marker.stage, marker.due_on, people))
    state["next"] = end + date.resolution


def test_one_proposal_through_every_clock_across_the_2026_holidays(demo):
    from members.models import Organization
    from proposals import services
    from proposals.enums import AssignmentState, ProposalState, ReplyClass, Satisfaction
    from proposals.models import Assignment
    from tests.proposals.builders import contact

    edu = Organization.objects.get(name="区教育局")
    health = Organization.objects.get(name="区卫生健康委员会")
    staff, author = demo["staff"], demo["member2"]
    log: list = []
    state = {"next": date(2026, 2, 5)}

    # 提: submitted on Thu Feb 5; staff review within 10 working days.
    with on(date(2026, 2, 5), 8):
        p = new_proposal(demo)
        p = services.proposal_submit(proposal=p, actor=author, version=None)
    state["proposal"] = p
    assert p.review_due == date(2026, 2, 26)
    sweep_until(date(2026, 2, 27), state, log)

    # 立 and 交办 on Fri Feb 27 (after the escalation at 09:00).
    with on(date(2026, 2, 27)):
        p = services.proposal_register(proposal=p, actor=staff, version=None)
        p = services.proposal_assign(proposal=p, actor=staff, version=None, lead_unit=edu, co_units=[health])
    lead = Assignment.objects.get(proposal=p, unit=edu)
    co = Assignment.objects.get(proposal=p, unit=health)
    assert (lead.accept_due, lead.handling_due, co.views_due) == (
        date(2026, 3, 5),
        date(2026, 5, 27),
        date(2026, 3, 27),
    )

    sweep_until(date(2026, 3, 3), state, log)
    with on(date(2026, 3, 3)):  # the lead unit accepts after its reminder; the co-unit does not
        services.assignment_accept(proposal=p, actor=demo["unit_edu"], version=None, assignment=lead)
    sweep_until(date(2026, 3, 30), state, log)
    co.refresh_from_db()
    assert co.state == AssignmentState.ACCEPTED and co.accepted_automatically
    with on(date(2026, 3, 31)):
        services.assignment_send_views(proposal=p, actor=demo["unit_health"], version=None, views="同意主办单位意见。")

    # 办: reminders 30 and 10 working days before May 27, then a 3-month extension.
    sweep_until(date(2026, 5, 14), state, log)
    with on(date(2026, 5, 14)):
        services.assignment_request_extension(
            proposal=p, actor=demo["unit_edu"], version=None, months=3, reason="需协调交警部门。"
        )
        p = services.assignment_decide_extension(proposal=p, actor=staff, version=None, assignment=lead, approve=True)
    lead.refresh_from_db()
    assert lead.handling_due == date(2026, 8, 27)
    sweep_until(date(2026, 9, 10), state, log)  # overdue: unit head and 提案委, then the supervising leader

    # 答复 (B) on Fri Sep 11; the evaluation period crosses Mid-autumn and National Day.
    with on(date(2026, 9, 11)):
        contact(p, demo["unit_edu"])
        p = services.assignment_reply(
            proposal=p,
            actor=demo["unit_edu_head"],
            version=None,
            reply_class=ReplyClass.B,
            reply_text="已列入计划。",
            publishable=True,
        )
    lead.refresh_from_db()
    assert (lead.evaluation_due, lead.followup_due) == (date(2026, 10, 9), date(2026, 12, 11))
    sweep_until(date(2026, 9, 25), state, log)
    with on(date(2026, 9, 25)):
        p = services.proposal_evaluate(
            proposal=p,
            actor=author,
            version=None,
            assignment=lead,
            attitude=Satisfaction.SATISFIED,
            satisfaction=Satisfaction.DISSATISFIED,
            met_in_person=True,
            comment="措施不具体。",
        )
    with on(date(2026, 9, 28)):
        p = services.proposal_rehandle(proposal=p, actor=staff, version=None, assignment=lead, note="请细化措施。")
    lead.refresh_from_db()
    assert lead.rehandling_due == date(2026, 10, 28)
    sweep_until(date(2026, 10, 29), state, log)
    with on(date(2026, 10, 30)):
        p = services.assignment_reply(
            proposal=p,
            actor=demo["unit_edu_head"],
            version=None,
            reply_class=ReplyClass.B,
            reply_text="已细化。",
            publishable=True,
        )
    lead.refresh_from_db()
    sweep_until(date(2026, 11, 24), state, log)  # nobody rates: closed as 未评价
    p.refresh_from_db()
    lead.refresh_from_db()
    assert p.state == ProposalState.CLOSED and lead.unevaluated
    sweep_until(date(2027, 2, 3), state, log)  # B-class follow-up, into a year the calendar does not know

    d = date
    EDU = ["unit_edu", "unit_edu_head"]  # 区教育局: its 经办人 and its 负责人
    assert log == [
        # day sent, clock, unit, stage, due date, recipients
        (d(2026, 2, 14), "review", "", "remind:3", d(2026, 2, 26), ["staff"]),  # 调休 Saturday
        (d(2026, 2, 27), "review", "", "escalate:1", d(2026, 2, 26), ["member3"]),  # 提案委 deputy director
        (d(2026, 3, 3), "accept", "区教育局", "remind:2", d(2026, 3, 5), EDU),
        (d(2026, 3, 3), "accept", "区卫生健康委员会", "remind:2", d(2026, 3, 5), ["unit_health"]),
        (d(2026, 3, 6), "accept", "区卫生健康委员会", "escalate:1", d(2026, 3, 5), ["staff", "unit_health"]),
        (d(2026, 3, 20), "co_views", "区卫生健康委员会", "remind:5", d(2026, 3, 27), ["unit_health"]),
        (d(2026, 3, 30), "co_views", "区卫生健康委员会", "escalate:1", d(2026, 3, 27), ["staff", *EDU]),
        (d(2026, 4, 13), "handling", "区教育局", "remind:30", d(2026, 5, 27), EDU),  # across May Day
        (d(2026, 5, 13), "handling", "区教育局", "remind:10", d(2026, 5, 27), EDU),
        # extended on May 14: a fresh ladder for the new due date
        (d(2026, 7, 16), "handling", "区教育局", "remind:30", d(2026, 8, 27), EDU),
        (d(2026, 8, 13), "handling", "区教育局", "remind:10", d(2026, 8, 27), EDU),
        (d(2026, 8, 24), "handling", "区教育局", "remind:3", d(2026, 8, 27), EDU),
        (
            d(2026, 8, 28),
            "handling",
            "区教育局",
            "escalate:1",
            d(2026, 8, 27),
            ["staff", "unit_edu_head"],
        ),  # the unit's 负责人
        (d(2026, 9, 10), "handling", "区教育局", "escalate:2", d(2026, 8, 27), ["leader", "staff"]),  # 督办
        # evaluation due Oct 9: Sun Sep 20 and Sat Oct 10 work, Sep 25-27 and Oct 1-7 do not
        (d(2026, 9, 24), "evaluation", "区教育局", "remind:5", d(2026, 10, 9), ["member2"]),
        (d(2026, 10, 21), "rehandling", "区教育局", "remind:5", d(2026, 10, 28), EDU),
        (d(2026, 10, 29), "rehandling", "区教育局", "escalate:1", d(2026, 10, 28), ["staff", "unit_edu_head"]),
        (d(2026, 11, 13), "evaluation", "区教育局", "remind:5", d(2026, 11, 20), ["member2"]),
        (d(2026, 11, 23), "evaluation", "区教育局", "escalate:1", d(2026, 11, 20), ["member2", "staff", *EDU]),
        # B-class follow-up: Jan 30, 2027 is a Saturday; 2027 is unknown, Monday-Friday fallback
        (d(2027, 2, 1), "followup", "区教育局", "remind:0", d(2027, 2, 1), ["staff", *EDU]),
        (d(2027, 2, 2), "followup", "区教育局", "escalate:1", d(2027, 2, 1), ["staff"]),
    ]
    lead.refresh_from_db()
    assert lead.followup_due == date(2027, 5, 3)  # the next 3-month cycle (May 2, 2027 is a Sunday)
    # The move went through the clock service: the assignment's history says who and why.
    moved = lead.history.filter(history_change_reason__contains="下一跟踪周期").first()
    assert moved is not None and moved.followup_due == date(2027, 5, 3)
    assert moved.history_user.username == "system-deadlines"
    # The side effects went through the proposals services, as the system, in the timeline.
    events = list(p.events.filter(actor__isnull=True).values_list("label", flat=True))
    assert any("签收" in label for label in events)
    assert any("办结" in label or "CLOSED" in label or "已办结" in label for label in events)
    # Every notice is in the inbox, urgent, once.
    notices = Notification.objects.filter(kind__startswith="deadline.", link=p.get_absolute_url())
    assert notices.count() == sum(len(row[5]) for row in log)
