"""Rights per office (cppcc_portal.roles.Office and the committee offices): each division does its own
work and never sees or changes another division's; the 秘书长 and the whole office do everything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from consultations import services as consultation_services
from consultations.models import ConsultationForm, Session
from cppcc_portal.errors import PermissionDeniedError
from cppcc_portal.roles import Role, in_proposals_office, is_office_staff
from members.models import Committee, CommitteeMembership, Member, User

pytestmark = pytest.mark.django_db


def session_data(title: str, organiser: Committee | None) -> dict:
    starts_at = timezone.now() + timedelta(days=20)
    return {
        "title": title,
        "form": ConsultationForm.objects.get(name="专题协商会"),
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "venue": "区政协第一会议室",
        "organiser": organiser,
    }


def test_a_committee_office_schedules_its_own_committees_sessions_only(demo):
    economy, education = Committee.objects.get(name="经济委员会"), Committee.objects.get(name="教科卫体委员会")
    office = demo["staff_committee"]
    own = consultation_services.session_create(actor=office, data=session_data("经济形势分析会", economy))
    assert own.organiser == economy
    with pytest.raises(PermissionDeniedError):
        consultation_services.session_create(actor=office, data=session_data("教育协商会", education))
    with pytest.raises(PermissionDeniedError):  # what no committee runs is the 办公室's
        consultation_services.session_create(actor=office, data=session_data("常委会会议", None))
    plenary = consultation_services.session_create(actor=demo["staff_meetings"], data=session_data("常委会会议", None))
    with pytest.raises(PermissionDeniedError):
        consultation_services.session_create(actor=demo["staff_meetings"], data=session_data("经济", economy))
    assert not Session.objects.filter(title__in=["教育协商会"]).exists()
    assert demo["staff"].has_perm("consultations.manage", own) and demo["staff"].has_perm(
        "consultations.manage", plenary
    )


def test_a_committee_office_sees_its_committees_sessions_and_not_the_others(demo, client):
    economy, education = Committee.objects.get(name="经济委员会"), Committee.objects.get(name="教科卫体委员会")
    own = consultation_services.session_create(actor=demo["staff"], data=session_data("经济形势分析会", economy))
    other = consultation_services.session_create(actor=demo["staff"], data=session_data("教育协商会", education))
    client.force_login(demo["staff_committee"])
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 403
    assert client.get(f"/consultations/sessions/{other.pk}/edit/").status_code == 403
    index = client.get("/consultations/").content.decode()
    assert "经济形势分析会" in index and "教育协商会" not in index


def test_a_committee_office_sees_its_members_only(demo, client):
    economy = Committee.objects.get(name="经济委员会")
    ours = Member.objects.filter(committee_memberships__committee=economy).first()
    theirs = Member.objects.exclude(committee_memberships__committee=economy).first()
    client.force_login(demo["staff_committee"])
    listed = client.get("/members/").context["page"].paginator.count
    assert listed == CommitteeMembership.objects.filter(committee=economy).count()
    assert client.get(f"/members/{ours.pk}/").status_code == 200
    assert client.get(f"/members/{theirs.pk}/").status_code == 403


def test_the_proposal_office_alone_registers_proposals(demo):
    assert in_proposals_office(demo["staff_proposals"]) and in_proposals_office(demo["staff"])
    for login in ("staff_opinions", "staff_meetings", "staff_committee"):
        assert not demo[login].has_perm("proposals.review_proposal"), login
        assert not demo[login].has_perm("proposals.handle_opinion") or login == "staff_opinions"
    assert demo["staff_opinions"].has_perm("proposals.handle_opinion")
    assert not demo["staff_proposals"].has_perm("proposals.handle_opinion")


def test_the_secretary_general_sees_and_does_everything(demo):
    user = User.objects.create_user("mishuzhang", name="秘书长")
    user.groups.add(Group.objects.get_or_create(name=Role.SECRETARY_GENERAL)[0])
    assert is_office_staff(user)
    for perm in (
        "proposals.review_proposal",
        "proposals.handle_opinion",
        "members.manage_registry",
        "members.publish_notice",
    ):
        assert user.has_perm(perm), perm


def test_a_staff_user_in_no_division_gets_nothing_by_default(demo):
    user = User.objects.create_user("newcomer", name="新同事", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.STAFF))
    assert not is_office_staff(user)
    for perm in (
        "proposals.review_proposal",
        "proposals.handle_opinion",
        "members.manage_registry",
        "consultations.manage",
    ):
        assert not user.has_perm(perm), perm
