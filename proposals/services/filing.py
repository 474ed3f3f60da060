"""提: drafts, co-signers, submission and withdrawal."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from cppcc_portal.deadlines import due_date
from cppcc_portal.errors import PermissionDeniedError, StaleObjectError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.roles import is_office_staff, is_proposer_org_user
from members.models import Member, Organization, PlenarySession, User

from .. import ledger
from ..enums import (
    COLLECTIVE_KINDS,
    EDITABLE_STATES,
    Period,
    ProposalState,
    ProposerKind,
    SignerRole,
    SignerStatus,
    proposer_kind_of,
)
from ..models import Attachment, Proposal, ProposalCategory, Signer
from ..similarity import keywords_for
from ..workflow import period_for
from .door import apply_transition, lock_proposal, organization_users, record_event, staff_users, tell


@transaction.atomic
def proposal_create(
    *,
    actor: User,
    title: str,
    category: ProposalCategory,
    background: str,
    suggestions: str,
    period: str | None = None,
    co_signers: Sequence[Member] = (),
    suggested_units: Iterable[Organization] = (),
    files: Sequence = (),
    session: PlenarySession | None = None,
    proposer_org: Organization | None = None,
    author: Member | None = None,
    form_token: uuid.UUID | None = None,
    publish_consent: bool = False,
) -> Proposal:
    """A member starts a draft; co-signers are invited at once. A collective proposal (集体提案)
    is filed in ``proposer_org``'s name, by that organisation's own users (their organisation,
    whatever is passed) or by the office on its behalf, with ``author`` as its contact member;
    its head confirms it before it can be submitted.

    ``form_token`` comes from the rendered form: a second POST of the same form
    (double click) finds the first draft and is refused. ``period`` is decided by the
    session's ``proposal_deadline`` (after it: 平时提案); the pages never pass it, only data
    imports of a past plenary do.
    """
    if not actor.has_perm("proposals.file_proposal"):
        raise PermissionDeniedError("只有委员、集体提案单位和机关工作人员可以提交提案。")
    if form_token and Proposal.objects.filter(form_token=form_token).exists():
        raise StaleObjectError("这份提案已经保存过了（可能是重复点击），请勿重复提交。")
    if is_proposer_org_user(actor):
        proposer_org = actor.organization  # an organisation files in its own name only
    collective = proposer_org is not None
    kind = None
    if collective:
        if not actor.has_perm("proposals.file_collective_proposal"):
            raise PermissionDeniedError("集体提案由提案单位或机关工作人员录入。")
        if not proposer_org.files_proposals or not proposer_org.is_active:
            raise ValidationFailed(f"“{proposer_org.name}”不是集体提案单位（党派区委、界别、专委会或人民团体）。")
        if author is None:
            raise ValidationFailed("集体提案须指定联系委员（第一联系人）。")
        kind = proposer_kind_of(proposer_org)
    else:
        author = getattr(actor, "member", None)
        if author is None:
            raise PermissionDeniedError("只有委员本人可以提交个人或联名提案。")
        kind = ProposerKind.JOINT if co_signers else ProposerKind.INDIVIDUAL
    session = session or PlenarySession.current()
    if session is None:
        raise ValidationFailed("尚未设置当前会次，请联系机关工作人员。")
    if period is None:
        period = period_for(session, timezone.localdate())
    elif period not in Period.values:
        raise ValidationFailed("提案类型不正确。")
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                session=session,
                title=title,
                category=category,
                background=background,
                suggestions=suggestions,
                period=period,
                kind=kind,
                author=author,
                proposer_org=proposer_org,
                collective_name=proposer_org.name if collective else "",
                filed_by=actor,
                form_token=form_token,
                keywords=keywords_for(title, background, suggestions),
                publish_consent=publish_consent,
            )
    except IntegrityError:
        raise StaleObjectError("这份提案已经保存过了（可能是重复点击），请勿重复提交。")
    proposal.suggested_units.set(suggested_units)
    _sync_signers(proposal, co_signers, collective=collective)
    for upload in files:
        attachment_add(proposal=proposal, upload=upload, actor=actor)
    record_event(proposal, action="create", label="起草提案", actor=actor, to_state=proposal.state)
    return proposal


@transaction.atomic
def proposal_draft_for_member(
    *, actor: User, member: Member, title: str, category: ProposalCategory, background: str, suggestions: str, note: str
) -> Proposal:
    """The office starts a draft in a member's name (a 微建议 worth a proposal); the member
    reads, edits and submits it, or leaves it: nothing is submitted on their behalf."""
    if not is_office_staff(actor):
        raise PermissionDeniedError("只有机关工作人员可以为委员起草提案草稿。")
    if member.user_id is None:
        raise ValidationFailed(f"{member.name}没有平台账号，无法为其起草提案。")
    session = PlenarySession.current()
    if session is None:
        raise ValidationFailed("尚未设置当前会次，请联系机关工作人员。")
    proposal = Proposal.objects.create(
        session=session,
        title=title,
        category=category,
        background=background,
        suggestions=suggestions,
        period=period_for(session, timezone.localdate()),
        kind=ProposerKind.INDIVIDUAL,
        author=member,
        filed_by=actor,
        keywords=keywords_for(title, background, suggestions),
    )
    record_event(proposal, action="create", label="机关代拟提案草稿", actor=actor, to_state=proposal.state, note=note)
    tell([member.user], proposal, f"机关为您起草了提案草稿《{title}》", f"{note}。请修改完善后提交。")
    return proposal


def _sync_signers(proposal: Proposal, members: Sequence[Member], *, collective: bool) -> None:
    """Invite new co-signers (or, for a collective proposal, list its contacts as confirmed)."""
    wanted = [m for m in dict.fromkeys(members) if m.pk != proposal.author_id]
    existing = {s.member_id: s for s in proposal.signers.all()}
    Signer.objects.filter(proposal=proposal).exclude(member__in=[m.pk for m in wanted]).delete()
    invited = []
    for order, member in enumerate(wanted):
        signer = existing.get(member.pk)
        if signer:
            if signer.order != order:
                signer.order = order
                signer.save(update_fields=["order"])
            continue
        Signer.objects.create(
            proposal=proposal,
            member=member,
            order=order,
            role=SignerRole.CONTACT if collective else SignerRole.CO_SIGNER,
            status=SignerStatus.CONFIRMED if collective else SignerStatus.INVITED,
            answered_at=timezone.now() if collective else None,
        )
        invited.append(member)
    if invited and not collective:
        tell(
            [m.user for m in invited if m.user_id],
            proposal,
            f"{proposal.author.name}邀请您联名提案《{proposal.title}》",
            "请在提案页面确认或谢绝附议。",
            kind="proposal.cosign",
        )


@transaction.atomic
def proposal_update(
    *,
    proposal: Proposal,
    actor: User,
    version: int,
    title: str,
    category: ProposalCategory,
    background: str,
    suggestions: str,
    period: str | None = None,
    co_signers: Sequence[Member] = (),
    suggested_units: Iterable[Organization] = (),
    files: Sequence = (),
    author: Member | None = None,
    publish_consent: bool | None = None,
) -> Proposal:
    """The author (for a collective proposal, its organisation) edits a draft or a returned
    proposal. An edit of a collective proposal needs its head to confirm it again."""

    def change(p: Proposal, _assignment) -> str:
        p.title, p.category, p.background, p.suggestions = title, category, background, suggestions
        if period is not None:
            p.period = period
        if publish_consent is not None:
            p.publish_consent = publish_consent
        p.keywords = keywords_for(title, background, suggestions)
        collective = p.kind in COLLECTIVE_KINDS
        note = ""
        if collective:
            if author is not None:
                p.author = author
            if p.head_confirmed_at is not None:
                p.head_confirmed_by, p.head_confirmed_at = None, None
                note = "内容已修改，须提案单位负责人重新确认"
        else:
            p.kind = ProposerKind.JOINT if co_signers else ProposerKind.INDIVIDUAL
        p.suggested_units.set(suggested_units)
        _sync_signers(p, co_signers, collective=collective)
        p.refresh_from_db(fields=["signers"])  # drop the prefetched signers: the ledger reads the new list
        ledger.sync(p, ledger.proposal_filing(p))  # a returned proposal's dropped co-signer loses the credit
        for upload in files:
            attachment_add(proposal=p, upload=upload, actor=actor)
        return note

    return apply_transition(proposal=proposal, action="edit", actor=actor, version=version, change=change)


@transaction.atomic
def proposal_cosign(*, proposal: Proposal, actor: User, version: int | None, decision: str, note: str = "") -> Proposal:
    """An invited co-signer confirms or declines; the author is told."""
    if decision not in ("confirm", "decline"):
        raise ValidationFailed("请选择确认或谢绝。")

    def change(p: Proposal, _assignment) -> str:
        signer = next(s for s in p.signers.all() if s.member_id == actor.member.pk)
        signer.status = SignerStatus.CONFIRMED if decision == "confirm" else SignerStatus.DECLINED
        signer.answered_at = timezone.now()
        signer.save(update_fields=["status", "answered_at"])
        verdict = "确认附议" if decision == "confirm" else "谢绝附议"
        waiting = [s.member.name for s in p.signers.select_related("member") if s.status == SignerStatus.INVITED]
        body = f"尚未答复：{'、'.join(waiting)}" if waiting else "所有附议人均已答复，可以提交。"
        tell([p.author.user], p, f"{actor.member.name}{verdict}《{p.title}》", body, kind="proposal.cosign")
        return f"{verdict}{('：' + note) if note else ''}"

    return apply_transition(proposal=proposal, action="cosign", actor=actor, version=version, change=change)


@transaction.atomic
def proposal_confirm_collective(*, proposal: Proposal, actor: User, version: int | None, note: str = "") -> Proposal:
    """The organisation's head (负责人) confirms its collective proposal, which may then be
    submitted; the organisation's other users are told. Staff record it for a proposal they
    file on an organisation's behalf (signed on paper)."""

    def change(p: Proposal, _assignment) -> str:
        p.head_confirmed_by, p.head_confirmed_at = actor, timezone.now()
        others = [u for u in organization_users(p.proposer_org_id) if u.pk != actor.pk]
        tell(others, p, f"{p.collective_name}负责人已确认提案《{p.title}》", "现在可以提交。", kind="proposal")
        return note

    return apply_transition(proposal=proposal, action="confirm", actor=actor, version=version, change=change)


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor: User, version: int | None) -> Proposal:
    """Submit for review once every invited co-signer has answered; the review clock starts."""

    def change(p: Proposal, _assignment) -> str:
        now = timezone.now()
        p.state = ProposalState.SUBMITTED
        p.submitted_at = now
        p.review_due = due_date("proposal.review", timezone.localdate(now))
        p.return_reason = ""
        ledger.sync(p, ledger.proposal_filing(p))  # author and confirmed co-signers, on the day of submission
        tell(staff_users(), p, f"新提案待审查：《{p.title}》", f"提案人：{p.proposer_label}", kind="proposal.review")
        return ""

    return apply_transition(proposal=proposal, action="submit", actor=actor, version=version, change=change)


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor: User, version: int | None, note: str = "") -> Proposal:
    """The author withdraws it, any time before registration; filing credit is taken back."""

    def change(p: Proposal, _assignment) -> str:
        was_submitted = p.state == ProposalState.SUBMITTED
        p.state = ProposalState.WITHDRAWN
        ledger.sync(p, ledger.proposal_filing(p))  # filing credit taken back
        recipients = [s.member.user for s in p.signers.select_related("member__user") if s.member.user_id]
        if was_submitted:
            recipients += list(staff_users())
        if p.proposer_org_id:
            recipients += [u for u in organization_users(p.proposer_org_id) if u.pk != actor.pk]
        tell(recipients, p, f"提案《{p.title}》已被提案人撤回", note)
        return note

    return apply_transition(proposal=proposal, action="withdraw", actor=actor, version=version, change=change)


def attachment_add(*, proposal: Proposal, upload, actor: User, assignment=None, kind: str = "proposal") -> Attachment:
    """Store an already validated upload (see ``proposals.files``) under MEDIA_ROOT."""
    if proposal.state not in EDITABLE_STATES and kind == "proposal":
        raise TransitionNotAllowed("提案已提交，不能再添加附件。")
    return Attachment.objects.create(
        proposal=proposal,
        assignment=assignment,
        kind=kind,
        file=upload,
        original_name=upload.name[:200],
        content_type=getattr(upload, "detected_type", "") or "application/octet-stream",
        size=upload.size,
        uploaded_by=actor,
    )


__all__ = [
    "attachment_add",
    "lock_proposal",
    "proposal_confirm_collective",
    "proposal_cosign",
    "proposal_create",
    "proposal_submit",
    "proposal_update",
    "proposal_withdraw",
]
