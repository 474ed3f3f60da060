"""先沟通后答复: a reply needs a recorded contact with the first proposer (or their waiver);
the lead unit waits for every co-unit's views (or a staff override with a note)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from members.models import Organization
from proposals import services
from proposals.enums import AssignmentState, ContactMethod
from proposals.models import Assignment, ContactRecord, ProposalEvent
from tests.proposals.builders import assignment_of, contact

pytestmark = pytest.mark.django_db


def reply(p, user, assignment=None):
    return services.assignment_reply(
        proposal=p,
        actor=user,
        version=None,
        reply_class="A",
        reply_text="已采纳。",
        publishable=True,
        assignment=assignment,
    )


def test_unit_cannot_reply_before_contacting_the_first_proposer(make_proposal, demo):
    p = make_proposal("member1", co=["member2"], upto="accepted")
    with pytest.raises(TransitionNotAllowed, match="先沟通后答复"):
        reply(p, demo["unit_edu_head"])
    # A contact with somebody else (a co-signer) does not count.
    services.assignment_record_contact(
        proposal=p,
        actor=demo["unit_edu"],
        version=None,
        on=timezone.localdate(),
        method=ContactMethod.PHONE,
        summary="与附议人电话沟通。",
        with_author=False,
    )
    with pytest.raises(TransitionNotAllowed, match="先沟通后答复"):
        reply(p, demo["unit_edu_head"])
    assert assignment_of(p).state == AssignmentState.ACCEPTED
    contact(p, demo["unit_edu"], method=ContactMethod.PHONE)
    assert reply(p, demo["unit_edu_head"]).state == "replied"


def test_the_first_proposers_recorded_waiver_lets_the_unit_reply(make_proposal, demo):
    p = make_proposal("member1", co=["member2"], upto="accepted")
    with pytest.raises(PermissionDeniedError):  # only the first proposer may waive
        services.assignment_waive_contact(proposal=p, actor=demo["member2"], version=None)
    with pytest.raises(PermissionDeniedError):
        services.assignment_waive_contact(proposal=p, actor=demo["unit_edu"], version=None)
    services.assignment_waive_contact(proposal=p, actor=demo["member1"], version=None, note="情况已清楚。")
    a = assignment_of(p)
    assert a.contact_waived_at and a.contact_waiver_note == "情况已清楚。"
    with pytest.raises(TransitionNotAllowed):  # waived once
        services.assignment_waive_contact(proposal=p, actor=demo["member1"], version=None)
    assert reply(p, demo["unit_edu_head"]).state == "replied"


@pytest.mark.parametrize(
    ("method", "summary", "on_offset", "message"),
    [
        ("走访", "x", 0, "见面、电话、座谈或书面"),
        ("meet", "  ", 0, "请填写沟通情况"),
        ("meet", "x", 1, "不能晚于今天"),
    ],
)
def test_contact_records_refuse_bad_input(make_proposal, demo, method, summary, on_offset, message):
    p = make_proposal("member1", upto="accepted")
    with pytest.raises(ValidationFailed, match=message):
        services.assignment_record_contact(
            proposal=p,
            actor=demo["unit_edu"],
            version=None,
            on=timezone.localdate() + timedelta(days=on_offset),
            method=method,
            summary=summary,
        )
    assert not ContactRecord.objects.filter(assignment__proposal=p).exists()


def lead_with_co(make_proposal, demo):
    p = make_proposal("member1", upto="registered")
    services.proposal_assign(
        proposal=p,
        actor=demo["staff"],
        version=None,
        lead_unit=Organization.objects.get(name="区教育局"),
        co_units=[Organization.objects.get(name="区卫生健康委员会")],
    )
    for username in ("unit_edu", "unit_health"):
        services.assignment_accept(proposal=p, actor=demo[username], version=None)
    contact(p, demo["unit_edu"])
    return p, Assignment.objects.get(proposal=p, kind="lead")


def test_lead_unit_waits_for_the_co_units_views(make_proposal, demo):
    p, _lead = lead_with_co(make_proposal, demo)
    with pytest.raises(TransitionNotAllowed, match="会办单位区卫生健康委员会尚未提交会办意见"):
        reply(p, demo["unit_edu_head"])
    services.assignment_send_views(proposal=p, actor=demo["unit_health"], version=None, views="建议配备校医。")
    assert reply(p, demo["unit_edu_head"]).state == "replied"


def test_staff_may_let_the_lead_unit_reply_without_waiting_with_a_note(make_proposal, demo):
    p, lead = lead_with_co(make_proposal, demo)
    with pytest.raises(ValidationFailed, match="请说明"):
        services.assignment_override_views(proposal=p, actor=demo["staff"], version=None, note=" ", assignment=lead)
    with pytest.raises(PermissionDeniedError):
        services.assignment_override_views(proposal=p, actor=demo["unit_edu"], version=None, note="急", assignment=lead)
    services.assignment_override_views(
        proposal=p, actor=demo["staff"], version=None, note="会办单位逾期未送意见。", assignment=lead
    )
    lead.refresh_from_db()
    assert lead.views_override_by == demo["staff"] and lead.views_override_note == "会办单位逾期未送意见。"
    event = ProposalEvent.objects.filter(proposal=p, action="override-views").get()
    assert "不待区卫生健康委员会的会办意见" in event.note
    assert reply(p, demo["unit_edu_head"]).state == "replied"


def test_override_is_offered_only_while_views_are_outstanding(make_proposal, demo):
    p = make_proposal("member1", upto="accepted")  # lead without co-units
    with pytest.raises(TransitionNotAllowed):
        services.assignment_override_views(proposal=p, actor=demo["staff"], version=None, note="x")


def test_contact_page_offers_the_four_methods_and_reply_page_says_why_not(make_proposal, login):
    p = make_proposal("member1", upto="accepted")
    client = login("unit_edu")
    html = client.get(f"/proposals/{p.pk}/contact/").content.decode()
    for label in ("见面", "电话", "座谈", "书面"):
        assert label in html
    response = login("unit_edu_head").post(
        f"/proposals/{p.pk}/reply/",
        {"version": p.version, "reply_class": "A", "reply_text": "已采纳。", "publishable": "on"},
        follow=True,
    )
    assert "先沟通后答复" in response.content.decode()
    assert assignment_of(p).state == AssignmentState.ACCEPTED


def test_migration_reads_free_text_methods_sensibly():
    import importlib

    migration = importlib.import_module("proposals.migrations.0008_contact_first")
    assert [
        migration.method_for(t) for t in ("座谈", "电话", "走访", "现场调研", "发函", "座谈会", "微信", "见面", "")
    ] == [
        "forum",
        "phone",
        "meet",
        "meet",
        "written",
        "forum",
        "phone",
        "meet",
        "meet",
    ]
