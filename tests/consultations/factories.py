"""Test data made through the services, as the pages make it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from consultations import services
from consultations.models import ConsultationForm, OnlineTopic, Session
from members.models import Member, User


def staff() -> User:
    return User.objects.get(username="staff")


def member(username: str) -> Member:
    return Member.objects.get(user__username=username)


def make_session(
    *,
    starts_at: datetime | None = None,
    hours: int = 2,
    required=("member1",),
    signup=(),
    is_public: bool = False,
    title: str = "测试协商会",
    outsiders=(),
    form: str = "专题协商会",
) -> Session:
    starts_at = starts_at or timezone.now() + timedelta(minutes=30)
    return services.session_create(
        actor=staff(),
        data={
            "title": title,
            "form": ConsultationForm.objects.get(name=form),
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=hours),
            "venue": "区政协第一会议室",
            "is_public": is_public,
        },
        required=[member(name) for name in required],
        signup=[member(name) for name in signup],
        outsiders=outsiders,
    )


def aware(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def make_online_topic(
    *,
    opens_at: datetime | None = None,
    days: int = 7,
    members=("member1",),
    is_public: bool = False,
    title: str = "测试网络议政",
) -> OnlineTopic:
    opens_at = opens_at or timezone.now() - timedelta(hours=1)
    return services.online_topic_save(
        actor=staff(),
        data={
            "title": title,
            "background": "背景材料：本次网络议政围绕社区治理征集意见。",
            "opens_at": opens_at,
            "closes_at": opens_at + timedelta(days=days),
            "is_public": is_public,
        },
        members=[member(name) for name in members],
    )
