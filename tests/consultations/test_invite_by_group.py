"""Invitations by group: pick groups, preview who that is (and the count), remove people, send."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import services
from consultations.models import Invitation
from cppcc_portal.errors import TransitionNotAllowed
from cppcc_portal.models import Notification
from members.models import Member, Sector
from members.selectors import members_in_groups

from .factories import make_session, staff

pytestmark = pytest.mark.django_db


def invite_url(session) -> str:
    return f"/consultations/sessions/{session.pk}/invite/"


def preview(client, session, *groups: str, kind: str = "required") -> list[Member]:
    response = client.get(invite_url(session), {"groups": list(groups), "kind": kind})
    assert response.status_code == 200
    return response.context["preview_members"]


def test_the_preview_count_equals_the_invited_count(login):
    session = make_session(required=("member1",))
    client = login("staff")
    economy = Sector.objects.get(name="经济界")
    people = preview(client, session, f"sector:{economy.pk}", "standing")
    html = client.get(invite_url(session), {"groups": [f"sector:{economy.pk}", "standing"], "kind": "required"})
    shown = html.content.decode()
    assert f'data-count-checked="member">{len(people)}</span>' in shown
    assert len(people) > 5
    assert "member1" not in {m.user.username for m in people if m.user}, "already invited: not previewed again"

    before = session.invitations.count()
    response = client.post(invite_url(session), {"kind": "required", "member": [m.pk for m in people]})
    assert response.status_code == 302
    assert session.invitations.count() - before == len(people)
    assert f"已邀请 {len(people)} 名委员。" in [str(m) for m in get_messages(response.wsgi_request)]


def test_people_removed_on_the_preview_are_not_invited(login):
    session = make_session(required=())
    client = login("staff")
    people = preview(client, session, "term")
    kept = people[2:]
    client.post(invite_url(session), {"kind": "signup", "member": [m.pk for m in kept]})
    assert set(session.invitations.values_list("member_id", flat=True)) == {m.pk for m in kept}
    assert set(session.invitations.values_list("kind", flat=True)) == {"signup"}


def test_groups_are_joined_each_member_once_and_only_active_members(demo):
    economy = Sector.objects.get(name="经济界")
    standing = Member.objects.filter(position__is_standing_committee=True, status="active")
    in_sector = Member.objects.filter(sector=economy, status="active")
    leaving = in_sector.first()
    Member.objects.filter(pk=leaving.pk).update(status="retired")
    expected = set(standing.values_list("pk", flat=True)) | set(in_sector.values_list("pk", flat=True))
    found = list(members_in_groups([f"sector:{economy.pk}", "standing", "nonsense", "sector:x"]))
    assert [m.pk for m in found] == list(dict.fromkeys(m.pk for m in found)), "each member once"
    assert {m.pk for m in found} == expected - {leaving.pk}


def test_a_station_group_counts_its_studio_members(demo):
    from liaison_stations.models import Station, StudioMembership

    studio = Station.objects.get(name="经济界协商工作室")
    studio_people = set(StudioMembership.objects.filter(station=studio).values_list("member_id", flat=True))
    assert studio_people
    assert studio_people <= set(members_in_groups([f"station:{studio.pk}"]).values_list("pk", flat=True))


def test_hundreds_invited_in_one_transaction_with_their_notices(demo):
    session = make_session(required=("member1",))
    services.session_send_notice(actor=staff(), session=session)
    everyone = list(members_in_groups(["term"]))
    new = [m for m in everyone if m.user is None or m.user.username != "member1"]
    notices = Notification.objects.filter(kind="consultations.notice").count()
    with CaptureQueriesContext(connection) as captured:
        invited = services.session_invite_members(actor=staff(), session=session, members=everyone, kind="required")
    assert invited == len(new) > 40
    assert session.invitations.count() == len(new) + 1
    assert len(captured) < 20, "bulk inserts, not one query per member"
    with_login = sum(1 for m in new if m.user_id and m.user.is_active)
    assert Notification.objects.filter(kind="consultations.notice").count() - notices == with_login
    # Inviting the same people again adds nobody and tells nobody twice.
    assert services.session_invite_members(actor=staff(), session=session, members=everyone, kind="required") == 0
    assert Invitation.history.filter(session_id=session.pk).count() == len(new) + 1


def test_an_ended_session_invites_nobody(login):
    session = make_session(required=(), starts_at=timezone.now() - timedelta(hours=5))
    with pytest.raises(TransitionNotAllowed):
        services.session_invite_members(
            actor=staff(), session=session, members=list(members_in_groups(["standing"])), kind="required"
        )
    response = login("staff").post(
        invite_url(session), {"kind": "required", "member": [Member.objects.first().pk]}, follow=True
    )
    assert "会议已结束，不能再邀请委员。" in response.content.decode()
    assert not session.invitations.exists()


def test_an_empty_or_unknown_pick_is_refused_with_a_message(login):
    session = make_session(required=())
    client = login("staff")
    response = client.post(invite_url(session), {"kind": "required"}, follow=True)
    assert "名单为空" in response.content.decode()
    response = client.get(invite_url(session), {"kind": "required", "groups": ["sector:999999"]})
    assert response.status_code == 200 and "preview_members" not in response.context
    assert not session.invitations.exists()


def test_a_research_team_is_invited_by_group_and_told(login):
    from consultations.models import ResearchProject

    project = ResearchProject.objects.filter(completed_on__isnull=True).first()
    client = login("staff")
    url = f"/consultations/research/{project.pk}/invite/"
    economy = Sector.objects.get(name="经济界")
    response = client.get(url, {"groups": [f"sector:{economy.pk}", "standing"]})
    people = response.context["preview_members"]
    team = set(project.team.values_list("pk", flat=True))
    assert people and not ({m.pk for m in people} & team)
    kept = people[1:]
    response = client.post(url, {"member": [m.pk for m in kept]})
    assert response.status_code == 302
    assert set(project.team.values_list("pk", flat=True)) == team | {m.pk for m in kept}
    told = Notification.objects.filter(kind="consultations.research", link=project.get_absolute_url())
    assert told.count() == sum(1 for m in kept if m.user_id)


def test_a_long_preview_lists_its_first_people_and_sends_the_whole_groups(login, monkeypatch):
    """At a district's size a group is thousands: the preview lists the first ``PREVIEW_LIMIT``
    (each removable) and posts the groups back; everyone else in them is sent too."""
    import members.forms

    monkeypatch.setattr(members.forms, "PREVIEW_LIMIT", 3)
    session = make_session(required=("member1",))
    client = login("staff")
    response = client.get(invite_url(session), {"groups": ["term"], "kind": "signup"})
    everyone = set(members_in_groups(["term"]).values_list("pk", flat=True)) - {session.invitations.get().member_id}
    listed = response.context["preview_members"]
    assert len(listed) == 3 and response.context["preview_total"] == len(everyone) > 3
    page = response.content.decode()
    assert f'data-count-more="{len(everyone) - 3}"' in page and 'name="groups" value="term"' in page
    assert page.count('name="member"') == 3

    removed = listed[0]
    response = client.post(
        invite_url(session),
        {
            "kind": "signup",
            "groups": ["term"],
            "shown": response.context["preview_shown"],
            "member": [m.pk for m in listed[1:]],
        },
    )
    assert response.status_code == 302
    invited = set(session.invitations.filter(kind="signup").values_list("member_id", flat=True))
    assert invited == everyone - {removed.pk}


def test_a_long_preview_refuses_unknown_groups_in_chinese(login):
    session = make_session(required=())
    client = login("staff")
    response = client.post(invite_url(session), {"kind": "required", "groups": ["nonsense"]}, follow=True)
    assert "有效" in response.content.decode() or "名单为空" in response.content.decode()
    assert not session.invitations.exists()
