"""微建议 / 微监督: filing to a unit, the unit's answer on a working-day clock, staff raising one
to a 社情民意 report or a proposal draft; every move and refusal through the services."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cppcc_portal.deadlines import all_sources
from cppcc_portal.deadlines.sweep import run_sweep
from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.models import Notification
from cppcc_portal.workdays import add_working_days
from liaison_stations.models import Station
from members.models import Member, Organization
from proposals.enums import ProposalState
from proposals.models import MicroSuggestion, ProposalCategory, PublicOpinion
from proposals.opinions import services
from proposals.opinions.enums import MicroStatus, OpinionChannel, OpinionStatus
from proposals.opinions.workflow import MICRO_TRANSITIONS, micro_move_allowed

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def unit_of(demo, username: str) -> Organization:
    return demo[username].organization


def file(demo, actor="member2", unit="unit_health", **extra) -> MicroSuggestion:
    data = {"title": "小区门口路灯不亮", "problem": "晚上出行不便。", "suggestion": "尽快修复。"}
    return services.micro_file(actor=demo[actor], unit=unit_of(demo, unit), **{**data, **extra})


def test_member_files_and_the_unit_clock_runs_ten_working_days(demo):
    # Friday 25 September 2026: the National Day holiday (1-8 October) lies inside the ten days.
    micro = file(demo, on=date(2026, 9, 25))
    assert micro.status == MicroStatus.SUBMITTED and micro.member.user == demo["member2"]
    assert micro.answer_due == add_working_days(date(2026, 9, 25), 10)
    assert micro.answer_due > date(2026, 10, 9)  # the holiday is not counted
    assert micro.events.get().to_status == MicroStatus.SUBMITTED
    assert Notification.objects.filter(recipient=demo["unit_health"], subject__contains="小区门口路灯不亮").exists()


def test_filing_is_refused_with_a_reason(demo):
    with pytest.raises(PermissionDeniedError):
        file(demo, actor="unit_edu")
    with pytest.raises(ValidationFailed):
        file(demo, title="  ")
    with pytest.raises(ValidationFailed):  # a party committee is not a unit responsible for a street lamp
        services.micro_file(
            actor=demo["member2"], title="t", problem="p", suggestion="s", unit=demo["party_minjin"].organization
        )
    others = Station.objects.exclude(head__user__username="member2").exclude(
        memberships__member__user__username="member2"
    )
    with pytest.raises(PermissionDeniedError):
        file(demo, station=others.first())
    assert not MicroSuggestion.objects.filter(title="t").exists()


def test_a_station_head_files_through_their_station(demo):
    home = Station.objects.get(head__user__username="member1")
    micro = file(demo, actor="member1", station=home)
    assert micro.station == home
    # The station head sees it on the board; the other member does not.
    assert micro in services_visible(demo["member1"]) and micro not in services_visible(demo["member2"])


def services_visible(user):
    from proposals.opinions.selectors import visible_micro

    return list(visible_micro(user))


def test_the_same_form_token_files_once(demo):
    token = uuid.uuid4()
    first = file(demo, form_token=token)
    again = file(demo, form_token=token, title="改了标题也不会再建一条")
    assert again.pk == first.pk and again.replayed and not first.replayed
    assert MicroSuggestion.objects.filter(form_token=token).count() == 1


def test_the_page_posted_twice_with_one_token_creates_one(login, demo):
    client = login("member2")
    token = str(uuid.uuid4())
    data = {
        "kind": "suggestion",
        "title": "公交站台缺少遮阳棚",
        "place": "文化中心站",
        "problem": "夏天候车暴晒。",
        "suggestion": "加装遮阳棚。",
        "unit": unit_of(demo, "unit_health").pk,
        "form_token": token,
    }
    first = client.post(reverse("opinions:micro-new"), data)
    second = client.post(reverse("opinions:micro-new"), data, follow=True)
    micro = MicroSuggestion.objects.get(title="公交站台缺少遮阳棚")
    assert first["Location"] == micro.get_absolute_url()
    assert "已经提交过了" in second.content.decode()
    assert MicroSuggestion.objects.filter(title="公交站台缺少遮阳棚").count() == 1


def test_only_the_unit_addressed_or_staff_answer_and_only_once(demo):
    micro = file(demo)
    with pytest.raises(PermissionDeniedError):
        services.micro_answer(suggestion=micro, actor=demo["unit_edu"], answer="不归我们管")
    with pytest.raises(PermissionDeniedError):
        services.micro_answer(suggestion=micro, actor=demo["member2"], answer="自己答")
    with pytest.raises(ValidationFailed):
        services.micro_answer(suggestion=micro, actor=demo["unit_health"], answer=" ")
    micro.refresh_from_db()
    assert micro.status == MicroStatus.SUBMITTED and micro.answer == ""
    services.micro_answer(suggestion=micro, actor=demo["unit_health"], answer="已修复。")
    micro.refresh_from_db()
    assert micro.status == MicroStatus.ANSWERED and micro.answered_on is not None
    assert [e.to_status for e in micro.events.all()] == [MicroStatus.SUBMITTED, MicroStatus.ANSWERED]
    assert Notification.objects.filter(recipient=demo["member2"], subject__contains="已获").exists()
    with pytest.raises(TransitionNotAllowed):
        services.micro_answer(suggestion=micro, actor=demo["unit_health"], answer="再答一次")


def test_the_clock_reminds_then_escalates_once_with_time_travel(demo):
    micro = file(demo, on=date(2026, 11, 2))  # a Monday; due ten working days later
    assert micro.answer_due == date(2026, 11, 16)
    source = next(s for s in all_sources() if s.key == "micro.answer")
    assert micro in source.queryset() and source.unit(micro) == unit_of(demo, "unit_health")
    with time_machine.travel(datetime(2026, 11, 11, 9, 0, tzinfo=SHANGHAI), tick=False):  # 3 working days before
        run_sweep(keys=["micro.answer"], deliver=False)
    reminded = Notification.objects.filter(recipient=demo["unit_health"], subject__contains="小区门口路灯不亮")
    assert reminded.count() == 2  # filed, then the reminder
    with time_machine.travel(datetime(2026, 11, 18, 9, 0, tzinfo=SHANGHAI), tick=False):  # overdue
        run_sweep(keys=["micro.answer"], deliver=False)
        count = Notification.objects.count()
        assert Notification.objects.filter(recipient=demo["staff"], subject__contains="小区门口路灯不亮").exists()
        run_sweep(keys=["micro.answer"], deliver=False)
        assert Notification.objects.count() == count  # once per stage and recipient
    services.micro_answer(suggestion=micro, actor=demo["unit_health"], answer="已修复。")
    assert micro not in source.queryset()


def test_staff_raise_one_to_a_report_in_the_members_name(demo):
    micro = file(demo)
    with pytest.raises(PermissionDeniedError):
        services.micro_raise_to_opinion(suggestion=micro, actor=demo["member2"])
    services.micro_raise_to_opinion(suggestion=micro, actor=demo["staff"])
    micro.refresh_from_db()
    opinion = micro.opinion
    assert micro.status == MicroStatus.RAISED_OPINION
    assert opinion.author == Member.objects.get(user__username="member2") and opinion.filed_by == demo["staff"]
    assert opinion.channel == OpinionChannel.MICRO and opinion.status == OpinionStatus.SUBMITTED
    with pytest.raises(TransitionNotAllowed):
        services.micro_raise_to_opinion(suggestion=micro, actor=demo["staff"])
    assert PublicOpinion.objects.filter(title=micro.title).count() == 1


def test_staff_raise_an_answered_one_to_a_proposal_draft_for_the_member(demo):
    micro = file(demo)
    services.micro_answer(suggestion=micro, actor=demo["unit_health"], answer="需区级统筹。")
    with pytest.raises(ValidationFailed):
        services.micro_raise_to_proposal(suggestion=micro, actor=demo["staff"], category=None)
    category = ProposalCategory.objects.first()
    services.micro_raise_to_proposal(suggestion=micro, actor=demo["staff"], category=category)
    micro.refresh_from_db()
    proposal = micro.proposal
    assert micro.status == MicroStatus.RAISED_PROPOSAL
    assert proposal.state == ProposalState.DRAFT and proposal.author.user == demo["member2"]
    assert "需区级统筹" in proposal.background
    assert demo["member2"].has_perm("proposals.edit_proposal", proposal)  # the member finishes and submits it


def test_the_transition_table_is_walked():
    for current, targets in MICRO_TRANSITIONS.items():
        for target in MicroStatus.values:
            assert micro_move_allowed(current, target) == (target in targets)
    assert not MICRO_TRANSITIONS[MicroStatus.RAISED_OPINION]


def test_the_board_shows_the_demo_in_several_states(login, demo):
    states = set(MicroSuggestion.objects.values_list("status", flat=True))
    assert states == set(MicroStatus.values)
    assert MicroSuggestion.objects.filter(status=MicroStatus.SUBMITTED, answer_due__lt=date.today()).exists()
    page = login("staff").get(reverse("opinions:micro-list")).content.decode()
    assert "逾期" in page and "已转社情民意" in page
    unit_page = login("unit_edu").get(reverse("opinions:micro-list")).content.decode()
    assert "社区卫生服务站候诊区座椅不足" not in unit_page and "幼儿园门口人行道破损" in unit_page


def test_a_unit_answers_through_the_page(login, demo):
    micro = MicroSuggestion.objects.get(title="社区卫生服务站候诊区座椅不足")
    client = login("unit_health")
    response = client.post(reverse("opinions:micro-answer", args=[micro.pk]), {"answer": "已增加座椅 20 把。"})
    assert response.status_code == 302
    micro.refresh_from_db()
    assert micro.status == MicroStatus.ANSWERED
    again = client.post(reverse("opinions:micro-answer", args=[micro.pk]), {"answer": "再答"}, follow=True)
    assert "不能再答复" in again.content.decode()
    assert date.today() - timedelta(days=0) >= micro.answered_on
