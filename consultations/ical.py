"""A member's sessions as an iCalendar feed (for phone calendars)."""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar, Event

from members.models import Member

from .selectors import member_sessions_for_feed


def member_feed(member: Member, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//区政协履职服务平台//协商议政//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{member.name}的协商活动")
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    stamp = timezone.now()
    for session in member_sessions_for_feed(member):
        event = Event()
        event.add("uid", f"consultation-session-{session.pk}@cppcc-portal")
        event.add("summary", session.title)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("dtstamp", stamp)
        event.add("location", session.venue)
        online = (
            f"远程协商，视频会议：{session.meeting_url}。请在会议期间登录平台在线签到。" if session.is_online else ""
        )
        event.add("description", f"{session.form}。{online}{session.description}".strip())
        event.add("url", base_url.rstrip("/") + session.get_absolute_url())
        calendar.add_component(event)
    return calendar.to_ical()
