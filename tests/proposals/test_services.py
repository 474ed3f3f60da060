"""The workflow through its services: history, notices, ledger, deadlines and the rules of each step."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cppcc_portal.deadlines import due_date
from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.models import Notification
from cppcc_portal.roles import system_actor
from members.enums import PerformanceAct
from members.models import Organization
from members.performance.models import PerformanceRecord
from proposals import services
from proposals.enums import AssignmentState, ProposalState
from proposals.models import Assignment, NonRegistrationReason, Proposal, ProposalEvent
from proposals.services.evaluation import _close
from tests.proposals.builders import assignment_of, contact, make_key

pytestmark = pytest.mark.django_db

RATED = {"attitude": "satisfied", "met_in_person": True}  # the other two answers of the 征询意见表


def acts(proposal, act):
    return set(
        PerformanceRecord.objects.filter(source_id=proposal.pk, act=act, source_type__model="proposal").values_list(
            "member__user__username", flat=True
        )
    )


def test_full_story_is_on_the_timeline_with_ledger_and_notices(make_proposal, demo):
    p = make_proposal("member1", co=["member2"], upto="replied")
    services.proposal_evaluate(
        proposal=p, actor=demo["member1"], version=None, assignment=assignment_of(p), satisfaction="satisfied", **RATED
    )
    p.refresh_from_db()
    assert p.state == ProposalState.CLOSED and p.closed_at
    assert assignment_of(p).state == AssignmentState.DONE
    actions = list(ProposalEvent.objects.filter(proposal=p).values_list("action", flat=True))
    assert actions == [
        "create",
        "cosign",
        "submit",
        "register",
        "assign",
        "accept",
        "contact",
        "reply",
        "reply:proposal",
        "evaluate",
        "evaluate:proposal",
    ]
    assert all(e.actor_id for e in ProposalEvent.objects.filter(proposal=p))
    assert acts(p, PerformanceAct.PROPOSAL_FILED) == {"member1"}
    assert acts(p, PerformanceAct.PROPOSAL_COSIGNED) == {"member2"}
    assert acts(p, PerformanceAct.PROPOSAL_REGISTERED) == {"member1"}
    assert acts(p, PerformanceAct.PROPOSAL_REGISTERED_COSIGNER) == {"member2"}
    assert Notification.objects.filter(recipient=demo["unit_edu"], kind="proposal.assigned").exists()
    assert Notification.objects.filter(recipient=demo["member2"], kind="proposal.closed").exists()


def test_submit_waits_for_every_co_signer(make_proposal, demo):
    p = make_proposal("member1", co=["member2"])
    with pytest.raises(TransitionNotAllowed, match="附议人"):
        services.proposal_submit(proposal=p, actor=demo["member1"], version=None)
    services.proposal_cosign(proposal=p, actor=demo["member2"], version=None, decision="decline")
    p = services.proposal_submit(proposal=p, actor=demo["member1"], version=None)
    assert p.state == ProposalState.SUBMITTED
    assert p.review_due == due_date("proposal.review", timezone.localdate())
    assert acts(p, PerformanceAct.PROPOSAL_COSIGNED) == set()


def test_only_the_author_may_submit_or_withdraw(make_proposal, demo):
    p = make_proposal("member1")
    for username in ("member2", "unit_edu", "leader"):
        with pytest.raises(PermissionDeniedError):
            services.proposal_submit(proposal=p, actor=demo[username], version=None)


def test_withdraw_takes_back_filing_credit(make_proposal, demo):
    p = make_proposal("member1", upto="submitted")
    assert acts(p, PerformanceAct.PROPOSAL_FILED) == {"member1"}
    services.proposal_withdraw(proposal=p, actor=demo["member1"], version=None)
    assert acts(p, PerformanceAct.PROPOSAL_FILED) == set()
    with pytest.raises(TransitionNotAllowed):
        services.proposal_withdraw(
            proposal=make_proposal("member1", upto="registered"), actor=demo["member1"], version=None
        )


def test_return_then_resubmit(make_proposal, demo):
    p = make_proposal("member1", upto="submitted")
    services.proposal_return(proposal=p, actor=demo["staff"], version=None, reason="请补充具体措施。")
    p.refresh_from_db()
    assert p.state == ProposalState.RETURNED and p.return_reason
    p = services.proposal_submit(proposal=p, actor=demo["member1"], version=None)
    assert p.state == ProposalState.SUBMITTED and not p.return_reason


def test_reject_keeps_content_and_consent_for_conversion(make_proposal, demo):
    p = make_proposal("member2", upto="submitted")
    reason = NonRegistrationReason.objects.get(text__startswith="内容空泛")
    with pytest.raises(ValidationFailed):
        services.proposal_reject(
            proposal=p, actor=demo["staff"], version=None, reason=reason, conversion_kind="public_opinion"
        )
    services.proposal_reject(
        proposal=p, actor=demo["staff"], version=None, reason=reason, consent=True, conversion_kind="member_letter"
    )
    p.refresh_from_db()
    assert p.state == ProposalState.NOT_REGISTERED and p.conversion_kind == "member_letter" and p.conversion_consent
    assert p.suggestions
    assert Notification.objects.filter(recipient=demo["member2"], kind="proposal.not_registered").exists()


def test_national_list_of_ten_reasons_is_seeded():
    assert NonRegistrationReason.objects.count() >= 10


def test_merged_proposal_follows_its_target_and_its_proposer_gets_the_reply(make_proposal, demo):
    target = make_proposal("member1", upto="handling")
    other = make_proposal("member2", upto="submitted", title="关于社区图书室延时开放的建议")
    services.proposal_merge(proposal=other, actor=demo["staff"], version=None, target=target)
    other.refresh_from_db()
    assert other.state == ProposalState.MERGED and other.merged_into_id == target.pk
    assert demo["member2"].has_perm("proposals.see_proposal", Proposal.objects.get(pk=target.pk))
    services.assignment_accept(proposal=target, actor=demo["unit_edu"], version=None)
    contact(target, demo["unit_edu"])
    services.assignment_reply(
        proposal=target,
        actor=demo["unit_edu_head"],
        version=None,
        reply_class="A",
        reply_text="已落实。",
        publishable=True,
    )
    assert Notification.objects.filter(recipient=demo["member2"], kind="proposal.replied").exists()


def test_merge_needs_a_registered_target(make_proposal, demo):
    a = make_proposal("member1", upto="submitted")
    b = make_proposal("member2", upto="submitted", title="关于另一件事的建议")
    with pytest.raises(ValidationFailed):
        services.proposal_merge(proposal=a, actor=demo["staff"], version=None, target=b)


def test_unit_cannot_reply_before_accepting(make_proposal, demo):
    p = make_proposal("member1", upto="handling")
    with pytest.raises(TransitionNotAllowed):
        services.assignment_reply(
            proposal=p, actor=demo["unit_edu_head"], version=None, reply_class="A", reply_text="x", publishable=True
        )


def test_other_unit_cannot_touch_the_assignment(make_proposal, demo):
    p = make_proposal("member1", upto="handling")
    with pytest.raises(PermissionDeniedError):
        services.assignment_accept(proposal=p, actor=demo["unit_health"], version=None)


def test_assignment_due_dates_use_the_declared_clocks(make_proposal):
    p = make_proposal("member1", upto="handling")
    a = assignment_of(p)
    today = timezone.localdate()
    assert a.accept_due == due_date("proposal.accept", today)
    assert a.handling_due == due_date("proposal.handling", today)


def test_overdue_acceptance_by_the_system_is_logged(make_proposal):
    p = make_proposal("member1", upto="handling")
    services.assignment_accept(proposal=p, actor=system_actor(), version=None)
    a = assignment_of(p)
    assert a.state == AssignmentState.ACCEPTED and a.accepted_automatically
    event = ProposalEvent.objects.filter(proposal=p).last()
    assert event.actor is None and event.actor_label == "系统" and "视为签收" in event.note


def test_split_units_each_reply_before_the_proposal_is_replied(make_proposal, demo):
    p = make_proposal("member1", upto="registered")
    services.proposal_assign(
        proposal=p,
        actor=demo["staff"],
        version=None,
        split_units=[Organization.objects.get(name="区教育局"), Organization.objects.get(name="区卫生健康委员会")],
    )
    for username in ("unit_edu", "unit_health"):
        services.assignment_accept(proposal=p, actor=demo[username], version=None)
        contact(p, demo[username])
    services.assignment_reply(
        proposal=p, actor=demo["unit_edu_head"], version=None, reply_class="A", reply_text="a", publishable=True
    )
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.HANDLING
    services.assignment_reply(
        proposal=p, actor=demo["unit_health"], version=None, reply_class="B", reply_text="b", publishable=True
    )
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.REPLIED


def test_lead_and_split_cannot_be_mixed(make_proposal, demo):
    p = make_proposal("member1", upto="registered")
    edu = Organization.objects.get(name="区教育局")
    health = Organization.objects.get(name="区卫生健康委员会")
    with pytest.raises(ValidationFailed):
        services.proposal_assign(proposal=p, actor=demo["staff"], version=None, lead_unit=edu, split_units=[health])
    with pytest.raises(ValidationFailed):
        services.proposal_assign(proposal=p, actor=demo["staff"], version=None, co_units=[health])


def test_co_unit_sends_views_to_the_lead_unit(make_proposal, demo):
    p = make_proposal("member1", upto="registered")
    services.proposal_assign(
        proposal=p,
        actor=demo["staff"],
        version=None,
        lead_unit=Organization.objects.get(name="区卫生健康委员会"),
        co_units=[Organization.objects.get(name="区教育局")],
    )
    co = Assignment.objects.get(proposal=p, kind="co")
    assert co.views_due == due_date("proposal.co_views", timezone.localdate()) and co.handling_due is None
    services.assignment_accept(proposal=p, actor=demo["unit_edu"], version=None)
    services.assignment_send_views(proposal=p, actor=demo["unit_edu"], version=None, views="建议结合校医配备统筹。")
    co.refresh_from_db()
    assert co.state == AssignmentState.VIEWS_SENT
    assert Notification.objects.filter(recipient=demo["unit_health"], kind="proposal.views").exists()


def test_reassignment_request_approved_then_new_unit_assigned(make_proposal, demo):
    p = make_proposal("member1", upto="handling")
    services.assignment_request_reassign(proposal=p, actor=demo["unit_edu"], version=None, reason="不属于本单位职责。")
    a = assignment_of(p)
    services.assignment_decide_reassign(proposal=p, actor=demo["staff"], version=None, assignment=a.pk, approve=True)
    assert Assignment.objects.get(pk=a.pk).state == AssignmentState.REASSIGNED
    assert not demo["unit_edu"].has_perm("proposals.see_proposal", Proposal.objects.get(pk=p.pk))
    services.proposal_assign(
        proposal=p, actor=demo["staff"], version=None, lead_unit=Organization.objects.get(name="区卫生健康委员会")
    )
    assert Assignment.objects.filter(proposal=p, state=AssignmentState.PENDING_ACCEPT).count() == 1


def test_extension_is_capped_at_six_months_in_all(make_proposal, demo):
    p = make_proposal("member1", upto="accepted")
    with pytest.raises(ValidationFailed, match="6个月"):
        services.assignment_request_extension(proposal=p, actor=demo["unit_edu"], version=None, months=4, reason="x")
    services.assignment_request_extension(proposal=p, actor=demo["unit_edu"], version=None, months=3, reason="需调研")
    a = assignment_of(p)
    services.assignment_decide_extension(proposal=p, actor=demo["staff"], version=None, assignment=a.pk, approve=True)
    a.refresh_from_db()
    assert a.extended_months == 3
    assert a.handling_due == due_date("proposal.handling", a.assigned_on, length=6)
    with pytest.raises(ValidationFailed):
        services.assignment_request_extension(proposal=p, actor=demo["unit_edu"], version=None, months=1, reason="再延")


def test_dissatisfied_goes_to_staff_then_rehandling_cycle(make_proposal, demo):
    p = make_proposal("member1", upto="replied")
    a = assignment_of(p)
    services.proposal_evaluate(
        proposal=p, actor=demo["member1"], version=None, assignment=a.pk, satisfaction="dissatisfied", **RATED
    )
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.REPLIED
    assert Notification.objects.filter(recipient=demo["staff"], kind="proposal.dissatisfied").exists()
    services.proposal_rehandle(proposal=p, actor=demo["staff"], version=None, assignment=a.pk)
    a.refresh_from_db()
    assert a.state == AssignmentState.RE_HANDLING and a.round == 2 and a.rehandling_due
    services.assignment_reply(
        proposal=p,
        actor=demo["unit_edu_head"],
        version=None,
        reply_class="B",
        reply_text="第二次答复",
        publishable=True,
    )
    services.proposal_evaluate(
        proposal=p, actor=demo["member1"], version=None, assignment=a.pk, satisfaction="basically_satisfied", **RATED
    )
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.CLOSED


def test_co_signer_cannot_rate_but_may_comment_and_the_first_proposer_decides_closure(make_proposal, demo):
    p = make_proposal("member1", co=["member2"], upto="replied")
    a = assignment_of(p)
    with pytest.raises(PermissionDeniedError, match="只有第一提案人"):
        services.proposal_evaluate(
            proposal=p, actor=demo["member2"], version=None, assignment=a.pk, satisfaction="satisfied", **RATED
        )
    services.proposal_comment_reply(proposal=p, actor=demo["member2"], version=None, assignment=a.pk, comment="同意")
    comment = a.evaluations.get(member=demo["member2"].member)
    assert (comment.role, comment.attitude, comment.satisfaction, comment.met_in_person) == ("co_signer", "", "", None)
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.REPLIED
    with pytest.raises(TransitionNotAllowed):  # one comment per co-signer and round
        services.proposal_comment_reply(
            proposal=p, actor=demo["member2"], version=None, assignment=a.pk, comment="再议"
        )
    with pytest.raises(PermissionDeniedError):  # the first proposer rates, not comments
        services.proposal_comment_reply(proposal=p, actor=demo["member1"], version=None, assignment=a.pk, comment="x")
    services.proposal_evaluate(
        proposal=p,
        actor=demo["member1"],
        version=None,
        assignment=a.pk,
        attitude="basically_satisfied",
        satisfaction="satisfied",
        met_in_person=False,
    )
    rating = a.evaluations.get(member=demo["member1"].member)
    assert (rating.role, rating.attitude, rating.satisfaction, rating.met_in_person) == (
        "first",
        "basically_satisfied",
        "satisfied",
        False,
    )
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.CLOSED


def test_one_rating_per_first_proposer_and_round(make_proposal, demo):
    p = make_proposal("member1", co=["member2"], upto="replied")
    a = assignment_of(p)
    services.proposal_evaluate(
        proposal=p, actor=demo["member1"], version=None, assignment=a.pk, satisfaction="dissatisfied", **RATED
    )
    with pytest.raises((PermissionDeniedError, TransitionNotAllowed)):
        services.proposal_evaluate(
            proposal=p, actor=demo["member1"], version=None, assignment=a.pk, satisfaction="satisfied", **RATED
        )
    assert a.evaluations.count() == 1


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"attitude": "", "satisfaction": "satisfied", "met_in_person": True}, "办理态度"),
        ({"attitude": "satisfied", "satisfaction": "好", "met_in_person": True}, "办理结果"),
        ({"attitude": "satisfied", "satisfaction": "satisfied", "met_in_person": None}, "是否与您见面"),
    ],
)
def test_the_form_needs_all_three_answers(make_proposal, demo, answers, message):
    p = make_proposal("member1", upto="replied")
    with pytest.raises(ValidationFailed, match=message):
        services.proposal_evaluate(
            proposal=p, actor=demo["member1"], version=None, assignment=assignment_of(p), **answers
        )
    assert not assignment_of(p).evaluations.exists()


def test_staff_and_units_cannot_rate(make_proposal, demo):
    p = make_proposal("member1", upto="replied")
    for user in ("staff", "unit_edu"):
        with pytest.raises(PermissionDeniedError):
            services.proposal_evaluate(
                proposal=p,
                actor=demo[user],
                version=None,
                assignment=assignment_of(p),
                satisfaction="satisfied",
                **RATED,
            )


def test_system_closes_unevaluated_never_as_satisfied(make_proposal):
    p = make_proposal("member1", upto="replied")
    services.proposal_close(proposal=p, actor=system_actor(), version=None, note="逾期未评价", unevaluated=True)
    a = assignment_of(p)
    assert a.unevaluated and not a.evaluations.exists()
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.CLOSED


def test_key_proposal_credit_and_supervision(make_proposal, demo):
    p = make_proposal("member1", co=["member2"], upto="handling")
    (p,) = make_key([p], staff=demo["staff"], leader=demo["leader"])
    assert acts(p, PerformanceAct.PROPOSAL_KEY) == {"member1", "member2"}
    with pytest.raises(ValidationFailed):
        services.proposal_set_key_leaders(proposal=p, actor=demo["staff"], version=None, leader=demo["member2"])
    services.proposal_set_key_leaders(proposal=p, actor=demo["staff"], version=None, leader=demo["leader"])
    services.proposal_record_supervision(
        proposal=p, actor=demo["leader"], version=None, kind="meeting", on=timezone.localdate(), notes="督办会"
    )
    with pytest.raises(PermissionDeniedError):
        services.proposal_record_supervision(
            proposal=p, actor=demo["member1"], version=None, kind="meeting", on=timezone.localdate(), notes="x"
        )


def test_b_class_stays_on_followup_until_implemented(make_proposal, demo):
    from proposals.selectors import followup_assignments

    p = make_proposal("member1", upto="accepted")
    contact(p, demo["unit_edu"])
    services.assignment_reply(
        proposal=p, actor=demo["unit_edu_head"], version=None, reply_class="B", reply_text="列入计划", publishable=True
    )
    a = assignment_of(p)
    assert a.followup_due == due_date("proposal.followup", timezone.localdate())
    assert followup_assignments(demo["staff"]).filter(pk=a.pk).exists()
    services.assignment_record_implemented(
        proposal=p, actor=demo["staff"], version=None, assignment=a.pk, note="已建成"
    )
    assert not followup_assignments(demo["staff"]).filter(pk=a.pk).exists()


def test_withheld_reply_needs_a_reason(make_proposal, demo):
    p = make_proposal("member1", upto="accepted")
    contact(p, demo["unit_edu"])
    with pytest.raises(ValidationFailed):
        services.assignment_reply(
            proposal=p, actor=demo["unit_edu_head"], version=None, reply_class="A", reply_text="x", publishable=False
        )


def test_collective_proposal_filed_by_staff_with_contacts(demo):
    from members.models import Member
    from proposals.models import ProposalCategory

    p = services.proposal_create(
        actor=demo["staff"],
        title="关于加强民营企业人才引进的建议",
        category=ProposalCategory.objects.first(),
        background="b",
        suggestions="s",
        period="interim",
        proposer_org=Organization.objects.get(name="区工商联"),
        author=Member.objects.get(user__username="member2"),
        co_signers=[Member.objects.get(user__username="member3")],
    )
    assert p.signers.get().status == "confirmed"
    assert (p.kind, p.collective_name) == ("organization", "区工商联")
    services.proposal_confirm_collective(proposal=p, actor=demo["staff"], version=None)  # the paper signature
    services.proposal_submit(proposal=p, actor=demo["staff"], version=None)
    with pytest.raises(PermissionDeniedError):
        services.proposal_create(
            actor=demo["member1"],
            title="t",
            category=ProposalCategory.objects.first(),
            background="b",
            suggestions="s",
            period="plenary",
            proposer_org=Organization.objects.get(name="区妇联"),
            author=Member.objects.get(user__username="member2"),
        )


def test_the_door_refuses_an_actor_left_out(make_proposal):
    p = make_proposal("member1", upto="handling")
    with pytest.raises(TypeError, match="system_actor"):
        services.assignment_accept(proposal=p, actor=None, version=None)
    assert assignment_of(p).state == AssignmentState.PENDING_ACCEPT


def test_closing_follows_the_tables_close_transition(make_proposal):
    p = make_proposal("member1", upto="handling")
    with pytest.raises(TransitionNotAllowed):
        _close(Proposal.objects.get(pk=p.pk), note="不在答复状态")
    replied = make_proposal("member1", upto="replied", title="关于完善社区养老服务的建议")
    proposal = Proposal.objects.get(pk=replied.pk)
    _close(proposal, note="办结")
    assert proposal.state == ProposalState.CLOSED
    assert {a.state for a in proposal.assignments.all()} <= {AssignmentState.DONE}
