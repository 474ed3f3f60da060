"""Staff keep the plan, research, outcomes and supervision through the pages."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations import demo as d
from consultations.models import (
    ConsultationForm,
    FieldVisit,
    Inspection,
    Outcome,
    ResearchProject,
    Session,
    SupervisionForm,
    SupervisionTopic,
    SupervisorAppointment,
    Topic,
)
from members.models import Committee, Member, Organization

from .factories import make_session

pytestmark = pytest.mark.django_db


def pk_of(username):
    return Member.objects.get(user__username=username).pk


def test_topic_added_to_a_plan_and_edited(login):
    client = login("staff")
    edu = Organization.objects.get(name="区教育局")
    data = {
        "title": "托育服务体系建设",
        "form": ConsultationForm.objects.get(name="协商座谈会").pk,
        "source": "member",
        "lead_committee": Committee.objects.first().pk,
        "planned_quarter": 2,
        "departments": [edu.pk],
        "order": 1,
    }
    response = client.post("/consultations/plan/2032/topics/new/", data)
    topic = Topic.objects.get(title="托育服务体系建设")
    assert response["Location"] == topic.get_absolute_url() and topic.plan.year == 2032
    client.post(f"/consultations/topics/{topic.pk}/edit/", {**data, "planned_quarter": 3})
    topic.refresh_from_db()
    assert topic.planned_quarter == 3
    assert "托育服务体系建设" in client.get("/consultations/plan/2032/").content.decode()


def test_research_project_with_visit_and_report_file(login):
    client = login("staff")
    client.post(
        "/consultations/research/new/",
        {
            "title": "托育调研",
            "lead": pk_of("member2"),
            "team": [pk_of("member3")],
            "starts_on": "2026-03-01",
            "ends_on": "2026-05-01",
            "schedule": "三月走访",
        },
    )
    project = ResearchProject.objects.get(title="托育调研")
    client.post(f"/consultations/research/{project.pk}/visits/", {"visited_on": "2026-03-10", "place": "某托育机构"})
    assert FieldVisit.objects.filter(project=project).count() == 1
    report = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    client.post(
        f"/consultations/research/{project.pk}/report/",
        {"summary": "托育供给不足", "completed_on": "2026-05-01", "report_file": report},
    )
    project.refresh_from_db()
    assert project.completed_on and project.report_file
    download = login("member1").get(f"/consultations/research/{project.pk}/file/")
    assert download.status_code == 200


def test_session_edit_and_minutes_after_the_session(login):
    client = login("staff")
    session = make_session(starts_at=timezone.now() - timedelta(hours=3), hours=2)
    start = timezone.localtime(session.starts_at)
    client.post(
        f"/consultations/sessions/{session.pk}/edit/",
        {
            "s-title": "改名后的协商会",
            "s-form": session.form_id,
            "s-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "s-ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "s-venue": "新会场",
        },
    )
    session.refresh_from_db()
    assert session.title == "改名后的协商会" and session.venue == "新会场"
    minutes = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    client.post(f"/consultations/sessions/{session.pk}/minutes/", {"text": "会议纪要", "file": minutes})
    session.refresh_from_db()
    assert session.minutes_done_at and session.minutes_text == "会议纪要"
    assert login("member1").get(f"/consultations/sessions/{session.pk}/minutes/file/").status_code == 200


def test_minutes_refused_before_the_session_ends(login):
    session = make_session()
    response = login("staff").post(f"/consultations/sessions/{session.pk}/minutes/", {"text": "提前写"}, follow=True)
    assert "会议结束后才能录入纪要" in response.content.decode()
    assert Session.objects.get(pk=session.pk).minutes_done_at is None


def test_staff_add_invitees_officials_and_outsiders_later(login):
    session = make_session(required=())
    client = login("staff")
    client.post(f"/consultations/sessions/{session.pk}/invite/", {"kind": "required", "member": [pk_of("member2")]})
    client.post(
        f"/consultations/sessions/{session.pk}/invite/",
        {
            "i-units": [Organization.objects.get(name="区卫生健康委员会").pk],
            "o-TOTAL_FORMS": 1,
            "o-INITIAL_FORMS": 0,
            "o-0-name": "吴专家",
            "o-0-identity": "expert",
        },
    )
    assert session.invitations.get().member_id == pk_of("member2")
    assert session.officials.get().organization.name == "区卫生健康委员会"
    assert session.outsiders.get().name == "吴专家"
    assert login("unit_health").get(session.get_absolute_url()).status_code == 200


def test_outcome_with_suggestion_delivery_and_instruction(login):
    client = login("staff")
    session = Session.objects.get(title=d.PAST_ATTENDED)
    client.post("/consultations/outcomes/new/", {"kind": "proposal", "title": "新建议案", "session": session.pk})
    outcome = Outcome.objects.get(title="新建议案")
    assert outcome.topic_id == session.topic_id  # taken from the session
    edu = Organization.objects.get(name="区教育局")
    client.post(f"/consultations/outcomes/{outcome.pk}/suggestions/", {"text": "建议一", "departments": [edu.pk]})
    client.post(f"/consultations/outcomes/{outcome.pk}/deliveries/", {"body": "区委", "sent_on": "2026-10-12"})
    client.post(
        f"/consultations/outcomes/{outcome.pk}/instructions/",
        {"leader_name": "区委书记", "level": "party_chief", "instructed_on": "2026-10-20", "text": "请研究"},
    )
    outcome.refresh_from_db()
    assert outcome.suggestions.count() == 1 and outcome.deliveries.count() == 1 and outcome.instructions.count() == 1
    assert outcome.feedback_due is not None
    assert "新建议案" in client.get("/consultations/outcomes/?awaiting=1").content.decode()


def test_supervision_topic_inspection_and_supervisor(login):
    client = login("staff")
    year = timezone.localdate().year
    client.post(
        f"/consultations/supervision/{year}/topics/new/",
        {"title": "食品安全专项监督", "form": SupervisionForm.objects.get(name="专项监督").pk, "planned_quarter": 4},
    )
    topic = SupervisionTopic.objects.get(title="食品安全专项监督")
    client.post(
        "/consultations/inspections/new/",
        {
            "topic": topic.pk,
            "title": "视察：食品安全",
            "inspected_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "place": "农贸市场",
            "participants": [pk_of("member1"), pk_of("member2")],
            "departments": [Organization.objects.get(name="区市场监督管理局").pk],
            "findings": "问题",
            "suggestions": "建议",
        },
    )
    inspection = Inspection.objects.get(title="视察：食品安全")
    assert inspection.participants.count() == 2
    client.post(
        "/consultations/supervisors/new/",
        {
            "member": pk_of("member1"),
            "organization": Organization.objects.get(name="区民政局").pk,
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
        },
    )
    assert SupervisorAppointment.objects.filter(member_id=pk_of("member1"), organization__name="区民政局").exists()
    assert "区民政局" in login("member2").get("/consultations/supervisors/").content.decode()


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/consultations/research/new/", ("lead", "team")),
        ("/consultations/inspections/new/", ("participants",)),
        ("/consultations/online/new/", ("members",)),
        ("/consultations/supervisors/new/", ("member",)),
    ],
)
def test_member_fields_are_searched_not_listed(login, url, fields):
    """Members are picked by searching (members:pick), never from a <select> of every member."""
    page = login("staff").get(url).content.decode()
    for name in fields:
        assert f'<select name="{name}"' not in page
        assert f'"field": "{name}"' in page, f"{name}: a member picker"
    assert Member.objects.get(user__username="member1").name not in page


def test_research_edit_shows_the_chosen_team_and_checks_the_picks_in_chinese(login):
    client = login("staff")
    project = ResearchProject.objects.filter(team__isnull=False).select_related("lead").first()
    page = client.get(f"/consultations/research/{project.pk}/edit/").content.decode()
    assert f'name="lead" value="{project.lead_id}" checked' in page
    for member in project.team.all():
        assert f'name="team" value="{member.pk}" checked' in page
    retired = Member.objects.filter(status="active").exclude(research=project).exclude(led_research=project).last()
    Member.objects.filter(pk=retired.pk).update(status="left")
    response = client.post(
        "/consultations/research/new/",
        {"title": "选错人的课题", "team": [retired.pk], "starts_on": "2026-03-01", "ends_on": "2026-05-01"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "lead" in errors and "team" in errors
    assert errors["lead"] == ["这个字段是必填项。"] and errors["team"][0].startswith("选择一个有效的选项")
    assert not ResearchProject.objects.filter(title="选错人的课题").exists()
