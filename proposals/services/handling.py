"""办: assignment to units, and each unit's part (accept, reassign, extend, views, reply)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from cppcc_portal.deadlines import due_date, policy_for
from cppcc_portal.errors import TransitionNotAllowed, ValidationFailed, require_text
from cppcc_portal.roles import SystemActor, is_system
from members.enums import OrganizationKind
from members.models import Organization, User

from ..enums import (
    REPLYING_KINDS,
    AssignmentKind,
    AssignmentState,
    ContactMethod,
    ProposalState,
    ReplyClass,
    RequestState,
)
from ..models import Assignment, ContactRecord, ExtensionRequest, Proposal, ProposalSettings
from ..workflow import pending_co_units
from .door import apply_transition, proposer_users, staff_users, tell, unit_users, with_note
from .filing import attachment_add


def _save_fields(assignment: Assignment, **values) -> None:
    """Set these fields of the assignment and save only them."""
    for field, value in values.items():
        setattr(assignment, field, value)
    assignment.save(update_fields=list(values))


def _new_assignment(p: Proposal, unit: Organization, kind: str, actor: User, today: date) -> Assignment:
    assignment = Assignment.objects.create(
        proposal=p,
        unit=unit,
        kind=kind,
        assigned_on=today,
        assigned_by=actor,
        accept_due=due_date("proposal.accept", today),
        handling_due=due_date("proposal.handling", today) if kind in REPLYING_KINDS else None,
        views_due=due_date("proposal.co_views", today) if kind == AssignmentKind.CO else None,
    )
    tell(
        unit_users(unit.pk),
        p,
        f"交办提案（{assignment.get_kind_display()}）：{p.number}《{p.title}》",
        f"请于{assignment.accept_due:%Y年%m月%d日}前签收或申请调整承办单位。",
        kind="proposal.assigned",
    )
    return assignment


@transaction.atomic
def proposal_assign(
    *,
    proposal: Proposal,
    actor: User,
    version: int | None,
    lead_unit: Organization | None = None,
    co_units: Sequence[Organization] = (),
    split_units: Sequence[Organization] = (),
    note: str = "",
) -> Proposal:
    """交办: one lead unit with co-units, or several split units that each reply.

    Also used while handling to add units (after an approved re-assignment).
    """

    def change(p: Proposal, _assignment) -> str:
        active = [a for a in p.assignments.all() if a.state != AssignmentState.REASSIGNED]
        active_units = {a.unit_id for a in active}
        has_lead = any(a.kind == AssignmentKind.LEAD for a in active)
        has_split = any(a.kind == AssignmentKind.SPLIT for a in active)
        units = ([lead_unit] if lead_unit else []) + list(co_units) + list(split_units)
        if not units:
            raise ValidationFailed("请选择承办单位。")
        if len({u.pk for u in units}) != len(units) or active_units & {u.pk for u in units}:
            raise ValidationFailed("同一单位不能重复交办。")
        if lead_unit and split_units:
            raise ValidationFailed("主办/会办与分办只能选一种方式。")
        if lead_unit and (has_lead or has_split):
            raise ValidationFailed("该提案已有主办或分办单位。")
        if split_units and has_lead:
            raise ValidationFailed("该提案已由主办单位办理，不能再分办。")
        if co_units and not (lead_unit or has_lead):
            raise ValidationFailed("会办单位须配合一个主办单位。")
        if not (lead_unit or split_units or has_lead or has_split):
            raise ValidationFailed("请指定主办单位或分办单位。")
        today = timezone.localdate()
        for unit, kind in (
            ([(lead_unit, AssignmentKind.LEAD)] if lead_unit else [])
            + [(u, AssignmentKind.CO) for u in co_units]
            + [(u, AssignmentKind.SPLIT) for u in split_units]
        ):
            _new_assignment(p, unit, kind, actor, today)
        p.state = ProposalState.HANDLING
        tell(
            proposer_users(p),
            p,
            f"您的提案《{p.title}》已交办",
            "承办单位：" + "、".join(u.name for u in units),
            kind="proposal.assigned",
        )
        parts = []
        if lead_unit:
            parts.append(f"主办：{lead_unit.name}")
        if co_units:
            parts.append("会办：" + "、".join(u.name for u in co_units))
        if split_units:
            parts.append("分办：" + "、".join(u.name for u in split_units))
        return "；".join(parts + ([note] if note else []))

    return apply_transition(proposal=proposal, action="assign", actor=actor, version=version, change=change)


@transaction.atomic
def assignment_accept(
    *, proposal: Proposal, actor: User | SystemActor, version: int | None, assignment: Assignment | int | None = None
) -> Proposal:
    """The unit accepts (签收). ``actor=system_actor()``: the sweep treats an overdue one as accepted, logged."""

    def change(p: Proposal, a: Assignment) -> str:
        a.state = AssignmentState.ACCEPTED
        a.accepted_at = timezone.now()
        a.accepted_automatically = is_system(actor)
        return "逾期未签收，视为签收" if is_system(actor) else ""

    return apply_transition(
        proposal=proposal, action="accept", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def assignment_request_reassign(
    *, proposal: Proposal, actor: User, version: int | None, reason: str, assignment=None
) -> Proposal:
    """The unit asks to be replaced, with reasons; staff decide."""
    require_text(reason, "请说明申请调整的理由。")

    def change(p: Proposal, a: Assignment) -> str:
        a.state = AssignmentState.REASSIGN_REQUESTED
        a.reassign_reason = reason
        tell(staff_users(), p, f"{a.unit}申请调整提案承办单位：{p.number}", reason, kind="proposal.reassign")
        return reason

    return apply_transition(
        proposal=proposal, action="request-reassign", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def assignment_decide_reassign(
    *, proposal: Proposal, actor: User, version: int | None, assignment, approve: bool, note: str = ""
) -> Proposal:
    """Staff approve (the unit is released; staff then assign another) or refuse (the unit must handle it)."""

    def change(p: Proposal, a: Assignment) -> str:
        if approve:
            a.state = AssignmentState.REASSIGNED
            verdict = "同意调整，该单位不再承办"
        else:
            a.state = AssignmentState.ACCEPTED
            a.accepted_at = timezone.now()
            verdict = "不同意调整，请按期办理"
        tell(unit_users(a.unit_id), p, f"调整承办单位申请：{verdict}（{p.number}）", note, kind="proposal.reassign")
        return with_note(verdict, note)

    return apply_transition(
        proposal=proposal, action="decide-reassign", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def assignment_request_extension(
    *, proposal: Proposal, actor: User, version: int | None, months: int, reason: str, assignment=None
) -> Proposal:
    """The unit asks for more time: at most ``max_handling_months`` in all."""
    if months < 1:
        raise ValidationFailed("延期月数至少为1。")
    require_text(reason, "请说明延期理由。")

    def change(p: Proposal, a: Assignment) -> str:
        limit = ProposalSettings.get().max_handling_months
        base = policy_for("proposal.handling").length
        if base + a.extended_months + months > limit:
            left = max(limit - base - a.extended_months, 0)
            raise ValidationFailed(f"办理期限合计不得超过{limit}个月，最多还可申请延期{left}个月。")
        ExtensionRequest.objects.create(assignment=a, months=months, reason=reason, requested_by=actor)
        tell(staff_users(), p, f"{a.unit}申请延期{months}个月：{p.number}", reason, kind="proposal.extension")
        return f"申请延期{months}个月：{reason}"

    return apply_transition(
        proposal=proposal,
        action="request-extension",
        actor=actor,
        version=version,
        assignment=assignment,
        change=change,
    )


@transaction.atomic
def assignment_decide_extension(
    *, proposal: Proposal, actor: User, version: int | None, assignment, approve: bool, note: str = ""
) -> Proposal:
    """Staff approve (the handling due date moves) or refuse a pending extension request."""

    def change(p: Proposal, a: Assignment) -> str:
        request = next(r for r in a.extension_requests.all() if r.state == RequestState.PENDING)
        request.state = RequestState.APPROVED if approve else RequestState.REFUSED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.decision_note = note
        request.save()
        if approve:
            a.extended_months += request.months
            base = policy_for("proposal.handling").length
            a.handling_due = due_date("proposal.handling", a.assigned_on, length=base + a.extended_months)
            a.save(update_fields=["extended_months", "handling_due"])
            verdict = f"同意延期{request.months}个月，办理期限至{a.handling_due:%Y年%m月%d日}"
        else:
            verdict = "不同意延期"
        tell(unit_users(a.unit_id), p, f"延期申请：{verdict}（{p.number}）", note, kind="proposal.extension")
        return with_note(verdict, note)

    return apply_transition(
        proposal=proposal, action="decide-extension", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def assignment_record_contact(
    *,
    proposal: Proposal,
    actor: User,
    version: int | None,
    on: date,
    method: str,
    summary: str,
    with_author: bool = True,
    assignment=None,
) -> Proposal:
    """沟通记录: the unit's contact with the proposer (见面 / 电话 / 座谈 / 书面)."""
    if method not in ContactMethod.values:
        raise ValidationFailed("沟通方式须为见面、电话、座谈或书面之一。")
    require_text(summary, "请填写沟通情况。")
    if on > timezone.localdate():
        raise ValidationFailed("沟通日期不能晚于今天。")

    def change(p: Proposal, a: Assignment) -> str:
        ContactRecord.objects.create(
            assignment=a, on=on, method=method, with_author=with_author, summary=summary, recorded_by=actor
        )
        who = "" if with_author else "（非第一提案人）"
        return f"{on:%Y-%m-%d} {ContactMethod(method).label}{who}：{summary}"

    return apply_transition(
        proposal=proposal, action="contact", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def assignment_waive_contact(
    *, proposal: Proposal, actor: User, version: int | None, note: str = "", assignment=None
) -> Proposal:
    """The first proposer records that this unit need not contact them before replying."""

    def change(p: Proposal, a: Assignment) -> str:
        _save_fields(a, contact_waived_at=timezone.now(), contact_waiver_note=note)
        tell(unit_users(a.unit_id), p, f"提案人声明无需沟通：{p.number}", note, kind="proposal.contact")
        return with_note(f"{a.unit}：提案人声明无需沟通", note)

    return apply_transition(
        proposal=proposal, action="waive-contact", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def assignment_override_views(
    *, proposal: Proposal, actor: User, version: int | None, note: str, assignment=None
) -> Proposal:
    """Staff let the lead unit reply without waiting for the co-units' views, with a note."""
    require_text(note, "请说明不再等待会办意见的理由。")

    def change(p: Proposal, a: Assignment) -> str:
        waiting = "、".join(x.unit.name for x in pending_co_units(a))
        _save_fields(a, views_override_at=timezone.now(), views_override_by=actor, views_override_note=note)
        tell(unit_users(a.unit_id), p, f"提案委决定不待会办意见，可答复：{p.number}", note, kind="proposal.views")
        return f"不待{waiting}的会办意见：{note}"

    return apply_transition(
        proposal=proposal, action="override-views", actor=actor, version=version, assignment=assignment, change=change
    )


def reply_prerequisites(p: Proposal, a: Assignment) -> list[str]:
    """What still stands between a unit and its reply (先沟通后答复; co-units' views first)."""
    missing = []
    if a.contact_waived_at is None and not a.contacts.filter(with_author=True).exists():
        missing.append(
            "答复前须与第一提案人沟通（先沟通后答复）：请先记录与第一提案人的沟通情况，或由提案人声明无需沟通。"
        )
    pending = pending_co_units(a)
    if pending and a.views_override_at is None:
        names = "、".join(x.unit.name for x in pending)
        missing.append(f"会办单位{names}尚未提交会办意见，主办单位须待会办意见送达后答复（或由提案委说明后不再等待）。")
    return missing


@transaction.atomic
def assignment_send_views(
    *, proposal: Proposal, actor: User, version: int | None, views: str, assignment=None
) -> Proposal:
    """A co-unit sends its views to the lead unit."""
    require_text(views, "请填写会办意见。")

    def change(p: Proposal, a: Assignment) -> str:
        a.state = AssignmentState.VIEWS_SENT
        a.co_views = views
        a.views_sent_at = timezone.now()
        leads = [x.unit_id for x in p.assignments.all() if x.kind == AssignmentKind.LEAD and x.is_active]
        recipients = [u for unit_id in leads for u in unit_users(unit_id)] + list(staff_users())
        tell(recipients, p, f"{a.unit}已提交会办意见：{p.number}", views[:200], kind="proposal.views")
        return views

    return apply_transition(
        proposal=proposal, action="views", actor=actor, version=version, assignment=assignment, change=change
    )


def _check_reply(reply_class: str, reply_text: str, publishable: bool, withhold_reason: str) -> None:
    if reply_class not in ReplyClass.values:
        raise ValidationFailed("请选择答复类别。")
    require_text(reply_text, "请填写答复内容。")
    if not publishable and not withhold_reason.strip():
        raise ValidationFailed("答复不公开时须说明理由。")


def default_cc(unit: Organization) -> str:
    """抄送: the 提案委, and the 区政府办 for government units."""
    government = unit.kind in (OrganizationKind.HANDLING_UNIT, OrganizationKind.TOWN_STREET)
    return "区政协提案委员会" + ("，区政府办公室" if government else "")


@transaction.atomic
def assignment_draft_reply(
    *,
    proposal: Proposal,
    actor: User,
    version: int | None,
    reply_class: str,
    reply_text: str,
    publishable: bool,
    withhold_reason: str = "",
    letter_number: str = "",
    letter_contact: str = "",
    letter_phone: str = "",
    letter_cc: str = "",
    assignment=None,
) -> Proposal:
    """经办人 drafts the reply and the letter's entries; the unit's 负责人 are asked to sign it off."""
    _check_reply(reply_class, reply_text, publishable, withhold_reason)

    def change(p: Proposal, a: Assignment) -> str:
        a.draft_class, a.draft_text = reply_class, reply_text
        a.draft_publishable, a.draft_withhold_reason = publishable, "" if publishable else withhold_reason
        a.letter_number, a.letter_contact, a.letter_phone = letter_number, letter_contact, letter_phone
        a.letter_cc = letter_cc or default_cc(a.unit)
        a.drafted_by, a.drafted_at = actor, timezone.now()
        a.save()
        heads = [u for u in unit_users(a.unit_id) if u.is_unit_head and u.pk != actor.pk]
        tell(heads, p, f"答复待签发：{p.number}《{p.title}》", f"{actor.display_name}已起草答复，请审核签发。")
        return f"起草答复（{ReplyClass(reply_class).label}），待负责人签发"

    return apply_transition(
        proposal=proposal, action="draft-reply", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def assignment_reply(
    *,
    proposal: Proposal,
    actor: User,
    version: int | None,
    reply_class: str,
    reply_text: str,
    publishable: bool,
    withhold_reason: str = "",
    letter=None,
    letter_number: str | None = None,
    letter_contact: str | None = None,
    letter_phone: str | None = None,
    letter_cc: str | None = None,
    assignment=None,
) -> Proposal:
    """签发答复: the unit's 负责人 signs the reply off (class A/B/C, text, publishable?, the
    letter's 文号, 联系人, phone and 抄送; a stamped scan is optional). When every replying unit
    has replied the proposal becomes ``replied`` and the proposers' evaluation clock starts."""
    _check_reply(reply_class, reply_text, publishable, withhold_reason)

    def change(p: Proposal, a: Assignment) -> str:
        missing = reply_prerequisites(p, a)
        if missing:
            raise TransitionNotAllowed(missing[0])
        today = timezone.localdate()
        a.state = AssignmentState.REPLIED
        a.reply_class = reply_class
        a.reply_text = reply_text
        a.publishable = publishable
        a.withhold_reason = "" if publishable else withhold_reason
        a.replied_at = timezone.now()
        a.signed_by = actor
        for field, value in (
            ("letter_number", letter_number),
            ("letter_contact", letter_contact),
            ("letter_phone", letter_phone),
            ("letter_cc", letter_cc),
        ):
            if value is not None:
                setattr(a, field, value)
        a.letter_cc = a.letter_cc or default_cc(a.unit)
        a.evaluation_due = due_date("proposal.evaluation", today)
        a.followup_due = due_date("proposal.followup", today) if reply_class == ReplyClass.B else None
        if letter is not None:
            attachment_add(proposal=p, upload=letter, actor=actor, assignment=a, kind="reply_letter")
        replying = [
            x for x in p.assignments.all() if x.kind in REPLYING_KINDS and x.state != AssignmentState.REASSIGNED
        ]
        if all((x.pk == a.pk) or x.state in (AssignmentState.REPLIED, AssignmentState.DONE) for x in replying):
            p.state = ProposalState.REPLIED
        tell(
            proposer_users(p),
            p,
            f"{a.unit}已答复您的提案《{p.title}》（{reply_class}类）",
            f"请于{a.evaluation_due:%Y年%m月%d日}前对办理情况进行评价。",
            kind="proposal.replied",
        )
        return f"{ReplyClass(reply_class).label}" + ("" if publishable else "（不公开）")

    return apply_transition(
        proposal=proposal, action="reply", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def assignment_rate_quality(
    *, proposal: Proposal, actor: User, version: int | None, rating: str, comment: str = "", assignment=None
) -> Proposal:
    """双向评价: the unit rates the proposal's quality."""

    def change(p: Proposal, a: Assignment) -> str:
        _save_fields(a, quality_rating=rating, quality_comment=comment)
        return f"提案质量：{a.get_quality_rating_display()}" + (f"；{comment}" if comment else "")

    return apply_transition(
        proposal=proposal, action="rate-quality", actor=actor, version=version, assignment=assignment, change=change
    )


@transaction.atomic
def assignment_record_implemented(
    *, proposal: Proposal, actor: User, version: int | None, assignment, note: str
) -> Proposal:
    """B-class follow-up: staff record that what was planned is now done."""

    def change(p: Proposal, a: Assignment) -> str:
        _save_fields(a, implemented_at=timezone.now(), implemented_note=note, followup_due=None)
        return f"B类答复事项已落实：{note}"

    return apply_transition(
        proposal=proposal, action="followup", actor=actor, version=version, assignment=assignment, change=change
    )
