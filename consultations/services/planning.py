"""Plan, topics and research projects."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cppcc_portal.errors import ValidationFailed, require_text

from .. import ledger
from ..models import (
    ConsultationPlan,
    FieldVisit,
    ResearchProject,
    Topic,
)
from .common import _apply, _require_staff


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
    team = data.pop("team", None)
    data.pop("report_file", None)
    project = (
        ResearchProject.objects.select_for_update(of=("self",)).get(pk=project.pk) if project else ResearchProject()
    )
    if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
        raise ValidationFailed("计划完成日期不能早于开始日期。")
    project = _apply(project, data, {"team": team} if team is not None else None)
    ledger.sync(project)  # a finished project's entries follow the lead and team
    return project


@transaction.atomic
def research_add_visit(*, actor, project: ResearchProject, data: dict) -> FieldVisit:
    _require_staff(actor, project)
    return _apply(FieldVisit(project=project), data)


@transaction.atomic
def research_complete(*, actor, project: ResearchProject, summary: str, completed_on: date, report_file=None):
    """The report is in: store it, and credit the lead and the team once each."""
    _require_staff(actor, project)
    project = ResearchProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    require_text(summary, "请填写调研报告摘要。")
    project.report_summary = summary
    project.completed_on = completed_on
    if report_file:
        project.report_file = report_file
    project.save()
    ledger.sync(project)
    return project
