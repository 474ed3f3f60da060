"""The supervision year through the pages, as the demo users use it."""

from datetime import timedelta

from django.utils import timezone

from consultations.models import SupervisionForm
from consultations.supervision import demo as sd
from consultations.supervision.enums import RecordKind, Stage, TaskStatus
from consultations.supervision.models import Question, SupervisionItem, SupervisorTask
from members.enums import PerformanceAct
from members.performance.models import PerformanceRecord

from .builders import org, png


def test_the_plan_page_shows_key_topics_against_last_year_and_the_items_stages(login):
    year = timezone.localdate().year
    body = login("member1").get(f"/consultations/supervision/{year}/").content.decode()
    assert f"{year}年重点监督议题" in body and "3 / 4（75.0%）" in body
    assert f"{year - 1}年" in body and "1 / 4（25.0%）" in body and "占比提高" in body
    assert sd.ITEM_TRACKING in body and sd.ITEM_DONE in body


def test_staff_open_an_item_and_walk_it_to_communicating(login):
    client = login("staff")
    year = timezone.localdate().year
    response = client.post(
        f"/consultations/supervision/{year}/items/new/",
        {
            "title": "页面新建事项",
            "form": SupervisionForm.objects.get(name="专项监督").pk,
            "departments": [org("区教育局").pk],
        },
    )
    item = SupervisionItem.objects.get(title="页面新建事项")
    assert response.url == item.get_absolute_url()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "当前环节：知情" in page
    refused = client.post(
        f"/consultations/supervision/items/{item.pk}/stage/", {"to": Stage.COMMUNICATING}, follow=True
    )
    assert "请先录入部门情况通报" in refused.content.decode()
    client.post(
        f"/consultations/supervision/items/{item.pk}/records/",
        {"kind": RecordKind.BRIEFING, "title": "区教育局情况通报", "happened_on": timezone.localdate().isoformat()},
    )
    client.post(f"/consultations/supervision/items/{item.pk}/stage/", {"to": Stage.COMMUNICATING})
    item.refresh_from_db()
    assert item.stage == Stage.COMMUNICATING
    assert "当前环节：沟通" in client.get(item.get_absolute_url()).content.decode()


def test_the_department_sends_its_formal_feedback_through_its_page(login):
    item = SupervisionItem.objects.get(title=sd.ITEM_FEEDBACK)
    client = login("unit_edu")
    assert "录入反馈环节材料" in client.get(item.get_absolute_url()).content.decode()
    client.post(
        f"/consultations/supervision/items/{item.pk}/records/",
        {
            "kind": RecordKind.FEEDBACK,
            "title": "关于课后服务的办理反馈",
            "happened_on": timezone.localdate().isoformat(),
        },
    )
    record = item.records.get(kind=RecordKind.FEEDBACK)
    assert record.organization == org("区教育局")


def test_a_member_asks_ahead_of_the_next_session(login):
    item = SupervisionItem.objects.get(title=sd.ITEM_QUESTIONS)
    client = login("member1")
    page = client.get(item.get_absolute_url()).content.decode()
    assert "提交问题" in page
    session = item.sessions.get(title=sd.QUESTION_SESSION_NEXT)
    client.post(
        f"/consultations/supervision/items/{item.pk}/questions/",
        {"session": session.pk, "organization": org("区民政局").pk, "text": "养老服务站运营补贴何时到位？"},
    )
    assert Question.objects.filter(session=session, member__user__username="member1").exists()


def test_the_unit_answers_an_owed_question_in_writing_through_its_page(login):
    question = Question.objects.get(text=sd.QUESTION_OWED)
    client = login("unit_edu")
    assert "待书面答复" in client.get("/consultations/supervision/questions/").content.decode()
    page = client.get(question.get_absolute_url()).content.decode()
    assert "书面答复" in page
    client.post(question.get_absolute_url(), {"text": "已于本月在各校公示。", "answered_by_name": "王局长"})
    question.refresh_from_db()
    assert question.answer_kind == "written" and question.answered_by_name == "王局长"


def test_staff_record_the_heads_answer_at_the_session(login):
    question = Question.objects.filter(session__title=sd.QUESTION_SESSION_PAST, answered_at__isnull=True).first()
    client = login("staff")
    client.post(
        f"/consultations/supervision/questions/{question.pk}/session-answer/",
        {"answered_by_name": "区教育局 王局长", "text": "下月公示。"},
    )
    question.refresh_from_db()
    assert question.answer_kind == "session"


def test_a_supervisor_reports_with_a_photo_and_is_credited(login):
    task = SupervisorTask.objects.get(title=sd.TASK_TO_REPORT)
    client = login("member2")
    assert "提交监督报告" in client.get(task.get_absolute_url()).content.decode()
    client.post(
        f"/consultations/supervisors/tasks/{task.pk}/report/",
        {"text": "两家店未公示食品经营许可证。", "photos": [png("现场.png")]},
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.REPORTED and task.photos.count() == 1
    assert PerformanceRecord.objects.filter(
        member__user__username="member2", act=PerformanceAct.SUPERVISOR_REPORT, source_id=task.pk
    ).exists()
    photo = task.photos.get()
    assert client.get(f"/consultations/supervisors/photos/{photo.pk}/").status_code == 200


def test_a_bad_photo_shows_a_chinese_message_and_files_nothing(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = SupervisorTask.objects.get(title=sd.TASK_TO_REPORT)
    response = login("member2").post(
        f"/consultations/supervisors/tasks/{task.pk}/report/",
        {"text": "报告", "photos": [SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")]},
    )
    assert response.status_code == 200 and "不是有效的图片文件" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


def test_the_department_answers_a_forwarded_report(login):
    task = SupervisorTask.objects.get(title=sd.TASK_FORWARDED)
    client = login("unit_edu")
    assert "待区教育局" in client.get(task.get_absolute_url()).content.decode()
    client.post(f"/consultations/supervisors/tasks/{task.pk}/feedback/", {"text": "已全部公示。"})
    task.refresh_from_db()
    assert task.status == TaskStatus.ANSWERED


def test_what_a_department_and_a_supervisor_owe_is_on_their_workbench(login):
    edu = login("unit_edu").get("/").content.decode()
    assert "民主监督待办" in edu and sd.ITEM_FEEDBACK in edu and sd.TASK_FORWARDED in edu
    member2 = login("member2").get("/").content.decode()
    assert sd.TASK_TO_REPORT in member2


def test_a_question_cannot_be_asked_for_a_session_already_held(login):
    item = SupervisionItem.objects.get(title=sd.ITEM_QUESTIONS)
    past = item.sessions.get(title=sd.QUESTION_SESSION_PAST)
    assert past.starts_at < timezone.now() - timedelta(hours=1)
    before = Question.objects.count()
    response = login("member1").post(
        f"/consultations/supervision/items/{item.pk}/questions/",
        {"session": past.pk, "organization": org("区民政局").pk, "text": "迟到的问题"},
        follow=True,
    )
    assert response.status_code == 200
    assert Question.objects.count() == before
