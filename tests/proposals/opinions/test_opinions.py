"""社情民意: filing, who sees what, the research office's steps, clocks, ledger, conversion from a proposal."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cppcc_portal.deadlines import all_sources, due_date
from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.notifications import unread_changed
from cppcc_portal.workdays import add_working_days
from liaison_stations.models import Station, StationActivity
from members.enums import PerformanceAct
from members.models import Member, Organization, User
from members.performance.models import PerformanceRecord
from proposals.models import PublicOpinion
from proposals.opinions import services
from proposals.opinions.enums import InstructionLevel, OpinionStatus

pytestmark = pytest.mark.django_db


def member(username: str) -> Member:
    return Member.objects.get(user__username=username)


def ledger(opinion) -> list[tuple[str, str]]:
    return sorted(
        PerformanceRecord.objects.filter(source_id=opinion.pk, source_type__model="publicopinion").values_list(
            "member__user__username", "act"
        )
    )


def file(actor, **extra) -> PublicOpinion:
    data = {"title": "关于某路口红绿灯时长不合理的反映", "situation": "早高峰排队过长。", "suggestion": "调整配时。"}
    return services.opinion_file(actor=actor, **{**data, **extra})


def test_member_files_through_the_page_and_the_clock_starts(login, demo):
    client = login("member2")
    response = client.post(
        reverse("opinions:new"),
        {"title": "关于社区停车难的反映", "situation": "车位少。", "suggestion": "错时共享。", "urgent": ""},
    )
    opinion = PublicOpinion.objects.get(title="关于社区停车难的反映")
    assert response.status_code == 302 and response["Location"] == opinion.get_absolute_url()
    assert opinion.author == member("member2") and opinion.status == OpinionStatus.SUBMITTED
    assert opinion.review_due == due_date("opinion.review", opinion.submitted_on)
    assert opinion.review_due == add_working_days(opinion.submitted_on, 5)
    assert ledger(opinion) == [("member2", PerformanceAct.OPINION_FILED)]


def test_urgent_report_is_due_in_one_working_day(demo):
    opinion = file(demo["member2"], urgent=True, on=date(2026, 11, 27))  # a Friday
    assert opinion.review_due == add_working_days(date(2026, 11, 27), 1)
    assert PublicOpinion._meta.get_field("review_due").db_index


def test_clock_sources_find_open_reports_by_urgency(demo):
    normal, urgent = file(demo["member2"]), file(demo["member2"], urgent=True, title="急报")
    sources = {source.key: source for source in all_sources() if source.key.startswith("opinion.")}
    assert normal in sources["opinion.review"].queryset() and urgent not in sources["opinion.review"].queryset()
    assert urgent in sources["opinion.urgent_review"].queryset()
    services.opinion_decide(opinion=urgent, actor=demo["staff"], adopt=False, reason="重复")
    assert urgent not in sources["opinion.urgent_review"].queryset()
    assert demo["staff"] in sources["opinion.review"].recipients(normal, "staff")


def test_station_head_files_on_behalf_of_their_station_only(demo):
    home = Station.objects.get(head__user__username="member1")
    other = Station.objects.exclude(pk=home.pk).first()
    opinion = file(demo["member1"], station=home)
    assert opinion.station == home
    with pytest.raises(PermissionDeniedError):
        file(demo["member1"], station=other)
    with pytest.raises(PermissionDeniedError):
        file(demo["member2"], station=home)


def test_member_sees_own_and_headed_station_reports_only(login, demo):
    home = Station.objects.get(head__user__username="member1")
    activity = StationActivity.objects.filter(station=home).first()
    by_member2_from_station = file(demo["member2"], title="来自本站活动", activity=activity)
    by_member2_alone = file(demo["member2"], title="个人报送")
    by_member3 = file(demo["member3"], title="别人的")

    def titles(username):
        return {o.title for o in login(username).get(reverse("opinions:list")).context["page"]}

    member1 = titles("member1")
    assert "来自本站活动" in member1 and "个人报送" not in member1 and "别人的" not in member1
    assert {"来自本站活动", "个人报送"} <= titles("member2") and "别人的" not in titles("member2")
    assert {"来自本站活动", "个人报送", "别人的"} <= titles("leader")
    assert login("member1").get(by_member2_from_station.get_absolute_url()).status_code == 200
    assert login("member1").get(by_member2_alone.get_absolute_url()).status_code == 403
    assert login("member2").get(by_member3.get_absolute_url()).status_code == 403
    assert login("unit_edu").get(reverse("opinions:list")).status_code == 403


def test_leader_reads_but_cannot_handle(login, demo):
    opinion = file(demo["member2"])
    page = login("leader").get(opinion.get_absolute_url()).content.decode()
    assert "研究室办理" not in page
    assert login("leader").post(reverse("opinions:decide", args=[opinion.pk]), {"decision": "adopt"}).status_code == 403
    with pytest.raises(PermissionDeniedError):
        services.opinion_decide(opinion=opinion, actor=demo["leader"], adopt=True, to_government=True)


def test_research_office_workflow_and_the_member_sees_each_step(login, demo):
    opinion = file(demo["member2"])
    staff = login("staff")
    assert opinion.pk in [o.pk for o in staff.get(reverse("opinions:list") + "?queue=1").context["page"]]

    staff.post(reverse("opinions:edit", args=[opinion.pk]), {"report_title": "编报：红绿灯", "report_text": "加工稿"})
    opinion.refresh_from_db()
    assert opinion.report_title == "编报：红绿灯" and opinion.title == "关于某路口红绿灯时长不合理的反映"

    # Adoption needs a destination; 不采用 needs a reason.
    response = staff.post(reverse("opinions:decide", args=[opinion.pk]), {"decision": "adopt"}, follow=True)
    assert "请选择报送去向" in response.content.decode()
    staff.post(
        reverse("opinions:decide", args=[opinion.pk]),
        {"decision": "adopt", "to_party_committee": "on", "to_city_cppcc": "on"},
    )
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.ADOPTED and opinion.reported_to == ["区委", "市政协"]
    staff.post(reverse("opinions:reporting", args=[opinion.pk]), {"to_government": "on"})
    opinion.refresh_from_db()
    assert opinion.reported_to == ["区政府"]

    staff.post(
        reverse("opinions:instruction", args=[opinion.pk]),
        {
            "leader": "区长 李某",
            "level": InstructionLevel.DISTRICT,
            "text": "请交管部门研究。",
            "instructed_on": date.today(),
        },
    )
    staff.post(
        reverse("opinions:feedback", args=[opinion.pk]),
        {
            "department": Organization.objects.get(name="区交通运输局").pk,
            "text": "已调整配时。",
            "received_on": date.today(),
        },
    )
    page = login("member2").get(opinion.get_absolute_url()).content.decode()
    for text in (
        "编报：红绿灯",
        "已采用",
        "区政府",
        "区长 李某",
        "请交管部门研究。",
        "已调整配时。",
        "领导批示",
        "部门反馈",
    ):
        assert text in page
    assert "研究室办理" not in page
    assert ledger(opinion) == sorted(
        [
            ("member2", PerformanceAct.OPINION_FILED),
            ("member2", PerformanceAct.OPINION_ADOPTED),
            ("member2", PerformanceAct.OPINION_INSTRUCTED),
        ]
    )


def test_ledger_exactly_once_per_report_even_with_several_instructions(demo):
    opinion = file(demo["member3"])
    services.opinion_decide(opinion=opinion, actor=demo["staff"], adopt=True, to_government=True)
    for leader in ("区长", "副区长"):
        services.opinion_record_instruction(
            opinion=opinion,
            actor=demo["staff"],
            leader=leader,
            level=InstructionLevel.DISTRICT,
            text="阅。",
            instructed_on=date.today(),
        )
    assert ledger(opinion) == sorted(
        [
            ("member3", PerformanceAct.OPINION_FILED),
            ("member3", PerformanceAct.OPINION_ADOPTED),
            ("member3", PerformanceAct.OPINION_INSTRUCTED),
        ]
    )


def test_not_adopted_needs_reason_and_follow_ups_need_adoption(demo):
    opinion = file(demo["member3"])
    with pytest.raises(ValidationFailed):
        services.opinion_decide(opinion=opinion, actor=demo["staff"], adopt=False)
    with pytest.raises(TransitionNotAllowed):
        services.opinion_record_instruction(
            opinion=opinion, actor=demo["staff"], leader="x", level="district", text="y", instructed_on=date.today()
        )
    services.opinion_decide(opinion=opinion, actor=demo["staff"], adopt=False, reason="已有同类信息")
    assert ledger(opinion) == [("member3", PerformanceAct.OPINION_FILED)]
    # Reconsidered later: adopted then, and never twice.
    services.opinion_decide(opinion=opinion, actor=demo["staff"], adopt=True, to_government=True)
    with pytest.raises(TransitionNotAllowed):
        services.opinion_decide(opinion=opinion, actor=demo["staff"], adopt=True, to_government=True)


def test_report_from_an_activity_shows_on_the_activity(login, demo):
    activity = StationActivity.objects.filter(station__head__user__username="member1").first()
    client = login("member1")
    response = client.get(reverse("opinions:new") + f"?activity={activity.pk}")
    assert response.context["form"].initial["activity"] == str(activity.pk)
    client.post(
        reverse("opinions:new"),
        {"title": "接待日听到的问题", "situation": "s", "suggestion": "t", "activity": activity.pk},
    )
    assert PublicOpinion.objects.get(title="接待日听到的问题").activity == activity
    assert "接待日听到的问题" in client.get(activity.get_absolute_url()).content.decode()


def test_unit_users_and_non_members_cannot_file(login, demo):
    assert login("unit_health").get(reverse("opinions:new")).status_code == 403
    assert login("admin").get(reverse("opinions:new")).status_code == 403
    with pytest.raises(PermissionDeniedError):
        file(demo["staff"])


def test_list_page_queries_do_not_grow_with_rows(login, demo):
    def count(username):
        client = login(username)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("opinions:list")).status_code == 200
        return len(captured)

    # The reports filed below write notices; inside this test's one (never committed) transaction
    # their users' unread counts are then read from the database, not the cache. Both counts are
    # taken in that state, after a warm-up request, so they compare rows, not the cache.
    unread_changed(User.objects.filter(username__in=("staff", "member1")).values_list("pk", flat=True))
    count("staff"), count("member1")
    before = {username: count(username) for username in ("staff", "member1")}
    home = Station.objects.get(head__user__username="member1")
    activity = StationActivity.objects.filter(station=home).first()
    for i in range(8):
        opinion = file(demo["member1"], title=f"批量{i}", activity=activity, station=home if i % 2 else None)
        if i % 3 == 0:
            services.opinion_decide(opinion=opinion, actor=demo["staff"], adopt=True, to_government=True)
            services.opinion_record_instruction(
                opinion=opinion,
                actor=demo["staff"],
                leader="区长",
                level="district",
                text="阅",
                instructed_on=date.today(),
            )
    assert {username: count(username) for username in ("staff", "member1")} == before


def test_demo_holds_reports_at_every_step(demo):
    statuses = set(PublicOpinion.objects.values_list("status", flat=True))
    assert statuses == set(OpinionStatus.values)
    assert PublicOpinion.objects.filter(instructions__isnull=False).exists()
    assert PublicOpinion.objects.filter(feedback__isnull=False).exists()
    assert PublicOpinion.objects.exclude(report_title="").exists()
    assert PublicOpinion.objects.filter(urgent=True, status=OpinionStatus.SUBMITTED).exists()
    assert PublicOpinion.objects.filter(status=OpinionStatus.SUBMITTED, review_due__lt=date.today()).exists()


def test_deadline_sweep_reminds_and_escalates_overdue_reports(demo):
    """The platform sweep finds overdue reports through the opinion clock sources."""
    from cppcc_portal.deadlines.sweep import run_sweep
    from cppcc_portal.models import Notification

    opinion = file(demo["member2"], title="逾期未审的报告", on=date.today() - timedelta(days=30))
    assert opinion.review_due < date.today()
    before = Notification.objects.filter(recipient=demo["staff"]).count()
    run_sweep(keys=["opinion.review", "opinion.urgent_review"], deliver=False)
    notices = Notification.objects.filter(recipient=demo["staff"]).order_by("-id")
    assert notices.count() > before
    assert any("逾期未审的报告" in n.subject or "逾期未审的报告" in n.body for n in notices[:20])
    # Running again sends nothing new for the same stage.
    count = Notification.objects.count()
    run_sweep(keys=["opinion.review", "opinion.urgent_review"], deliver=False)
    assert Notification.objects.count() == count
