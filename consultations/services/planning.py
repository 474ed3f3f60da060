"""Plan, topics and research projects."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed, require_text
from cppcc_portal.notifications import notify
from members.models import Member

from .. import ledger
from ..models import (
    ConsultationPlan,
    FieldVisit,
    ResearchProject,
    Topic,
)
from .common import _apply, _require_staff, _users_of_members


@transaction.atomic
def plan_get_or_create(*, actor, year: int) -> ConsultationPlan:
    _require_staff(actor)
    plan, _ = ConsultationPlan.objects.get_or_create(year=year, defaults={"title": f"{year}年度协商计划"})
    return plan


@transaction.atomic
def topic_save(*, actor, plan: ConsultationPlan, data: dict, topic: Topic | None = None) -> Topic:
    _require_staff(actor, topic)
    data = dict(data)
    departments = data.pop("departments", None)
    topic = Topic.objects.select_for_update(of=("self",)).get(pk=topic.pk) if topic else Topic(plan=plan)
    return _apply(topic, data, {"departments": departments} if departments is not None else None)


@transaction.atomic
def research_save(*, actor, data: dict, project: ResearchProject | None = None) -> ResearchProject:
    _require_staff(actor, project)
    data = dict(data)
    m2m = {field: data.pop(field) for field in ("team", "committees") if data.get(field) is not None}
    data.pop("report_file", None)
    project = (
        ResearchProject.objects.select_for_update(of=("self",)).get(pk=project.pk) if project else ResearchProject()
    )
    if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
        raise ValidationFailed("计划完成日期不能早于开始日期。")
    project = _apply(project, data, m2m)
    ledger.sync(project)  # a finished project's entries follow the lead and team
    return project


@transaction.atomic
def research_add_visit(*, actor, project: ResearchProject, data: dict) -> FieldVisit:
    _require_staff(actor, project)
    return _apply(FieldVisit(project=project), data)


@transaction.atomic
def research_complete(*, actor, project: ResearchProject, summary: str, completed_on: date, report_file=None):
    """The report is in (filed by a member of the team, or by staff for them): store it, and
    credit the lead and the team once each. Filing again replaces the summary and keeps the credits."""
    project = ResearchProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if not actor.has_perm("consultations.file_research_report", project):
        raise PermissionDeniedError("只有课题组成员或机关工作人员可以提交调研报告。")
    require_text(summary, "请填写调研报告摘要。")
    project.report_summary = summary
    project.completed_on = completed_on
    if report_file:
        project.report_file = report_file
    project.save()
    ledger.sync(project)
    return project


@transaction.atomic
def research_invite_members(*, actor, project: ResearchProject, members: Iterable[Member]) -> int:
    """Add members to a project's team (a whole group at once: one transaction, one insert) and tell
    them; their notices are written with the rows and handed to delivery after commit. Those already
    on the team are skipped. Returns how many joined."""
    _require_staff(actor, project)
    project = ResearchProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if project.completed_on:
        raise TransitionNotAllowed("调研报告已完成，不能再增加课题组成员。")
    present = set(project.team.values_list("pk", flat=True)) | {project.lead_id}
    new = [member for member in {m.pk: m for m in members}.values() if member.pk not in present]
    through = ResearchProject.team.through
    through.objects.bulk_create(through(researchproject_id=project.pk, member_id=member.pk) for member in new)
    notify(
        _users_of_members(new),
        kind="consultations.research",
        subject=f"调研邀请：{project.title}",
        body=f"您已被列入调研课题组（{project.starts_on:%Y年%m月%d日}至{project.ends_on:%Y年%m月%d日}）。",
        link=project.get_absolute_url(),
    )
    return len(new)
