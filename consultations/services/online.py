"""网络议政 (online deliberation): topics, members' opinions and replies, the public's moderated
comments, closing with the 意见汇总, and the adoption of opinions.

Each service locks the topic (or post) it changes, checks the phase against
``workflow.ONLINE_ACTIONS`` / ``workflow.MODERATION`` and the actor's right, saves (history
rows come from ``simple_history``) and queues notices in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.notifications import notify
from members.models import Member

from .. import ledger
from ..enums import Moderation, OnlinePhase, OutcomeKind
from ..models import OnlinePost, OnlineTopic, Suggestion
from ..workflow import MODERATION, online_allows
from .common import _require_staff, _users_of_members
from .outcomes import outcome_save, suggestion_add

MAX_TEXT = 2000
MAX_NAME = 40
PHASE_REFUSALS = {
    OnlinePhase.UPCOMING: "网络议政尚未开始，请在开始后再发表意见。",
    OnlinePhase.ENDED: "网络议政已截止，不能再发表意见。",
    OnlinePhase.CLOSED: "网络议政已结束并形成意见汇总。",
}


class Throttled(ValidationFailed):
    """Too many public comments from one address."""


def _locked(topic: OnlineTopic) -> OnlineTopic:
    return OnlineTopic.objects.select_for_update(of=("self",)).get(pk=topic.pk)


def _require_phase(topic: OnlineTopic, action: str, now: datetime, message: str = "") -> OnlinePhase:
    phase = topic.phase(now)
    if not online_allows(phase, action):
        raise TransitionNotAllowed(message or PHASE_REFUSALS.get(phase, "当前阶段不能进行此操作。"))
    return phase


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("请填写意见内容。")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"意见内容不能超过 {MAX_TEXT} 字。")
    return text


@transaction.atomic
def online_topic_save(
    *, actor, data: dict, members: Iterable[Member] = (), topic: OnlineTopic | None = None
) -> OnlineTopic:
    """Open a topic (or edit it until it is closed); invited members are told once, when first invited."""
    _require_staff(actor)
    now = timezone.now()
    if topic is not None:
        topic = _locked(topic)
        _require_phase(topic, "edit", now, "意见汇总已形成，不能再修改。")
        already = set(topic.members.values_list("pk", flat=True))
    else:
        topic = OnlineTopic(created_by=actor)
        already = set()
    if data["closes_at"] <= data["opens_at"]:
        raise ValidationFailed("截止时间必须晚于开始时间。")
    for field, value in data.items():
        setattr(topic, field, value)
    topic.full_clean()
    topic.save()
    members = list(members)
    topic.members.set(members)
    new = [member for member in members if member.pk not in already]
    if new:
        opens = timezone.localtime(topic.opens_at)
        closes = timezone.localtime(topic.closes_at)
        notify(
            _users_of_members(Member.objects.filter(pk__in=[m.pk for m in new]).select_related("user")),
            kind="consultations.online",
            subject=f"网络议政邀请：{topic.title}",
            body=f"请于{opens:%m月%d日 %H:%M}至{closes:%m月%d日 %H:%M}在平台上发表意见。",
            link=topic.get_absolute_url(),
        )
    return topic


def may_post(user, topic: OnlineTopic) -> bool:
    return user.has_perm("consultations.post_online", topic)


@transaction.atomic
def online_post_create(
    *, actor, topic: OnlineTopic, text: str, parent: OnlinePost | None = None, now: datetime | None = None
) -> OnlinePost:
    """A member's opinion (or reply to a top-level opinion), shown at once, within the window."""
    now = now or timezone.now()
    member = getattr(actor, "member", None)
    if member is None or not may_post(actor, topic):
        raise PermissionDeniedError("只有受邀委员可以在此发表意见。")
    topic = _locked(topic)
    _require_phase(topic, "post", now)
    text = _clean_text(text)
    if parent is not None:
        if parent.topic_id != topic.pk or parent.moderation != Moderation.APPROVED:
            raise ValidationFailed("要回复的意见不存在。")
        if parent.parent_id is not None:
            parent = parent.parent  # one level: a reply to a reply joins the same thread
    post = OnlinePost.objects.create(
        topic=topic, parent=parent, member=member, text=text, created_at=now, moderation=Moderation.APPROVED
    )
    if parent is not None and parent.member_id and parent.member_id != member.pk:
        notify(
            _users_of_members(Member.objects.filter(pk=parent.member_id).select_related("user")),
            kind="consultations.online",
            subject=f"{member.name}回复了您在网络议政中的意见",
            body=text[:100],
            link=topic.get_absolute_url(),
        )
    return post


@transaction.atomic
def online_comment_create(
    *, actor, topic: OnlineTopic, text: str, name: str, address: str | None, now: datetime | None = None
) -> OnlinePost:
    """A comment from the public: only on a public topic within its window, at most
    ``PORTAL_PUBLIC_COMMENTS_PER_WINDOW`` per address per ``PORTAL_PUBLIC_COMMENT_WINDOW`` minutes,
    and shown only once staff approve it."""
    now = now or timezone.now()
    if getattr(actor, "member", None) is not None:
        raise PermissionDeniedError("委员请以委员身份发表意见。")
    topic = _locked(topic)
    if not topic.is_public:
        raise PermissionDeniedError("本次网络议政不向社会公开征集意见。")
    _require_phase(topic, "comment", now)
    if not address:
        raise ValidationFailed("无法识别您的网络地址，暂不能留言。")
    minutes = settings.PORTAL_PUBLIC_COMMENT_WINDOW
    recent = OnlinePost.objects.filter(client_address=address, created_at__gt=now - timedelta(minutes=minutes))
    if recent.count() >= settings.PORTAL_PUBLIC_COMMENTS_PER_WINDOW:
        raise Throttled(
            f"留言过于频繁：同一网络地址{minutes}分钟内最多留言{settings.PORTAL_PUBLIC_COMMENTS_PER_WINDOW}条，请稍后再试。"
        )
    name = (name or "").strip()[:MAX_NAME] or "网友"
    text = _clean_text(text)
    post = OnlinePost.objects.create(
        topic=topic, public_name=name, client_address=address, text=text, created_at=now, moderation=Moderation.PENDING
    )
    return post


@transaction.atomic
def online_post_moderate(*, actor, post: OnlinePost, decision: str) -> OnlinePost:
    """Staff approve or reject a public comment; only approved ones are ever shown."""
    _require_staff(actor)
    post = OnlinePost.objects.select_for_update(of=("self",)).select_related("topic").get(pk=post.pk)
    if not post.is_public_comment:
        raise ValidationFailed("委员意见无需审核。")
    _require_phase(post.topic, "moderate", timezone.now(), "意见汇总已形成，不能再审核留言。")
    if decision not in MODERATION.get(post.moderation, set()):
        raise TransitionNotAllowed(
            f"该留言当前为“{post.get_moderation_display()}”，不能改为“{Moderation(decision).label}”。"
        )
    post.moderation = decision
    post.moderated_by = actor
    post.moderated_at = timezone.now()
    post.save()
    return post


def _summary_text(topic: OnlineTopic) -> str:
    posts = topic.posts.filter(moderation=Moderation.APPROVED)
    members = posts.filter(member__isnull=False)
    return (
        f"网络议政“{topic.title}”于{timezone.localtime(topic.opens_at):%Y年%m月%d日}至"
        f"{timezone.localtime(topic.closes_at):%Y年%m月%d日}进行，"
        f"共收到委员意见{members.count()}条（{members.values('member').distinct().count()}位委员参与）"
        f"、经审核的群众留言{posts.filter(member__isnull=True).count()}条。"
    )


@transaction.atomic
def online_topic_close(*, actor, topic: OnlineTopic, now: datetime | None = None) -> OnlineTopic:
    """Close the topic (early, if still open) and compile the 意见汇总 as a consultation outcome.
    Refused while public comments wait for moderation."""
    _require_staff(actor)
    now = now or timezone.now()
    topic = _locked(topic)
    phase = _require_phase(topic, "close", now, "网络议政尚未开始或已汇总，不能结束。")
    pending = topic.posts.filter(moderation=Moderation.PENDING).count()
    if pending:
        raise ValidationFailed(f"还有 {pending} 条群众留言待审核，请审核后再结束。")
    if phase == OnlinePhase.OPEN:
        topic.closes_at = now
    topic.closed_at = now
    topic.closed_by = actor
    topic.outcome = outcome_save(
        actor=actor,
        data={
            "topic": topic.topic,
            "kind": OutcomeKind.ONLINE_SUMMARY,
            "title": f"“{topic.title}”网络议政意见汇总",
            "summary": _summary_text(topic),
        },
    )
    topic.save()
    notify(
        _users_of_members(topic.members.select_related("user")),
        kind="consultations.online",
        subject=f"网络议政已结束：{topic.title}",
        body="意见汇总已形成，感谢您的参与。",
        link=topic.get_absolute_url(),
    )
    return topic


@transaction.atomic
def online_post_adopt(*, actor, post: OnlinePost, adopted: bool = True) -> OnlinePost:
    """Staff mark an opinion adopted into the 意见汇总 (it becomes one of the outcome's suggestions,
    which departments answer; its member is credited), or take that back while no department has
    answered it."""
    _require_staff(actor)
    post = OnlinePost.objects.select_for_update(of=("self",)).select_related("topic", "member").get(pk=post.pk)
    topic = post.topic
    _require_phase(topic, "adopt", timezone.now(), "请先结束网络议政、形成意见汇总，再标记采纳。")
    if post.moderation != Moderation.APPROVED:
        raise ValidationFailed("未通过审核的留言不能采纳。")
    if adopted == bool(post.adopted_at):
        raise TransitionNotAllowed("该意见已标记为采纳。" if adopted else "该意见尚未被采纳。")
    if adopted:
        if topic.outcome_id is None:
            raise TransitionNotAllowed("意见汇总不存在，不能标记采纳。")
        post.adopted_at = timezone.now()
        post.suggestion = suggestion_add(actor=actor, outcome=topic.outcome, text=post.text, departments=[])
    else:
        suggestion = post.suggestion
        if suggestion is not None and suggestion.feedback.exists():
            raise TransitionNotAllowed("部门已就该意见反馈落实情况，不能撤销采纳。")
        post.adopted_at = None
        post.suggestion = None
        if suggestion is not None:
            _remove_suggestion(suggestion)
    post.save()
    ledger.sync(post)
    if adopted and post.member_id:
        notify(
            _users_of_members([post.member]),
            kind="consultations.online",
            subject=f"您在网络议政中的意见被采纳：{topic.title}",
            body=post.text[:100],
            link=topic.get_absolute_url(),
        )
    return post


def _remove_suggestion(suggestion: Suggestion) -> None:
    """Delete it and close the gap in the outcome's numbering."""
    outcome_id, number = suggestion.outcome_id, suggestion.number
    suggestion.delete()
    for later in Suggestion.objects.filter(outcome_id=outcome_id, number__gt=number).order_by("number"):
        Suggestion.objects.filter(pk=later.pk).update(number=F("number") - 1)
