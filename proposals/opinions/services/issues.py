"""社情民意 issues: the research office compiles adopted reports into 《社情民意》第N期 or a 专报,
numbered per kind and year without gaps, and records whom each issue was sent to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed

from ..enums import IssueKind, IssueStatus, OpinionAction, OpinionStatus
from ..models import IssueDelivery, OpinionEvent, OpinionIssue, PublicOpinion


def _require_staff(actor) -> None:
    if not actor.has_perm("proposals.manage_opinion_issues"):
        raise PermissionDeniedError("只有机关工作人员（研究室）可以编发社情民意刊物。")


@transaction.atomic
def issue_create(
    *,
    actor,
    kind: str,
    opinions: Iterable[PublicOpinion],
    compiled_on: date | None = None,
    editor_note: str = "",
) -> OpinionIssue:
    """A new issue of adopted reports, numbered next in its kind and year (第N期); each report's
    timeline says which issue carried it."""
    _require_staff(actor)
    if kind not in IssueKind.values:
        raise ValidationFailed("请选择刊物（《社情民意》或专报）。")
    opinions = list(opinions)
    if not opinions:
        raise ValidationFailed("请至少选择一篇已采用的社情民意。")
    ids = [o.pk for o in opinions]
    locked = list(PublicOpinion.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    not_adopted = [o.title for o in locked if o.status != OpinionStatus.ADOPTED]
    if not_adopted:
        raise ValidationFailed(f"只能收录已采用的社情民意：《{not_adopted[0]}》尚未采用。")
    compiled_on = compiled_on or timezone.localdate()
    year = compiled_on.year
    for _attempt in range(3):  # two offices compiling at once: the loser takes the next number
        number = (OpinionIssue.objects.filter(kind=kind, year=year).aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                issue = OpinionIssue.objects.create(
                    kind=kind,
                    year=year,
                    number=number,
                    total_number=(OpinionIssue.objects.filter(kind=kind).aggregate(n=Max("total_number"))["n"] or 0)
                    + 1,
                    compiled_on=compiled_on,
                    editor_note=editor_note.strip(),
                    created_by=actor,
                )
            break
        except IntegrityError:
            continue
    else:
        raise TransitionNotAllowed("期号分配冲突，请重试。")
    issue.opinions.set(locked)
    OpinionEvent.objects.bulk_create(
        OpinionEvent(opinion=o, actor=actor, action=OpinionAction.IN_ISSUE, note=f"编入{issue.label}") for o in locked
    )
    return issue


@transaction.atomic
def issue_send(*, actor, issue: OpinionIssue, recipients: Sequence[str], on: date | None = None) -> OpinionIssue:
    """Record that the issue went to ``recipients`` (区委办公室, 市政协研究室 ...); sending it again
    to someone already recorded changes nothing, new recipients are added."""
    _require_staff(actor)
    issue = OpinionIssue.objects.select_for_update().get(pk=issue.pk)
    names = [name.strip() for name in recipients if name and name.strip()]
    if not names:
        raise ValidationFailed("请选择或填写报送对象。")
    sent_on = on or timezone.localdate()
    if sent_on < issue.compiled_on:
        raise ValidationFailed("报送日期不能早于编发日期。")
    known = set(issue.deliveries.values_list("recipient", flat=True))
    IssueDelivery.objects.bulk_create(
        IssueDelivery(issue=issue, recipient=name[:100], sent_on=sent_on, sent_by=actor)
        for name in dict.fromkeys(names)
        if name not in known
    )
    if issue.status != IssueStatus.SENT:
        issue.status, issue.sent_on = IssueStatus.SENT, sent_on
        issue.save(update_fields=["status", "sent_on"])
    return issue
