"""提案办理协商会: a session linked to proposals invites their proposers and units, and its minutes
go on each linked proposal's timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations import services
from consultations.models import ConsultationForm, Invitation, Session, SessionOfficial
from cppcc_portal.errors import PermissionDeniedError, ValidationFailed
from cppcc_portal.models import Notification
from members.models import Organization
from proposals import services as proposal_services
from proposals.models import Proposal, ProposalCategory, ProposalEvent
from tests.consultations.factories import member, staff

pytestmark = pytest.mark.django_db

FORM = "提案办理协商会"


def proposal(demo, username="member1", *, title="关于加强社区图书室建设的建议", upto="handling", unit="区教育局"):
    p = proposal_services.proposal_create(
        actor=demo[username],
        title=title,
        category=ProposalCategory.objects.first(),
        background="社区图书室藏书陈旧，开放时间短。",
        suggestions="增加购书经费，延长开放时间。",
        period="plenary",
    )
    if upto == "draft":
        return Proposal.objects.get(pk=p.pk)
    proposal_services.proposal_submit(proposal=p, actor=demo[username], version=None)
    proposal_services.proposal_register(proposal=p, actor=demo["staff"], version=None)
    if upto == "handling":
        proposal_services.proposal_assign(
            proposal=p, actor=demo["staff"], version=None, lead_unit=Organization.objects.get(name=unit)
        )
    return Proposal.objects.get(pk=p.pk)


def consultation(*, proposals=(), starts_at=None, title="教育类提案办理协商会") -> Session:
    starts_at = starts_at or timezone.now() + timedelta(days=10)
    return services.session_create(
        actor=staff(),
        data={
            "title": title,
            "form": ConsultationForm.objects.get(name=FORM),
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=2),
            "venue": "区政协第二会议室",
        },
        proposals=[p.pk for p in proposals],
    )


def test_linking_invites_first_proposers_and_handling_units(demo):
    edu = proposal(demo, "member1")
    health = proposal(demo, "member2", title="关于优化社区卫生服务的建议", unit="区卫生健康委员会")
    session = consultation(proposals=[edu, health])
    assert set(session.proposals.values_list("pk", flat=True)) == {edu.pk, health.pk}
    invited = set(Invitation.objects.filter(session=session).values_list("member__user__username", flat=True))
    assert invited == {"member1", "member2"}
    units = set(SessionOfficial.objects.filter(session=session).values_list("organization__name", flat=True))
    assert units == {"区教育局", "区卫生健康委员会"}
    # the invited unit's users may now open the session
    assert demo["unit_edu"].has_perm("consultations.see_session", session)


def test_linking_a_draft_is_refused_in_chinese(demo):
    draft = proposal(demo, "member2", title="关于整治背街小巷环境的建议", upto="draft")
    with pytest.raises(ValidationFailed, match="尚未立案"):
        consultation(proposals=[draft])
    assert not Session.objects.filter(title="教育类提案办理协商会").exists()  # nothing half-made


def test_only_staff_link_proposals(demo):
    session = consultation()
    with pytest.raises(PermissionDeniedError):
        services.session_link_proposals(actor=demo["member1"], session=session, proposals=[proposal(demo).pk])


def test_linking_after_the_notice_tells_the_newly_invited(demo):
    session = consultation()
    services.session_invite_members(actor=staff(), session=session, members=[member("member3")], kind="required")
    services.session_send_notice(actor=staff(), session=session)
    services.session_link_proposals(actor=staff(), session=session, proposals=[proposal(demo, "member1").pk])
    assert Notification.objects.filter(recipient=demo["member1"], kind="consultations.notice").exists()
    assert Notification.objects.filter(recipient=demo["unit_edu"], subject__contains="请派员列席").exists()


def test_minutes_go_on_each_linked_proposal_timeline_once(demo):
    p = proposal(demo)
    session = consultation(proposals=[p], starts_at=timezone.now() - timedelta(hours=3))
    services.minutes_save(actor=staff(), session=session, text="与会各方就提案办理达成共识。")
    services.minutes_save(actor=staff(), session=session, text="纪要（修订）。")
    events = ProposalEvent.objects.filter(proposal=p, label="提案办理协商会纪要")
    assert events.count() == 1
    assert events.get().link == f"/consultations/sessions/{session.pk}/#minutes"


def test_pages_show_the_links_both_ways(demo, login):
    p = proposal(demo)
    session = consultation(proposals=[p], starts_at=timezone.now() - timedelta(hours=3))
    services.minutes_save(actor=staff(), session=session, text="与会各方就提案办理达成共识。")
    page = login("member1").get(f"/proposals/{p.pk}/").content.decode()
    assert "提案办理协商会纪要" in page and f'href="/consultations/sessions/{session.pk}/#minutes"' in page
    assert session.title in page
    page = login("unit_edu").get(f"/consultations/sessions/{session.pk}/").content.decode()
    assert 'id="linked-proposals"' in page and p.title in page


def test_staff_pick_proposals_by_number_on_the_form(demo, login):
    p = proposal(demo)
    session = consultation()
    client = login("staff")
    page = client.get(f"/consultations/sessions/{session.pk}/edit/").content.decode()
    assert "关联提案" in page
    data = {
        "s-form": session.form_id,
        "s-title": session.title,
        "s-starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "s-ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "s-venue": session.venue,
        "p-lines": f"{p.number}\n",
    }
    response = client.post(f"/consultations/sessions/{session.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(session.proposals.all()) == [p]
    bad = client.post(f"/consultations/sessions/{session.pk}/edit/", data | {"p-lines": "不存在的提案编号"})
    assert "未找到编号或案由为「不存在的提案编号」的提案" in bad.content.decode()
