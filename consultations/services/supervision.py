"""Democratic supervision and the personal calendar feed."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed, require_text

from .. import ledger
from ..models import (
    CalendarToken,
    Inspection,
    SupervisionPlan,
    SupervisionTopic,
    SupervisorAppointment,
    new_token,
)
from .common import _apply, _require_staff


@transaction.atomic
def supervision_topic_save(*, actor, plan: SupervisionPlan, data: dict, topic=None) -> SupervisionTopic:
    _require_staff(actor)
    data = dict(data)
    departments = data.pop("departments", None)
    topic = (
        SupervisionTopic.objects.select_for_update(of=("self",)).get(pk=topic.pk)
        if topic
        else SupervisionTopic(plan=plan)
    )
    return _apply(topic, data, {"departments": departments} if departments is not None else None)


@transaction.atomic
def inspection_save(*, actor, data: dict, inspection: Inspection | None = None) -> Inspection:
    """Save a 视察; once its date has come, each participant is credited once (and only while listed)."""
    _require_staff(actor, inspection)
    data = dict(data)
    participants = data.pop("participants", None)
    departments = data.pop("departments", None)
    committees = data.pop("committees", None)
    inspection = (
        Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk) if inspection else Inspection()
    )
    m2m = {}
    if participants is not None:
        m2m["participants"] = participants
    if departments is not None:
        m2m["departments"] = departments
    if committees is not None:
        m2m["committees"] = committees
    inspection = _apply(inspection, data, m2m)
    ledger.sync(inspection)
    return inspection


@transaction.atomic
def inspection_feedback(*, actor, inspection: Inspection, text: str, on: date) -> Inspection:
    if not actor.has_perm("consultations.answer_inspection", inspection):
        raise PermissionDeniedError("您无权反馈此次视察。")
    require_text(text, "请填写反馈内容。")
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)
    inspection.feedback_text = text
    inspection.feedback_on = on
    inspection.save(update_fields=["feedback_text", "feedback_on"])
    return inspection


@transaction.atomic
def appointment_save(*, actor, data: dict) -> SupervisorAppointment:
    _require_staff(actor)
    if data["ends_on"] <= data["starts_on"]:
        raise ValidationFailed("聘期结束日期必须晚于开始日期。")
    if not data.get("member") and not (data.get("name") or "").strip():
        raise ValidationFailed("请选择委员，或填写非委员特邀监督员的姓名。")
    return _apply(SupervisorAppointment(), data)


@transaction.atomic
def calendar_token_reset(*, actor) -> CalendarToken:
    """A new secret: the old feed URL stops working at once."""
    if not actor.has_perm("consultations.own_calendar"):
        raise PermissionDeniedError("只有委员可以订阅会议日历。")
    token, _ = CalendarToken.objects.select_for_update(of=("self",)).get_or_create(user=actor)
    token.token = new_token()
    token.save()
    return token
