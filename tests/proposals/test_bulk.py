"""The 大会 week in bulk: each ticked proposal through the one door in its own transaction, each reported."""

from __future__ import annotations

import pytest

from cppcc_portal.errors import ValidationFailed
from members.models import Organization
from proposals import services
from proposals.enums import AssignmentKind, ProposalState
from proposals.models import Assignment, Proposal, ProposalEvent
from proposals.services import Pick

pytestmark = pytest.mark.django_db


def unit(name="区教育局"):
    return Organization.objects.get(name=name)


def test_bulk_register_applies_the_valid_ones_and_reports_the_others(make_proposal, demo):
    first = make_proposal("member1", upto="submitted", title="关于增设社区便民菜场的建议")
    second = make_proposal("member2", upto="submitted", title="关于规范电动自行车充电的建议")
    draft = make_proposal("member1", title="关于改造老旧管网的建议")
    stale = make_proposal("member2", upto="submitted", title="关于加强校园周边交通管理的建议")
    outcomes = services.proposals_register_bulk(
        picks=[
            Pick(first.pk, first.version),
            Pick(draft.pk, draft.version),
            Pick(stale.pk, stale.version - 1),
            Pick(second.pk, second.version),
            Pick(999999, 1),
        ],
        actor=demo["staff"],
    )
    by_pk = {o.pk: o for o in outcomes}
    assert [o.done for o in outcomes] == [True, False, False, True, False]
    assert "不能立案" in by_pk[draft.pk].message
    assert "页面已过期" in by_pk[stale.pk].message
    assert by_pk[999999].message == "提案不存在。"
    first.refresh_from_db(), second.refresh_from_db(), draft.refresh_from_db(), stale.refresh_from_db()
    assert first.state == second.state == ProposalState.REGISTERED
    assert second.sequence == first.sequence + 1  # numbered in the order ticked, no gap for the refused
    assert by_pk[first.pk].message == f"已立案，编号 {first.number}"
    assert draft.state == ProposalState.DRAFT and stale.state == ProposalState.SUBMITTED
    assert not ProposalEvent.objects.filter(proposal__in=[draft, stale], action="register").exists()


def test_bulk_register_refuses_a_member_for_every_proposal(make_proposal, demo):
    p = make_proposal("member1", upto="submitted")
    [outcome] = services.proposals_register_bulk(picks=[Pick(p.pk)], actor=demo["member2"])
    assert not outcome.done and outcome.message == "您无权立案。"
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.SUBMITTED


def test_bulk_needs_at_least_one_proposal(demo):
    with pytest.raises(ValidationFailed, match="请至少勾选一件提案"):
        services.proposals_register_bulk(picks=[], actor=demo["staff"])


def test_bulk_assign_hands_each_to_the_same_units_and_reports_refusals(make_proposal, demo):
    a = make_proposal("member1", upto="registered", title="关于增设社区便民菜场的建议")
    b = make_proposal("member2", upto="registered", title="关于规范电动自行车充电的建议")
    submitted = make_proposal("member1", upto="submitted", title="关于改造老旧管网的建议")
    handled = make_proposal("member2", upto="handling", title="关于加强校园周边交通管理的建议", unit="区卫生健康委员会")
    outcomes = services.proposals_assign_bulk(
        picks=[Pick(a.pk), Pick(submitted.pk), Pick(b.pk), Pick(handled.pk, handled.version)],
        actor=demo["staff"],
        lead_unit=unit(),
        co_units=[unit("区民政局")],
    )
    assert [o.done for o in outcomes] == [True, False, True, False]
    assert "不能交办" in outcomes[1].message
    assert outcomes[3].message == "该提案已有主办或分办单位。"
    for p in (a, b):
        kinds = dict(Assignment.objects.filter(proposal=p).values_list("unit__name", "kind"))
        assert kinds == {"区教育局": AssignmentKind.LEAD, "区民政局": AssignmentKind.CO}
        assert Proposal.objects.get(pk=p.pk).state == ProposalState.HANDLING
    # Nothing half-applied on the refused ones.
    assert not Assignment.objects.filter(proposal=submitted).exists()
    assert list(Assignment.objects.filter(proposal=handled).values_list("unit__name", flat=True)) == [
        "区卫生健康委员会"
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "请选择承办单位"),
        ({"co_units": ["区民政局"]}, "会办单位须配合一个主办单位"),
        ({"lead_unit": "区教育局", "split_units": ["区民政局"]}, "只能选一种方式"),
        ({"lead_unit": "区教育局", "co_units": ["区教育局"]}, "不能重复交办"),
    ],
)
def test_bulk_assign_refuses_bad_units_before_touching_any(make_proposal, demo, kwargs, message):
    p = make_proposal("member1", upto="registered")
    units = {key: unit(value) if isinstance(value, str) else [unit(v) for v in value] for key, value in kwargs.items()}
    with pytest.raises(ValidationFailed, match=message):
        services.proposals_assign_bulk(picks=[Pick(p.pk)], actor=demo["staff"], **units)
    assert not Assignment.objects.filter(proposal=p).exists()


def test_review_page_registers_and_assigns_the_ticked_proposals(make_proposal, login):
    a = make_proposal("member1", upto="submitted", title="关于增设社区便民菜场的建议")
    b = make_proposal("member2", upto="submitted", title="关于规范电动自行车充电的建议")
    client = login("staff")
    page = client.post(
        "/proposals/review/", {"op": "register", "picks": [f"{a.pk}:{a.version}", f"{b.pk}:{b.version - 1}"]}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "批量立案结果：成功 1 件，未办理 1 件" in html and "页面已过期" in html
    a.refresh_from_db()
    page = client.post(
        "/proposals/review/",
        {"op": "assign", "picks": [f"{a.pk}:{a.version}"], "lead_unit": unit().pk},
    )
    assert "批量交办结果：成功 1 件，未办理 0 件" in page.content.decode()
    assert Assignment.objects.get(proposal=a).unit.name == "区教育局"


def test_review_page_says_what_is_missing(login):
    client = login("staff")
    html = client.post("/proposals/review/", {"op": "assign", "picks": ["1:1"]}).content.decode()
    assert "请选择承办单位" in html
    html = client.post("/proposals/review/", {"op": "register"}).content.decode()
    assert "请至少勾选一件提案" in html
    html = client.post("/proposals/review/", {"op": "register", "picks": ["x"]}).content.decode()
    assert "所选提案信息有误" in html


def test_review_page_refuses_units_and_members(login):
    for username in ("unit_edu", "member1", "leader"):
        assert login(username).post("/proposals/review/", {"op": "register", "picks": ["1:1"]}).status_code == 403
