"""Members of a research project file its report themselves; others cannot."""

from datetime import date

import pytest
from django.urls import reverse

from consultations import services
from consultations.models import ResearchProject
from cppcc_portal.errors import PermissionDeniedError
from members.enums import PerformanceAct
from members.performance.models import PerformanceRecord

pytestmark = pytest.mark.django_db


def project_led_by_member2() -> ResearchProject:
    return ResearchProject.objects.get(title="农村人居环境整治调研")


def test_the_lead_files_the_report_and_the_team_is_credited(demo):
    project = project_led_by_member2()
    services.research_complete(actor=demo["member2"], project=project, summary="调研发现……", completed_on=date.today())
    project.refresh_from_db()
    assert project.report_summary == "调研发现……" and project.completed_on == date.today()
    credited = set(
        PerformanceRecord.objects.filter(act=PerformanceAct.RESEARCH, source_id=project.pk).values_list(
            "member__user__username", flat=True
        )
    )
    assert "member2" in credited and "member3" in credited


def test_a_member_outside_the_team_cannot_file_it(demo):
    project = project_led_by_member2()
    with pytest.raises(PermissionDeniedError):
        services.research_complete(
            actor=demo["member1"], project=project, summary="不是我的课题", completed_on=date.today()
        )
    with pytest.raises(PermissionDeniedError):
        services.research_complete(
            actor=demo["leader"], project=project, summary="领导也不是课题组成员", completed_on=date.today()
        )
    project.refresh_from_db()
    assert project.completed_on is None


def test_a_team_member_files_through_the_page(login, demo):
    project = project_led_by_member2()
    client = login("member3")  # on the team, not the lead
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'data-offline="调研报告"' in page and "提交调研报告" in page
    response = client.post(
        reverse("consultations:research-report", args=[project.pk]),
        {"summary": "课题组成员提交的报告。", "completed_on": date.today().isoformat()},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.report_summary == "课题组成员提交的报告。"
    assert "提交调研报告" not in login("member1").get(project.get_absolute_url()).content.decode()
