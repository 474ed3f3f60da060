"""微建议 / 微监督: a member's short note to the unit responsible, the unit's answer on a clock,
and the office raising a good one to a 社情民意 report or a proposal draft.

Each step locks the row, checks the move against ``workflow.MICRO_TRANSITIONS`` and the
actor's right, saves, writes a ``MicroEvent`` (who, from, to, note, when) and queues
notifications (``notify`` delivers on commit).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed, require_text
from cppcc_portal.notifications import notify
from cppcc_portal.roles import Role, users_with_role
from liaison_stations.selectors import stations_of_member
from members.enums import HANDLING_KINDS
from members.models import Organization

from .. import clocks
from ..enums import MicroKind, MicroStatus
from ..models import MicroEvent, MicroSuggestion
from ..workflow import micro_move_allowed
from .reports import opinion_create_from_micro

UNIT_KINDS = HANDLING_KINDS


def _move(suggestion: MicroSuggestion, actor, target: MicroStatus, note: str = "") -> MicroSuggestion:
    """Check the move against the table, save, and write the history row (row already locked)."""
    if not micro_move_allowed(suggestion.status, target):
        raise TransitionNotAllowed(
            f"该微建议{suggestion.get_status_display()}，不能再{'答复' if target == MicroStatus.ANSWERED else '转化'}。"
        )
    before = suggestion.status
    suggestion.status = target
    suggestion.save()
    MicroEvent.objects.create(suggestion=suggestion, actor=actor, from_status=before, to_status=target, note=note)
    return suggestion


def _lock(suggestion: MicroSuggestion) -> MicroSuggestion:
    return (
        MicroSuggestion.objects.select_for_update(of=("self",))
        .select_related("member", "member__user", "unit", "station")
        .get(pk=suggestion.pk)
    )


def _tell_member(suggestion: MicroSuggestion, actor, subject: str, body: str = "") -> None:
    user_id = suggestion.member.user_id
    if user_id and user_id != actor.pk:
        notify([suggestion.member.user], kind="micro", subject=subject, body=body, link=suggestion.get_absolute_url())


@transaction.atomic
def micro_file(
    *,
    actor,
    title: str,
    problem: str,
    suggestion: str,
    unit: Organization,
    kind: str = "suggestion",
    place: str = "",
    station=None,
    form_token: uuid.UUID | None = None,
    on: date | None = None,
) -> MicroSuggestion:
    """A member files a 微建议 (from a station they belong to or head, or on their own) to the
    unit responsible; the unit's answer clock starts. The same form sent again (``form_token``:
    a double click, or a phone's outbox after a lost answer) returns the first one, ``replayed``."""
    if form_token:
        existing = MicroSuggestion.objects.filter(form_token=form_token, filed_by=actor).first()
        if existing is not None:
            existing.replayed = True
            return existing
    member = getattr(actor, "member", None)
    if member is None or not actor.has_perm("proposals.file_micro"):
        raise PermissionDeniedError("只有委员可以提出微建议。")
    if unit is None or unit.kind not in UNIT_KINDS or not unit.is_active:
        raise ValidationFailed("请选择责任单位（区级部门或镇街）。")
    if station is not None and not stations_of_member(actor).filter(pk=station.pk).exists():
        raise PermissionDeniedError("只能以本人所在或负责的联络站名义提出。")
    require_text(title, "请填写标题。")
    require_text(problem, "请说明问题。")
    require_text(suggestion, "请填写建议。")
    submitted_on = on or timezone.localdate()
    try:
        with transaction.atomic():
            micro = MicroSuggestion.objects.create(
                kind=kind if kind in MicroKind.values else MicroKind.SUGGESTION,
                title=title.strip(),
                place=place.strip(),
                problem=problem,
                suggestion=suggestion,
                member=member,
                filed_by=actor,
                station=station,
                unit=unit,
                submitted_on=submitted_on,
                answer_due=clocks.micro_answer_due(submitted_on=submitted_on),
                form_token=form_token,
            )
    except IntegrityError:  # the same form sent twice at once: the other request filed it
        existing = MicroSuggestion.objects.get(form_token=form_token)
        existing.replayed = True
        return existing
    micro.replayed = False
    MicroEvent.objects.create(
        suggestion=micro,
        actor=actor,
        to_status=MicroStatus.SUBMITTED,
        note=f"经{station.name}提出，送{unit.name}" if station else f"提出，送{unit.name}",
    )
    notify(
        users_with_role(Role.UNIT, organization_id=unit.pk),
        kind="micro",
        subject=f"新微建议：{micro.title}",
        body=f"{member.name}委员提出，请于 {micro.answer_due:%Y-%m-%d} 前答复。",
        link=micro.get_absolute_url(),
    )
    return micro


@transaction.atomic
def micro_answer(*, suggestion: MicroSuggestion, actor, answer: str, on: date | None = None) -> MicroSuggestion:
    """The unit responsible answers (or staff enter an answer the unit sent on paper); the clock stops."""
    suggestion = _lock(suggestion)
    if not actor.has_perm("proposals.answer_micro", suggestion):
        raise PermissionDeniedError("只有责任单位或机关工作人员可以答复该微建议。")
    require_text(answer, "请填写答复内容。")
    suggestion.answer = answer.strip()
    suggestion.answered_by, suggestion.answered_on = actor, on or timezone.localdate()
    _move(suggestion, actor, MicroStatus.ANSWERED, f"{suggestion.unit.name}答复")
    _tell_member(suggestion, actor, f"您的微建议《{suggestion.title}》已获{suggestion.unit.name}答复", answer)
    return suggestion


@transaction.atomic
def micro_raise_to_opinion(*, suggestion: MicroSuggestion, actor) -> MicroSuggestion:
    """A good one becomes a 社情民意 report in the member's name (through the report's own service)."""
    if not actor.has_perm("proposals.raise_micro"):
        raise PermissionDeniedError("只有机关工作人员可以转化微建议。")
    suggestion = _lock(suggestion)
    if not micro_move_allowed(suggestion.status, MicroStatus.RAISED_OPINION):
        raise TransitionNotAllowed(f"该微建议{suggestion.get_status_display()}，不能再转化。")
    suggestion.opinion = opinion_create_from_micro(actor=actor, suggestion=suggestion)
    _move(suggestion, actor, MicroStatus.RAISED_OPINION, f"转为社情民意《{suggestion.opinion.title}》")
    return suggestion


@transaction.atomic
def micro_raise_to_proposal(*, suggestion: MicroSuggestion, actor, category) -> MicroSuggestion:
    """A good one becomes a proposal draft in the member's name, for the member to finish and submit."""
    from proposals.services import proposal_draft_for_member  # the proposals app's door for drafts

    if not actor.has_perm("proposals.raise_micro"):
        raise PermissionDeniedError("只有机关工作人员可以转化微建议。")
    suggestion = _lock(suggestion)
    if not micro_move_allowed(suggestion.status, MicroStatus.RAISED_PROPOSAL):
        raise TransitionNotAllowed(f"该微建议{suggestion.get_status_display()}，不能再转化。")
    if category is None:
        raise ValidationFailed("请选择提案类别。")
    background = suggestion.problem
    if suggestion.answer:
        background += f"\n{suggestion.unit.name}答复：{suggestion.answer}"
    suggestion.proposal = proposal_draft_for_member(
        actor=actor,
        member=suggestion.member,
        title=suggestion.title,
        category=category,
        background=background,
        suggestions=suggestion.suggestion,
        note=f"由微建议《{suggestion.title}》转化",
    )
    _move(suggestion, actor, MicroStatus.RAISED_PROPOSAL, "转为提案草稿，待委员完善后提交")
    return suggestion
