"""特邀监督员 tasks: assigned, reported with photos, forwarded to the department, answered; credited."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations.models import SupervisorAppointment
from consultations.supervision import clocks, services
from consultations.supervision.enums import TaskKind, TaskStatus
from cppcc_portal.deadlines import get_source
from cppcc_portal.deadlines.sweep import run_sweep
from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.models import Notification
from members.enums import PerformanceAct
from members.performance.models import PerformanceRecord

from .builders import aware, org, png, user

pytestmark = pytest.mark.django_db

START = aware(2026, 10, 12, 9, 0)


def appointment(member_username: str | None = "member1", name: str = "") -> SupervisorAppointment:
    member = user(member_username).member if member_username else None
    return SupervisorAppointment.objects.create(
        member=member, name=name, organization=org("区教育局"), starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31)
    )


def assign(appt, **data):
    return services.task_assign(
        actor=user("staff"), appointment=appt, data={"kind": TaskKind.UNDERCOVER, "title": "暗访校园食堂", **data}
    )


@pytest.fixture
def task(demo):
    with time_machine.travel(START, tick=False):
        return assign(appointment())


def credits(member_username):
    return PerformanceRecord.objects.filter(
        member__user__username=member_username, act=PerformanceAct.SUPERVISOR_REPORT
    )


def test_assignment_starts_the_report_clock_and_tells_the_supervisor(task):
    assert task.status == TaskStatus.ASSIGNED
    assert task.organization == org("区教育局")
    assert task.report_due == date(2026, 11, 9)  # 20 working days
    assert Notification.objects.filter(recipient=user("member1"), link=task.get_absolute_url()).exists()


def test_the_whole_way_with_photos_and_the_ledger(task):
    with time_machine.travel(aware(2026, 10, 20, 10, 0), tick=False):
        task = services.task_report(
            actor=user("member1"), task=task, text="食堂后厨卫生不达标。", photos=[png("a.png"), png("b.png")]
        )
    assert task.status == TaskStatus.REPORTED
    assert task.photos.count() == 2
    assert all(p.content_type == "image/png" for p in task.photos.all())
    entry = credits("member1").get()
    assert entry.on == date(2026, 10, 20)
    with pytest.raises(PermissionDeniedError):  # not forwarded yet
        services.task_feedback(actor=user("unit_edu"), task=task, text="已整改")
    with time_machine.travel(aware(2026, 10, 21, 10, 0), tick=False):
        task = services.task_forward(actor=user("staff"), task=task, note="请整改")
    assert task.feedback_due == date(2026, 11, 11)  # 15 working days
    with time_machine.travel(aware(2026, 10, 30, 10, 0), tick=False):
        task = services.task_feedback(actor=user("unit_edu"), task=task, text="已整改到位。")
    assert task.status == TaskStatus.ANSWERED
    assert list(task.events.values_list("to_status", flat=True)) == [
        TaskStatus.ASSIGNED,
        TaskStatus.REPORTED,
        TaskStatus.FORWARDED,
        TaskStatus.ANSWERED,
    ]
    assert Notification.objects.filter(recipient=user("member1"), subject__contains="已反馈").exists()


def test_a_report_is_filed_once(task):
    services.task_report(actor=user("member1"), task=task, text="报告")
    with pytest.raises(TransitionNotAllowed):
        services.task_report(actor=user("member1"), task=task, text="再报")
    assert credits("member1").count() == 1


def test_another_member_may_not_report_and_the_office_may_not_skip_the_report(task):
    with pytest.raises(PermissionDeniedError):
        services.task_report(actor=user("member2"), task=task, text="报告")
    with pytest.raises(TransitionNotAllowed):
        services.task_forward(actor=user("staff"), task=task)
    with pytest.raises(PermissionDeniedError):
        services.task_forward(actor=user("member1"), task=task)


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_filed(task):
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationFailed, match="不是有效的图片"):
        services.task_report(actor=user("member1"), task=task, text="报告", photos=[fake])
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED
    assert not task.photos.exists()


def test_a_supervisor_from_outside_is_recorded_not_credited(demo):
    outsider = appointment(None, name="李建国")
    task = assign(outsider)
    services.task_report(actor=user("staff"), task=task, text="窗口服务规范。")
    assert not PerformanceRecord.objects.filter(act=PerformanceAct.SUPERVISOR_REPORT, source_id=task.pk).exists()
    assert SupervisorAppointment.objects.get(pk=outsider.pk).tasks.filter(reported_on__isnull=False).count() == 1


def test_a_supervisor_out_of_term_gets_no_task(demo):
    expired = SupervisorAppointment.objects.create(
        member=user("member2").member,
        organization=org("区教育局"),
        starts_on=date(2020, 1, 1),
        ends_on=date(2021, 1, 1),
    )
    with pytest.raises(ValidationFailed, match="聘期"):
        assign(expired)


def test_the_report_clock_reminds_the_supervisor_and_escalates_to_staff(task):
    key = clocks.TASK_REPORT
    with time_machine.travel(aware(2026, 11, 2, 9, 0), tick=False):  # 5 working days before the 9th
        run_sweep(keys=[key], deliver=False)
    notices = Notification.objects.filter(link=task.get_absolute_url(), kind__startswith="deadline.")
    assert notices.filter(kind="deadline.remind", recipient=user("member1")).count() == 1
    with time_machine.travel(aware(2026, 11, 10, 9, 0), tick=False):
        run_sweep(keys=[key], deliver=False)
    assert notices.filter(kind="deadline.escalate", recipient=user("staff")).count() == 1
    services.task_report(actor=user("member1"), task=task, text="报告")
    assert task.pk not in set(get_source(key).queryset().values_list("pk", flat=True))


def test_the_feedback_clock_runs_from_forwarding_until_the_department_answers(task):
    key = clocks.TASK_FEEDBACK
    with time_machine.travel(START, tick=False):
        services.task_report(actor=user("member1"), task=task, text="报告")
        task = services.task_forward(actor=user("staff"), task=task)
    assert task.feedback_due == date(2026, 11, 2)
    assert task.pk in set(get_source(key).queryset().values_list("pk", flat=True))
    with time_machine.travel(aware(2026, 11, 3, 9, 0), tick=False):
        run_sweep(keys=[key], deliver=False)
    assert Notification.objects.filter(
        link=task.get_absolute_url(), kind="deadline.escalate", recipient=user("unit_edu")
    ).exists()
    services.task_feedback(actor=user("unit_edu"), task=task, text="已整改")
    assert task.pk not in set(get_source(key).queryset().values_list("pk", flat=True))
