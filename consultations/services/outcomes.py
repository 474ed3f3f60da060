"""Outcomes, their sending, 批示 and department adoption."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.notifications import notify
from members.models import Organization, User

from .. import clocks
from ..models import (
    AdoptionFeedback,
    Delivery,
    Instruction,
    Outcome,
    Suggestion,
)
from .common import _apply, _require_staff


@transaction.atomic
def outcome_save(*, actor, data: dict, outcome: Outcome | None = None) -> Outcome:
    _require_staff(actor, outcome)
    outcome = Outcome.objects.select_for_update(of=("self",)).get(pk=outcome.pk) if outcome else Outcome()
    if data.get("session") and not data.get("topic"):
        data = {**data, "topic": data["session"].topic}
    outcome = _apply(outcome, data)
    _refresh_feedback_state(outcome)
    return outcome


@transaction.atomic
def suggestion_add(*, actor, outcome: Outcome, text: str, departments: Iterable[Organization]) -> Suggestion:
    _require_staff(actor, outcome)
    outcome = Outcome.objects.select_for_update(of=("self",)).get(pk=outcome.pk)
    number = (outcome.suggestions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    suggestion = _apply(Suggestion(outcome=outcome, number=number), {"text": text}, {"departments": departments})
    _refresh_feedback_state(outcome)
    return suggestion


@transaction.atomic
def delivery_add(*, actor, outcome: Outcome, body: str, sent_on: date) -> Delivery:
    """Record a sending; the first one starts the 30-working-day feedback clock."""
    _require_staff(actor, outcome)
    outcome = Outcome.objects.select_for_update(of=("self",)).get(pk=outcome.pk)
    delivery = _apply(Delivery(outcome=outcome), {"body": body, "sent_on": sent_on})
    if outcome.first_sent_on is None or sent_on < outcome.first_sent_on:
        outcome.first_sent_on = sent_on
        outcome.feedback_due = clocks.due_date(clocks.FEEDBACK, sent_on)
        outcome.save(update_fields=["first_sent_on", "feedback_due"])
    _refresh_feedback_state(outcome)
    departments = Organization.objects.filter(consultation_suggestions__outcome=outcome).distinct()
    notify(
        User.objects.filter(is_active=True, organization__in=departments),
        kind="consultations.outcome",
        subject=f"协商成果请反馈落实情况：{outcome.title}",
        body=f"请于{outcome.feedback_due:%Y年%m月%d日}前反馈采纳落实情况。",
        link=outcome.get_absolute_url(),
    )
    return delivery


@transaction.atomic
def instruction_add(*, actor, outcome: Outcome, data: dict) -> Instruction:
    _require_staff(actor, outcome)
    return _apply(Instruction(outcome=outcome), data)


@transaction.atomic
def adoption_record(
    *, actor, suggestion: Suggestion, organization: Organization, adoption: str, text: str, replied_on: date
) -> AdoptionFeedback:
    """A department's answer to one suggestion (staff, or the department's own users)."""
    outcome = Outcome.objects.select_for_update(of=("self",)).get(pk=suggestion.outcome_id)
    if not actor.has_perm("consultations.answer_outcome", outcome):
        raise PermissionDeniedError("您无权反馈此项协商成果。")
    if not actor.has_perm("consultations.manage") and actor.organization_id != organization.pk:
        raise PermissionDeniedError("只能反馈本单位的采纳落实情况。")
    if not suggestion.departments.filter(pk=organization.pk).exists() and not actor.has_perm("consultations.manage"):
        raise ValidationFailed("该建议未交本单位落实。")
    if outcome.first_sent_on is None:
        raise TransitionNotAllowed("成果尚未报送，不能录入反馈。")
    feedback, _ = AdoptionFeedback.objects.update_or_create(
        suggestion=suggestion,
        organization=organization,
        defaults={"adoption": adoption, "text": text, "replied_on": replied_on, "recorded_by": actor},
    )
    _refresh_feedback_state(outcome)
    return feedback


def _refresh_feedback_state(outcome: Outcome) -> None:
    """Feedback is complete when every suggestion is answered by each named department."""
    suggestions = list(outcome.suggestions.prefetch_related("departments", "feedback"))
    complete = bool(suggestions) and outcome.first_sent_on is not None
    for suggestion in suggestions:
        answered = {feedback.organization_id for feedback in suggestion.feedback.all()}
        named = {department.pk for department in suggestion.departments.all()}
        if (named and not named <= answered) or not answered:
            complete = False
    if complete and outcome.feedback_completed_on is None:
        outcome.feedback_completed_on = max(f.replied_on for s in suggestions for f in s.feedback.all())
        outcome.save(update_fields=["feedback_completed_on"])
    elif not complete and outcome.feedback_completed_on is not None:
        outcome.feedback_completed_on = None
        outcome.save(update_fields=["feedback_completed_on"])
