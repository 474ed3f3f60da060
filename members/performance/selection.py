"""优秀委员评选: committees and sectors recommend (capped), staff review, then publish."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from django.db import transaction
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.notifications import notify

from ..models import Committee, Member, Sector
from .enums import CandidateStatus, RecommendChannel, RoundStatus
from .models import SelectionCandidate, SelectionRound

NEXT_STATUS = {RoundStatus.RECOMMENDING: RoundStatus.REVIEWING, RoundStatus.REVIEWING: RoundStatus.PUBLISHED}


def eligible_members():
    """In office and not a 主席会议成员 (leaders are excluded)."""
    return Member.objects.active().exclude(position__is_leadership=True)


def round_cap(round_: SelectionRound) -> int:
    """How many candidates the round may hold: cap_percent of eligible members, at least 1."""
    count = eligible_members().count()
    return max(1, int((Decimal(count) * round_.cap_percent / 100).to_integral_value(ROUND_FLOOR)))


@transaction.atomic
def round_create(*, actor, year: int, title: str, cap_percent: Decimal) -> SelectionRound:
    if not actor.has_perm("members.review_selection"):
        raise PermissionDeniedError("只有机关工作人员可以发起评选。")
    if not Decimal(5) <= Decimal(cap_percent) <= Decimal(10):
        raise ValidationFailed("推荐比例上限应在5%至10%之间。")
    if SelectionRound.objects.filter(year=year).exists():
        raise ValidationFailed(f"{year}年度的评选已经存在。")
    return SelectionRound.objects.create(year=year, title=title, cap_percent=cap_percent)


@transaction.atomic
def candidate_recommend(
    *,
    actor,
    round_: SelectionRound,
    member: Member,
    channel: str,
    reason: str,
    committee: Committee | None = None,
    sector: Sector | None = None,
) -> SelectionCandidate:
    """A committee or sector recommends a member, within the round's cap; leaders cannot be."""
    if not actor.has_perm("members.recommend_outstanding"):
        raise PermissionDeniedError("您没有推荐优秀委员的权限。")
    round_ = SelectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.RECOMMENDING:
        raise TransitionNotAllowed("推荐阶段已经结束。")
    if not eligible_members().filter(pk=member.pk).exists():
        raise ValidationFailed(f"{member.name}不在推荐范围内（主席会议成员和离任委员不参加评选）。")
    if channel == RecommendChannel.COMMITTEE:
        if committee is None:
            raise ValidationFailed("请选择推荐的专委会。")
        sector = None
        if not actor.has_perm("members.review_selection"):
            own = getattr(actor, "member", None)
            if not own or not own.committee_memberships.filter(committee=committee, role="director").exists():
                raise PermissionDeniedError("只能以本人担任主任的专委会名义推荐。")
    elif channel == RecommendChannel.SECTOR:
        if sector is None:
            raise ValidationFailed("请选择推荐的界别。")
        if not actor.has_perm("members.review_selection"):
            raise PermissionDeniedError("界别推荐由机关工作人员录入。")
        committee = None
    else:
        raise ValidationFailed("推荐渠道无效。")
    if round_.candidates.filter(member=member).exists():
        raise ValidationFailed(f"{member.name}已被推荐。")
    cap = round_cap(round_)
    if round_.candidates.count() >= cap:
        raise ValidationFailed(f"推荐人数已达上限（{cap}人，在任委员的{round_.cap_percent}%）。")
    if not reason.strip():
        raise ValidationFailed("请填写推荐理由。")
    return SelectionCandidate.objects.create(
        round=round_,
        member=member,
        channel=channel,
        committee=committee,
        sector=sector,
        reason=reason,
        recommended_by=actor,
    )


@transaction.atomic
def candidate_review(*, actor, candidate: SelectionCandidate, approve: bool, note: str = "") -> SelectionCandidate:
    if not actor.has_perm("members.review_selection"):
        raise PermissionDeniedError("只有机关工作人员可以审核候选人。")
    candidate = SelectionCandidate.objects.select_for_update(of=("self",)).select_related("round").get(pk=candidate.pk)
    if candidate.round.status != RoundStatus.REVIEWING:
        raise TransitionNotAllowed("评选不在审核阶段。")
    candidate.status = CandidateStatus.APPROVED if approve else CandidateStatus.REJECTED
    candidate.review_note = note[:200]
    candidate.save(update_fields=["status", "review_note"])
    return candidate


@transaction.atomic
def round_advance(*, actor, round_: SelectionRound) -> SelectionRound:
    """推荐中 → 审核中 → 已公布. Publishing needs every candidate reviewed; winners are told."""
    if not actor.has_perm("members.review_selection"):
        raise PermissionDeniedError("只有机关工作人员可以推进评选。")
    round_ = SelectionRound.objects.select_for_update().get(pk=round_.pk)
    target = NEXT_STATUS.get(round_.status)
    if target is None:
        raise TransitionNotAllowed("评选结果已经公布。")
    if target == RoundStatus.PUBLISHED:
        if round_.candidates.filter(status=CandidateStatus.RECOMMENDED).exists():
            raise ValidationFailed("还有候选人未审核，不能公布。")
        round_.published_at = timezone.now()
        winners = round_.candidates.filter(status=CandidateStatus.APPROVED).select_related("member__user")
        notify(
            [c.member.user for c in winners if c.member.user_id],
            kind="selection",
            subject=f"您被评为{round_.year}年度优秀委员",
            link=round_.get_absolute_url(),
        )
    round_.status = target
    round_.save(update_fields=["status", "published_at"])
    return round_
