"""社情民意 in an organisation's name: 民进区委 files with a contact member; only its users (and the
office, leaders, the contact) see it; no member's performance record counts it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed
from cppcc_portal.models import Notification
from liaison_stations.models import Station
from members.enums import PerformanceAct
from members.models import Member
from members.performance.models import PerformanceRecord
from proposals.opinions import services
from proposals.opinions.selectors import visible_opinions

pytestmark = pytest.mark.django_db

TEXT = dict(
    title="关于校外培训机构退费难的情况反映", situation="多名家长反映预付费退费难。", suggestion="建立资金监管。"
)


def contact() -> Member:
    return Member.objects.get(user__username="member2")


def filed_and_confirmed(demo):
    opinion = services.opinion_file(actor=demo["party_minjin"], author=contact(), **TEXT)
    return services.opinion_confirm_by_head(opinion=opinion, actor=demo["party_minjin_head"])


def test_an_organisation_files_in_its_own_name_and_no_member_is_credited(demo):
    opinion = filed_and_confirmed(demo)
    assert opinion.organization.name == "民进区委" and opinion.author == contact()
    assert [e.note for e in opinion.events.order_by("pk")] == [
        "以民进区委名义报送，待单位负责人确认",
        "单位负责人确认，报送研究室",
    ]
    services.opinion_decide(opinion=opinion, actor=demo["staff"], adopt=True, to_party_committee=True)
    acts = PerformanceRecord.objects.filter(
        source_id=opinion.pk, act__in=[PerformanceAct.OPINION_FILED, PerformanceAct.OPINION_ADOPTED]
    )
    assert not acts.exists()
    # the organisation hears of the decision, not the contact member
    assert Notification.objects.filter(recipient=demo["party_minjin_head"], subject__contains="已被采用").exists()
    assert not Notification.objects.filter(recipient=demo["member2"], subject__contains=TEXT["title"]).exists()


def test_refusals(demo):
    with pytest.raises(ValidationFailed, match="联系委员"):
        services.opinion_file(actor=demo["party_minjin"], **TEXT)
    with pytest.raises(PermissionDeniedError):
        services.opinion_file(
            actor=demo["party_minjin"], author=contact(), station=Station.objects.filter(is_active=True).first(), **TEXT
        )
    with pytest.raises(PermissionDeniedError):
        services.opinion_file(actor=demo["unit_edu"], author=contact(), **TEXT)


@pytest.mark.parametrize(
    "role", ["staff", "leader", "member1", "member2", "unit_edu", "unit_health", "party_minjin", "party_minjin_head"]
)
def test_who_sees_it(role, demo):
    opinion = services.opinion_file(actor=demo["party_minjin"], author=contact(), **TEXT)
    # Before its head confirms it, the office does not see it yet.
    before = role in ("member2", "party_minjin", "party_minjin_head")
    assert demo[role].has_perm("proposals.see_opinion", opinion) == before
    assert visible_opinions(demo[role]).filter(pk=opinion.pk).exists() == before
    opinion = services.opinion_confirm_by_head(opinion=opinion, actor=demo["party_minjin_head"])
    sees = role in ("staff", "leader", "member2", "party_minjin", "party_minjin_head")
    assert demo[role].has_perm("proposals.see_opinion", opinion) == sees
    assert visible_opinions(demo[role]).filter(pk=opinion.pk).exists() == sees


def test_the_report_goes_in_only_after_the_heads_confirmation(demo):
    from cppcc_portal.errors import TransitionNotAllowed
    from proposals.opinions.enums import OpinionStatus

    opinion = services.opinion_file(actor=demo["party_minjin"], author=contact(), **TEXT)
    assert opinion.status == OpinionStatus.AWAITING_HEAD and opinion.head_confirmed_by is None
    assert not Notification.objects.filter(recipient=demo["staff"], subject__contains=TEXT["title"]).exists()
    assert Notification.objects.filter(recipient=demo["party_minjin_head"], subject__contains="请确认").exists()
    with pytest.raises(TransitionNotAllowed):  # the research office cannot decide on it yet
        services.opinion_decide(opinion=opinion, actor=demo["staff"], adopt=True, to_party_committee=True)
    with pytest.raises(TransitionNotAllowed):
        services.opinion_edit_for_report(opinion=opinion, actor=demo["staff"], report_title="x", report_text="y")
    for who in ("party_minjin", "member2", "staff"):  # its 经办, its contact member, the office
        with pytest.raises(PermissionDeniedError):
            services.opinion_confirm_by_head(opinion=opinion, actor=demo[who])
    opinion = services.opinion_confirm_by_head(opinion=opinion, actor=demo["party_minjin_head"])
    assert opinion.status == OpinionStatus.SUBMITTED and opinion.head_confirmed_by == demo["party_minjin_head"]
    assert Notification.objects.filter(recipient=demo["staff"], subject__contains=TEXT["title"]).exists()
    with pytest.raises(PermissionDeniedError):  # confirmed once
        services.opinion_confirm_by_head(opinion=opinion, actor=demo["party_minjin_head"])


def test_the_heads_own_report_goes_in_at_once(demo):
    from proposals.opinions.enums import OpinionStatus

    opinion = services.opinion_file(actor=demo["party_minjin_head"], author=contact(), **TEXT)
    assert opinion.status == OpinionStatus.SUBMITTED and opinion.head_confirmed_by == demo["party_minjin_head"]


def test_the_head_confirms_through_the_page(login, demo):
    opinion = services.opinion_file(actor=demo["party_minjin"], author=contact(), **TEXT)
    assert 'id="confirm-opinion"' not in login("party_minjin").get(opinion.get_absolute_url()).content.decode()
    client = login("party_minjin_head")
    assert 'id="confirm-opinion"' in client.get(opinion.get_absolute_url()).content.decode()
    response = client.post(reverse("opinions:confirm", args=[opinion.pk]), {"note": ""})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "submitted"


def test_the_page_files_in_the_organisations_name(login, demo):
    client = login("party_minjin")
    page = client.get(reverse("opinions:new"))
    assert "以“民进区委”名义报送" in page.content.decode() and 'name="station"' not in page.content.decode()
    response = client.post(reverse("opinions:new"), {**TEXT, "author": contact().pk})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "报送单位" in detail and "民进区委" in detail and "须经本单位负责人确认" in detail
    assert "民进区委" in client.get(reverse("opinions:list")).content.decode()
