"""Every write of 社情民意 state: filing, conversion from a proposal, and the research office's handling.

Each step locks the report, checks the actor, saves, writes a timeline row
(``OpinionEvent``) and the performance ledger in the same transaction, and tells
the member (``notify`` queues delivery on commit).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed, require_text
from cppcc_portal.notifications import notify
from cppcc_portal.roles import Role, is_proposer_org_user, users_with_role, whole_office_staff
from members.models import Member, Organization

from .. import clocks, ledger
from ..enums import HigherLevel, InstructionLevel, OpinionAction, OpinionChannel, OpinionStatus
from ..models import HigherAdoption, OpinionEvent, OpinionFeedback, OpinionInstruction, PublicOpinion
from ..workflow import decision_allowed


def _event(opinion: PublicOpinion, actor, action: OpinionAction, note: str = "") -> OpinionEvent:
    return OpinionEvent.objects.create(opinion=opinion, actor=actor, action=action, note=note)


def _lock(opinion: PublicOpinion) -> PublicOpinion:
    return (
        PublicOpinion.objects.select_for_update(of=("self",))
        .select_related("author", "author__user")
        .get(pk=opinion.pk)
    )


def _lock_adopted(opinion: PublicOpinion, actor, recording: str) -> PublicOpinion:
    """Staff only; the opinion locked, and refused unless adopted (what follows adoption: ``recording``)."""
    _require_staff(actor)
    opinion = _lock(opinion)
    if opinion.status != OpinionStatus.ADOPTED:
        raise TransitionNotAllowed(f"只有已采用的社情民意才能{recording}。")
    return opinion


def _require_staff(actor) -> None:
    if not actor.has_perm("proposals.handle_opinion"):
        raise PermissionDeniedError("只有机关工作人员（研究室）可以办理社情民意。")


def _tell_author(opinion: PublicOpinion, actor, subject: str, body: str = "") -> None:
    """The member who filed it, or the users of the organisation in whose name it was filed."""
    if opinion.organization_id:
        users = list(users_with_role(Role.PROPOSER_ORG, organization_id=opinion.organization_id).exclude(pk=actor.pk))
    else:
        users = [opinion.author.user] if opinion.author.user_id and opinion.author.user_id != actor.pk else []
    notify(users, kind="public_opinion", subject=subject, body=body, link=opinion.get_absolute_url())


@transaction.atomic
def opinion_file(
    *,
    actor,
    title: str,
    situation: str,
    suggestion: str,
    urgent: bool = False,
    activity=None,
    station=None,
    author: Member | None = None,
    on: date | None = None,
    channel: str | None = None,
    form_token: uuid.UUID | None = None,
) -> PublicOpinion:
    """A member files a report (one matter per report), optionally from a station activity
    or in the name of a station they head; the review clock starts and the ledger counts it.

    A proposer organisation's user (民进区委) files in the organisation's name, naming its
    contact member as ``author``; the ledger credits no member for it.

    ``form_token`` comes from the rendered form: the same form sent again (a double click,
    or a phone's offline outbox sending once more after a lost answer) returns the first
    report, marked ``replayed``, and files nothing."""
    if form_token:
        existing = PublicOpinion.objects.filter(form_token=form_token, filed_by=actor).first()
        if existing is not None:
            existing.replayed = True
            return existing
    if not actor.has_perm("proposals.file_opinion"):
        raise PermissionDeniedError("只有委员和集体提案单位可以报送社情民意。")
    organization = actor.organization if is_proposer_org_user(actor) else None
    if organization is not None:
        if author is None:
            raise ValidationFailed("以单位名义报送须指定联系委员。")
        if station is not None or activity is not None:
            raise PermissionDeniedError("以单位名义报送的社情民意不关联联络站。")
        member: Member = author
    else:
        member = actor.member
    if station is not None and (station.head_id != member.pk or not station.is_active):
        raise PermissionDeniedError("只能以本人担任站长的联络站名义报送。")
    if activity is not None and not actor.has_perm("liaison_stations.see_activity", activity):
        raise PermissionDeniedError("只能关联本人可查看的联络站活动。")
    if not (title.strip() and situation.strip() and suggestion.strip()):
        raise ValidationFailed("标题、基本情况和意见建议都要填写。")
    if channel is not None and channel not in OpinionChannel.values:
        raise ValidationFailed("报送渠道不正确。")
    if channel is None:
        channel = (
            OpinionChannel.ORGANIZATION
            if organization
            else OpinionChannel.STATION
            if station or activity
            else OpinionChannel.MEMBER
        )
    submitted_on = on or timezone.localdate()
    # An organisation's report goes in once its head (负责人) confirms it; the head's own at once.
    awaits_head = organization is not None and not actor.is_unit_head
    try:
        with transaction.atomic():
            opinion = PublicOpinion.objects.create(
                title=title.strip(),
                situation=situation,
                suggestion=suggestion,
                urgent=urgent,
                author=member,
                filed_by=actor,
                organization=organization,
                station=station,
                activity=activity,
                channel=channel,
                form_token=form_token,
                submitted_on=submitted_on,
                review_due=clocks.review_due(submitted_on=submitted_on, urgent=urgent),
                status=OpinionStatus.AWAITING_HEAD if awaits_head else OpinionStatus.SUBMITTED,
                head_confirmed_by=actor if organization is not None and not awaits_head else None,
                head_confirmed_at=timezone.now() if organization is not None and not awaits_head else None,
            )
    except IntegrityError:  # the same form, sent twice at once: the other request filed it
        existing = PublicOpinion.objects.get(form_token=form_token)
        existing.replayed = True
        return existing
    opinion.replayed = False
    note = f"以{station.name}名义报送" if station else f"以{organization.name}名义报送" if organization else ""
    if awaits_head:
        _event(opinion, actor, OpinionAction.FILED, f"{note}，待单位负责人确认")
        heads = users_with_role(Role.PROPOSER_ORG, organization_id=organization.pk).filter(is_unit_head=True)
        notify(
            heads,
            kind="public_opinion",
            subject=f"请确认本单位的社情民意：{opinion.title}",
            body="负责人确认后报送研究室。",
            link=opinion.get_absolute_url(),
        )
        return opinion
    _event(opinion, actor, OpinionAction.FILED, note)
    _submitted(opinion, member, urgent)
    return opinion


@transaction.atomic
def opinion_confirm_by_head(*, opinion: PublicOpinion, actor, note: str = "") -> PublicOpinion:
    """The organisation's head (负责人) confirms its report: it goes in to the research office today,
    and the review clock starts."""
    if not actor.has_perm("proposals.confirm_opinion", opinion):
        raise PermissionDeniedError("只有报送单位的负责人可以确认本单位的社情民意。")
    opinion = _lock(opinion)
    if opinion.status != OpinionStatus.AWAITING_HEAD:
        raise TransitionNotAllowed(f"该社情民意已{opinion.get_status_display()}，无需再确认。")
    opinion.status = OpinionStatus.SUBMITTED
    opinion.head_confirmed_by, opinion.head_confirmed_at = actor, timezone.now()
    opinion.submitted_on = timezone.localdate()
    opinion.review_due = clocks.review_due(submitted_on=opinion.submitted_on, urgent=opinion.urgent)
    opinion.save()
    _event(opinion, actor, OpinionAction.HEAD_CONFIRMED, note.strip() or "单位负责人确认，报送研究室")
    _submitted(opinion, opinion.author, opinion.urgent)
    return opinion


def _submitted(opinion: PublicOpinion, member: Member, urgent: bool) -> None:
    """In to the research office: the ledger counts it, staff are told."""
    ledger.sync(opinion, ledger.opinion_filing(opinion))
    notify(
        whole_office_staff(),
        kind="public_opinion",
        subject=f"{'【急事急报】' if urgent else ''}新社情民意：{opinion.title}",
        body=f"{member.name}报送，请于 {opinion.review_due:%Y-%m-%d} 前审核。",
        link=opinion.get_absolute_url(),
        urgent=urgent,
    )


@transaction.atomic
def opinion_create_from_proposal(*, proposal, actor) -> PublicOpinion:
    """转为社情民意: a proposal not registered, with the proposer's consent, becomes a report
    in the proposer's name that links back to it. Calling it again returns the same report."""
    existing = PublicOpinion.objects.filter(source_proposal=proposal).first()
    if existing is not None:
        return existing
    if not getattr(proposal, "conversion_consent", False):
        raise ValidationFailed("转为社情民意须经提案人同意。")
    submitted_on = timezone.localdate()
    opinion = PublicOpinion.objects.create(
        title=proposal.title,
        situation=proposal.background,
        suggestion=proposal.suggestions,
        author=proposal.author,
        organization_id=proposal.proposer_org_id,  # a collective proposal stays its organisation's
        filed_by=actor,
        source_proposal=proposal,
        submitted_on=submitted_on,
        review_due=clocks.review_due(submitted_on=submitted_on, urgent=False),
    )
    _event(opinion, actor, OpinionAction.CONVERTED, f"提案《{proposal.title}》不予立案，经提案人同意转为社情民意")
    ledger.sync(opinion, ledger.opinion_filing(opinion))
    _tell_author(opinion, actor, f"您的提案《{proposal.title}》已转为社情民意信息")
    return opinion


@transaction.atomic
def opinion_edit_for_report(*, opinion: PublicOpinion, actor, report_title: str, report_text: str) -> PublicOpinion:
    """The research office's edited version; the member's original stays as filed."""
    _require_staff(actor)
    opinion = _lock(opinion)
    if opinion.status == OpinionStatus.AWAITING_HEAD:
        raise TransitionNotAllowed("报送单位负责人尚未确认，研究室暂不能编辑。")
    if not report_title.strip() or not report_text.strip():
        raise ValidationFailed("请填写编报标题和正文。")
    opinion.report_title, opinion.report_text = report_title.strip(), report_text
    opinion.edited_by, opinion.edited_at = actor, timezone.now()
    opinion.save()
    _event(opinion, actor, OpinionAction.EDITED, "研究室编辑加工（原稿保留）")
    return opinion


@transaction.atomic
def opinion_decide(
    *,
    opinion: PublicOpinion,
    actor,
    adopt: bool,
    reason: str = "",
    on: date | None = None,
    to_party_committee: bool = False,
    to_government: bool = False,
    to_city_cppcc: bool = False,
) -> PublicOpinion:
    """采用 or 不采用 (with a reason). 采用 records where it was reported and counts in the ledger."""
    _require_staff(actor)
    opinion = _lock(opinion)
    target = OpinionStatus.ADOPTED if adopt else OpinionStatus.NOT_ADOPTED
    if not decision_allowed(opinion.status, target):
        raise TransitionNotAllowed(f"该社情民意已{opinion.get_status_display()}，不能再改为{target.label}。")
    if not adopt and not reason.strip():
        raise ValidationFailed("不采用时请说明理由。")
    if adopt and not (to_party_committee or to_government or to_city_cppcc):
        raise ValidationFailed("采用时请选择报送去向（区委、区政府或市政协）。")
    decided_on = on or timezone.localdate()
    opinion.status, opinion.decision_reason = target, reason
    opinion.decided_by, opinion.decided_on = actor, decided_on
    if adopt:
        opinion.reported_to_party_committee = to_party_committee
        opinion.reported_to_government = to_government
        opinion.reported_to_city_cppcc = to_city_cppcc
        opinion.reported_on = decided_on
    opinion.save()
    if adopt:
        where = "、".join(opinion.reported_to)
        _event(opinion, actor, OpinionAction.ADOPTED, f"报送{where}" + (f"；{reason}" if reason else ""))
        ledger.sync(opinion, ledger.opinion_adoption(opinion))
        _tell_author(opinion, actor, f"您报送的社情民意《{opinion.title}》已被采用", f"已报送{where}。")
    else:
        _event(opinion, actor, OpinionAction.NOT_ADOPTED, reason)
        _tell_author(opinion, actor, f"您报送的社情民意《{opinion.title}》未被采用", f"说明：{reason}")
    return opinion


@transaction.atomic
def opinion_update_reporting(
    *, opinion: PublicOpinion, actor, to_party_committee: bool, to_government: bool, to_city_cppcc: bool
) -> PublicOpinion:
    """Correct or add where an adopted report went."""
    opinion = _lock_adopted(opinion, actor, "登记报送去向")
    if not (to_party_committee or to_government or to_city_cppcc):
        raise ValidationFailed("请至少选择一个报送去向。")
    opinion.reported_to_party_committee = to_party_committee
    opinion.reported_to_government = to_government
    opinion.reported_to_city_cppcc = to_city_cppcc
    opinion.save()
    _event(opinion, actor, OpinionAction.REPORTED, "报送" + "、".join(opinion.reported_to))
    return opinion


@transaction.atomic
def opinion_record_instruction(
    *, opinion: PublicOpinion, actor, leader: str, level: str, text: str, instructed_on: date
) -> OpinionInstruction:
    """批示: who, level, text, date. The member's OPINION_INSTRUCTED entry is written once per report."""
    opinion = _lock_adopted(opinion, actor, "登记领导批示")
    if level not in InstructionLevel.values:
        raise ValidationFailed("请选择批示领导的层级。")
    if not leader.strip() or not text.strip():
        raise ValidationFailed("请填写批示领导和批示内容。")
    if opinion.decided_on and instructed_on < opinion.decided_on:
        raise ValidationFailed("批示日期不能早于采用日期。")
    instruction = OpinionInstruction.objects.create(
        opinion=opinion, leader=leader.strip(), level=level, text=text, instructed_on=instructed_on, recorded_by=actor
    )
    _event(opinion, actor, OpinionAction.INSTRUCTED, f"{leader}（{InstructionLevel(level).label}）批示")
    ledger.sync(opinion, ledger.opinion_instruction(opinion, ledger.first_instructed_on(opinion)))
    _tell_author(opinion, actor, f"您报送的社情民意《{opinion.title}》获{leader}批示", text)
    return instruction


@transaction.atomic
def opinion_record_feedback(
    *, opinion: PublicOpinion, actor, department: Organization, text: str, received_on: date
) -> OpinionFeedback:
    """A department's feedback on implementation, for the member to see."""
    opinion = _lock_adopted(opinion, actor, "登记部门反馈")
    require_text(text, "请填写落实情况。")
    feedback = OpinionFeedback.objects.create(
        opinion=opinion, department=department, text=text, received_on=received_on, recorded_by=actor
    )
    _event(opinion, actor, OpinionAction.FEEDBACK, f"{department}反馈落实情况")
    _tell_author(opinion, actor, f"社情民意《{opinion.title}》收到{department}的落实反馈")
    return feedback


@transaction.atomic
def opinion_set_channel(*, opinion: PublicOpinion, actor, channel: str) -> PublicOpinion:
    """Staff record the channel a report arrived through (政协直通车, 连心桥, 委员联络站, 网上 ...)."""
    _require_staff(actor)
    opinion = _lock(opinion)
    if channel not in OpinionChannel.values:
        raise ValidationFailed("请选择报送渠道。")
    if channel == opinion.channel:
        return opinion
    old = opinion.get_channel_display()
    opinion.channel = channel
    opinion.save(update_fields=["channel", "updated_at"])
    _event(opinion, actor, OpinionAction.CHANNEL, f"{old} → {opinion.get_channel_display()}")
    return opinion


@transaction.atomic
def opinion_record_higher_adoption(
    *, opinion: PublicOpinion, actor, level: str, adopted_on: date, note: str = ""
) -> HigherAdoption:
    """采用 by the 市政协 or the 全国政协: once per level, after the district adopted it;
    each one is credited to the member in the performance ledger."""
    opinion = _lock_adopted(opinion, actor, "登记上级政协采用")
    if level not in HigherLevel.values:
        raise ValidationFailed("请选择采用单位（市政协或全国政协）。")
    if opinion.decided_on and adopted_on < opinion.decided_on:
        raise ValidationFailed("上级采用日期不能早于本级采用日期。")
    if adopted_on > timezone.localdate():
        raise ValidationFailed("采用日期不能晚于今天。")
    if opinion.higher_adoptions.filter(level=level).exists():
        raise TransitionNotAllowed(f"已登记过{HigherLevel(level).label}采用。")
    adoption = HigherAdoption.objects.create(
        opinion=opinion, level=level, adopted_on=adopted_on, note=note.strip(), recorded_by=actor
    )
    label = HigherLevel(level).label
    _event(opinion, actor, OpinionAction.HIGHER_ADOPTED, f"{label}采用" + (f"：{note.strip()}" if note.strip() else ""))
    ledger.credit_higher_adoption(adoption)
    _tell_author(opinion, actor, f"您报送的社情民意《{opinion.title}》被{label}采用", note)
    return adoption


@transaction.atomic
def opinion_create_from_micro(*, actor, suggestion) -> PublicOpinion:
    """A 微建议 staff judged worth reporting becomes a 社情民意 report in the member's name
    (channel 微建议转化), filed today; the member is credited for filing it."""
    _require_staff(actor)
    submitted_on = timezone.localdate()
    situation = suggestion.problem + (f"\n（地点：{suggestion.place}）" if suggestion.place else "")
    if suggestion.answer:
        situation += f"\n{suggestion.unit}答复：{suggestion.answer}"
    opinion = PublicOpinion.objects.create(
        title=suggestion.title,
        situation=situation,
        suggestion=suggestion.suggestion,
        author=suggestion.member,
        filed_by=actor,
        station=suggestion.station,
        channel=OpinionChannel.MICRO,
        submitted_on=submitted_on,
        review_due=clocks.review_due(submitted_on=submitted_on, urgent=False),
    )
    _event(opinion, actor, OpinionAction.FILED, f"由微建议《{suggestion.title}》转化")
    ledger.sync(opinion, ledger.opinion_filing(opinion))
    _tell_author(opinion, actor, f"您的微建议《{suggestion.title}》已转为社情民意信息")
    return opinion
