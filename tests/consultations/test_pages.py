"""Pages: the list for each role, creating a session, materials, the feed, outside participants."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from consultations import demo as d
from consultations import services
from consultations.models import CalendarToken, ConsultationForm, OutsideParticipant, Session, SessionMaterial
from members.models import Member, User

from .factories import make_session

pytestmark = pytest.mark.django_db


def test_member_sees_only_invited_and_public_sessions(login):
    hidden = make_session(required=("member2",), title="仅邀请王淑芬的会")
    body = login("member1").get("/consultations/").content.decode()
    assert d.UPCOMING_QINGNI in body and d.UPCOMING_PUBLIC in body
    assert hidden.title not in body
    assert hidden.title in login("member2").get("/consultations/").content.decode()
    assert hidden.title in login("leader").get("/consultations/").content.decode()


def test_unit_sees_only_sessions_it_is_invited_to(login):
    assert d.UPCOMING_QINGNI in login("unit_edu").get("/consultations/").content.decode()
    body = login("unit_health").get("/consultations/").content.decode()
    assert d.UPCOMING_QINGNI not in body and d.UPCOMING_PUBLIC not in body


def test_list_page_query_count_does_not_grow_with_sessions(login):
    client = login("member1")
    client.get("/consultations/")
    with CaptureQueriesContext(connection) as before:
        client.get("/consultations/")
    for index in range(6):
        make_session(required=("member1", "member2"), is_public=index % 2 == 0, title=f"加场{index}")
    with CaptureQueriesContext(connection) as after:
        response = client.get("/consultations/")
    assert "加场5" in response.content.decode()
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def test_staff_list_page_query_count_does_not_grow(login):
    client = login("staff")
    client.get("/consultations/")
    with CaptureQueriesContext(connection) as before:
        client.get("/consultations/")
    for index in range(5):
        make_session(required=("member1",), title=f"员工视角{index}")
    with CaptureQueriesContext(connection) as after:
        client.get("/consultations/")
    assert len(after) == len(before)


def test_plan_page_query_count_does_not_grow_with_topics(login):
    year = timezone.localdate().year
    client = login("staff")
    client.get(f"/consultations/plan/{year}/")
    with CaptureQueriesContext(connection) as before:
        client.get(f"/consultations/plan/{year}/")
    staff = User.objects.get(username="staff")
    plan = services.plan_get_or_create(actor=staff, year=year)
    for index in range(5):
        services.topic_save(
            actor=staff,
            plan=plan,
            data={
                "title": f"新增议题{index}",
                "form": ConsultationForm.objects.first(),
                "source": "member",
                "planned_quarter": 4,
            },
        )
    with CaptureQueriesContext(connection) as after:
        client.get(f"/consultations/plan/{year}/")
    assert len(after) == len(before)


def test_staff_create_a_session_with_outside_participants_through_the_page(login):
    client = login("staff")
    start = timezone.localtime() + timedelta(days=30)
    m1, m2 = Member.objects.get(user__username="member1"), Member.objects.get(user__username="member2")
    response = client.post(
        "/consultations/sessions/new/",
        {
            "s-title": "请你来商量：课后托管",
            "s-form": ConsultationForm.objects.get(name="请你来商量").pk,
            "s-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "s-ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "s-venue": "区实验小学",
            "o-TOTAL_FORMS": 3,
            "o-INITIAL_FORMS": 0,
            "o-0-name": "赵家长",
            "o-0-identity": "parent",
            "o-0-contact": "13800000009",
            "o-1-name": "钱老师",
            "o-1-identity": "teacher",
        },
    )
    session = Session.objects.get(title="请你来商量：课后托管")
    # Members are invited next, by group, on the invitation page.
    assert response.status_code == 302 and response["Location"] == f"/consultations/sessions/{session.pk}/invite/"
    invite = f"/consultations/sessions/{session.pk}/invite/"
    client.post(invite, {"kind": "required", "member": [m1.pk]})
    client.post(invite, {"kind": "signup", "member": [m2.pk]})
    assert {i.member_id: i.kind for i in session.invitations.all()} == {m1.pk: "required", m2.pk: "signup"}
    assert list(session.outsiders.values_list("name", "identity")) == [("赵家长", "parent"), ("钱老师", "teacher")]
    assert session.notice_due < session.session_date < session.minutes_due


def test_outside_participants_never_get_logins(login):
    users = User.objects.count()
    make_session(required=(), outsiders=[services.OutsiderData("孙同学", "student")], form="请你来商量")
    assert User.objects.count() == users
    assert "user" not in {field.name for field in OutsideParticipant._meta.get_fields()}


def test_outsider_without_identity_is_refused(login):
    client = login("staff")
    start = timezone.localtime() + timedelta(days=30)
    response = client.post(
        "/consultations/sessions/new/",
        {
            "s-title": "缺身份",
            "s-form": ConsultationForm.objects.first().pk,
            "s-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "s-ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "s-venue": "某处",
            "o-TOTAL_FORMS": 1,
            "o-INITIAL_FORMS": 0,
            "o-0-name": "某人",
        },
    )
    assert response.status_code == 200 and "请选择身份" in response.content.decode()
    assert not Session.objects.filter(title="缺身份").exists()


def test_materials_upload_checks_content_and_download_checks_access(login):
    session = make_session(required=("member1",))
    client = login("staff")
    fake = SimpleUploadedFile("evil.pdf", b"\x00\x01\x02binary", content_type="application/pdf")
    response = client.post(
        f"/consultations/sessions/{session.pk}/materials/", {"title": "假文件", "file": fake}, follow=True
    )
    assert "只接受" in response.content.decode()
    pdf = SimpleUploadedFile("agenda.pdf", b"%PDF-1.4 agenda", content_type="application/pdf")
    client.post(f"/consultations/sessions/{session.pk}/materials/", {"title": "会议议程", "file": pdf})
    material = SessionMaterial.objects.get(session=session)
    assert "consultations/" in material.file.name
    download = login("member1").get(f"/consultations/materials/{material.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert login("member2").get(f"/consultations/materials/{material.pk}/").status_code == 403
    client = login("staff")
    client.post(f"/consultations/sessions/{session.pk}/materials/circulate/")
    session.refresh_from_db()
    assert session.materials_sent_at is not None


def test_personal_calendar_feed_and_reset(client, demo):
    client.force_login(demo["member1"])
    page = client.get("/consultations/").content.decode()
    token = CalendarToken.objects.get(user=demo["member1"]).token
    assert len(token) >= 32 and token in page
    client.logout()
    feed = client.get(f"/consultations/calendar/{token}.ics")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    summaries = [str(event["summary"]) for event in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert d.UPCOMING_QINGNI in summaries
    assert d.UPCOMING_PUBLIC not in summaries  # not invited

    client.force_login(demo["member1"])
    client.post("/consultations/calendar/reset/")
    client.logout()
    assert client.get(f"/consultations/calendar/{token}.ics").status_code == 404
    fresh = CalendarToken.objects.get(user=demo["member1"]).token
    assert fresh != token and client.get(f"/consultations/calendar/{fresh}.ics").status_code == 200


def test_unit_answers_its_suggestion_on_the_outcome_page(login):
    from consultations.models import AdoptionFeedback, Outcome

    outcome = Outcome.objects.get(title=d.OUTCOME_PARTIAL)
    suggestion = outcome.suggestions.get(number=1)
    client = login("unit_health")
    page = client.get(outcome.get_absolute_url()).content.decode()
    assert page.count("录入/修改反馈") == 1  # only its own suggestion
    client.post(
        f"/consultations/outcomes/{outcome.pk}/feedback/",
        {
            "suggestion": suggestion.pk,
            "organization": User.objects.get(username="unit_health").organization_id,
            "adoption": "adopted",
            "text": "已增设床位 40 张",
            "replied_on": timezone.localdate().isoformat(),
        },
    )
    assert AdoptionFeedback.objects.get(suggestion=suggestion).adoption == "adopted"
    outcome.refresh_from_db()
    assert outcome.feedback_completed_on is not None


def test_staff_workbench_shows_upcoming_sessions_and_outcomes_awaiting_feedback(login):
    body = login("staff").get("/").content.decode()
    assert "协商议政" in body and d.UPCOMING_QINGNI in body and d.OUTCOME_PARTIAL in body
    awaiting = login("staff").get("/consultations/outcomes/?awaiting=1").content.decode()
    assert d.OUTCOME_PARTIAL in awaiting and d.OUTCOME_DONE not in awaiting


def test_unit_gives_inspection_feedback(login):
    from consultations.models import Inspection

    inspection = Inspection.objects.get(title=d.INSPECTION_AWAITING)
    login("unit_edu").post(
        f"/consultations/inspections/{inspection.pk}/feedback/",
        {"text": "已增加课后服务课程", "on": timezone.localdate().isoformat()},
    )
    inspection.refresh_from_db()
    assert inspection.feedback_on == timezone.localdate()


def test_supervision_page_lists_topics_inspections_and_supervisors(login):
    year = timezone.localdate().year
    body = login("member1").get(f"/consultations/supervision/{year}/").content.decode()
    assert "北运河水环境治理" in body and d.INSPECTION_WITH_FEEDBACK in body and "区市场监督管理局" in body


def test_seeding_again_changes_nothing():
    import io

    from consultations.demo import seed_consultations

    before = Session.objects.count()
    seed_consultations(io.StringIO())
    assert Session.objects.count() == before


def test_unit_workbench_lists_what_the_unit_owes(login):
    health = login("unit_health").get("/").content.decode()
    assert d.OUTCOME_PARTIAL in health and d.INSPECTION_AWAITING not in health
    edu = login("unit_edu").get("/").content.decode()
    assert d.INSPECTION_AWAITING in edu and d.OUTCOME_PARTIAL not in edu


def test_leader_reads_the_roster_but_cannot_decide_leave(login):
    session = Session.objects.get(title=d.UPCOMING_QINGNI)
    body = login("leader").get(session.get_absolute_url()).content.decode()
    assert 'id="invitations"' in body and "批准" not in body
    assert "批准" in login("staff").get(session.get_absolute_url()).content.decode()
    assert 'id="invitations"' not in login("member1").get(session.get_absolute_url()).content.decode()


def test_past_invitation_without_check_in_shows_as_absent(login):
    body = login("member1").get("/consultations/").content.decode()
    assert "未出席" in body
