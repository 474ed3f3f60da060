"""No back doors around the services in the admin.

State fields are read-only everywhere; timelines, ratings and the ledger are read-only for
everyone; state changes are admin actions that call the services; staff hold no Celery
schedule permissions and cannot revert to an old version.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory

from consultations.models import Invitation
from members.models import Member
from members.performance.models import PerformanceRecord
from members.roles import Role
from proposals.models import Assignment, Evaluation, Proposal, ProposalEvent

pytestmark = pytest.mark.django_db

STATE_FIELDS = {"state", "status"}
# Registry data whose admin *is* its editor (a member leaving office, a rule switched off).
EDITED_IN_THE_ADMIN = {Member}
RECORDS = {ProposalEvent, Evaluation, PerformanceRecord}
SUBMITTED = "关于完善社区养老服务设施的建议"


def admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def writable_state_fields(model_admin, request) -> set[str]:
    if not model_admin.has_change_permission(request) and not model_admin.has_add_permission(request):
        return set()
    names = {f.name for f in model_admin.model._meta.concrete_fields} & STATE_FIELDS
    return names - set(model_admin.get_readonly_fields(request))


def test_no_admin_or_inline_lets_a_state_field_be_edited(demo):
    request = admin_request(demo["admin"])
    offenders = []
    for model, model_admin in admin.site._registry.items():
        if model in EDITED_IN_THE_ADMIN:
            continue
        if writable_state_fields(model_admin, request):
            offenders.append(model.__name__)
        for inline in model_admin.get_inline_instances(request):
            inline_add = inline.has_add_permission(request, None)
            if (inline_add or inline.has_change_permission(request)) and (
                {f.name for f in inline.model._meta.concrete_fields} & STATE_FIELDS
            ) - set(inline.get_readonly_fields(request)):
                offenders.append(f"{model.__name__} › {inline.model.__name__}")
    assert not offenders, offenders


@pytest.mark.parametrize("model", sorted(RECORDS, key=lambda m: m.__name__))
def test_the_record_of_what_happened_is_read_only_even_for_superusers(model, demo):
    model_admin = admin.site._registry[model]
    request = admin_request(demo["admin"])
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_superuser_cannot_rewrite_a_reply_or_delete_the_timeline(login):
    client = login("admin")
    assignment = Assignment.objects.exclude(reply_text="").first()
    response = client.post(
        f"/admin/proposals/assignment/{assignment.pk}/change/",
        {"publishable": "on", "reply_text": "改写的答复", "unit": assignment.unit_id},
    )
    assert response.status_code == 403
    assignment.refresh_from_db()
    assert assignment.reply_text != "改写的答复"
    event = ProposalEvent.objects.first()
    assert client.post(f"/admin/proposals/proposalevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ProposalEvent.objects.filter(pk=event.pk).exists()


def test_the_register_action_goes_through_the_service(login, demo):
    proposal = Proposal.objects.get(title=SUBMITTED)
    response = login("staff").post(
        "/admin/proposals/proposal/", {"action": "register", "_selected_action": [proposal.pk]}, follow=True
    )
    assert "立案（按会次自动编号）：已处理 1 条" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == "registered" and proposal.number
    event = ProposalEvent.objects.filter(proposal=proposal, action="register").get()
    assert event.actor == demo["staff"] and event.from_state == "submitted"


def test_an_action_the_service_refuses_changes_nothing_and_says_why(login):
    draft = Proposal.objects.get(title="关于老旧小区加装电梯的建议")
    response = login("staff").post(
        "/admin/proposals/proposal/", {"action": "register", "_selected_action": [draft.pk]}, follow=True
    )
    assert response.status_code == 200 and "已处理" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_leave_decision_in_the_admin_writes_the_ledger_like_the_page(login):
    invitation = Invitation.objects.filter(status="leave_requested").first()
    login("staff").post(
        "/admin/consultations/invitation/", {"action": "approve_leave", "_selected_action": [invitation.pk]}
    )
    invitation.refresh_from_db()
    assert invitation.status == "leave_approved"
    assert PerformanceRecord.objects.filter(source_id=invitation.pk, act="consultation_leave").exists()


def test_staff_hold_no_celery_schedule_permissions(login):
    staff_group = Group.objects.get(name=Role.STAFF)
    assert not staff_group.permissions.filter(content_type__app_label="django_celery_beat").exists()
    assert not staff_group.permissions.filter(codename__in=["change_proposalevent", "delete_evaluation"]).exists()
    assert login("staff").get("/admin/django_celery_beat/periodictask/").status_code == 403


def test_migrate_withdraws_permissions_an_older_version_granted():
    from members.roles import withdraw_forbidden_staff_permissions

    staff_group = Group.objects.get(name=Role.STAFF)
    staff_group.permissions.add(*Permission.objects.filter(content_type__app_label="django_celery_beat"))
    withdraw_forbidden_staff_permissions()
    assert not staff_group.permissions.filter(content_type__app_label="django_celery_beat").exists()


def test_reverting_to_an_old_version_is_switched_off(settings):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
