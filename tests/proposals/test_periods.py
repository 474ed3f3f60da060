"""Deadlines and series: after the session's proposal deadline new proposals are 平时提案,
and 大会 and 平时 proposals are numbered in gap-free series of their own."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cppcc_portal.errors import ValidationFailed
from members.models import PlenarySession
from proposals import services
from proposals.enums import Period
from proposals.models import Proposal, ProposalCategory, ProposalSettings

pytestmark = pytest.mark.django_db


def set_deadline(days_from_today: int | None) -> PlenarySession:
    session = PlenarySession.current()
    session.proposal_deadline = None if days_from_today is None else timezone.localdate() + timedelta(days_from_today)
    session.save()
    return session


def draft(demo, username="member1", **extra):
    return services.proposal_create(
        actor=demo[username],
        title="关于加强背街小巷环境整治的建议",
        category=ProposalCategory.objects.first(),
        background="背街小巷环境脏乱。",
        suggestions="建立长效保洁机制。",
        **extra,
    )


@pytest.mark.parametrize(
    ("deadline", "period"),
    [(-1, Period.INTERIM), (0, Period.PLENARY), (5, Period.PLENARY), (None, Period.PLENARY)],
)
def test_the_deadline_decides_the_period_of_a_new_proposal(demo, deadline, period):
    set_deadline(deadline)
    assert draft(demo).period == period


def test_a_made_up_period_is_refused(demo):
    with pytest.raises(ValidationFailed, match="提案类型不正确"):
        draft(demo, period="whenever")
    assert not Proposal.objects.filter(title="关于加强背街小巷环境整治的建议").exists()


def test_plenary_and_interim_proposals_have_their_own_gap_free_series(demo):
    session = PlenarySession.current()
    settings = ProposalSettings.get()
    settings.number_format = "{session}{period}第{seq:04d}号"
    settings.interim_number_format = "{session}{period}第{seq:04d}号（平时）"
    settings.save()
    before = Proposal.objects.filter(session=session, period=Period.PLENARY).exclude(sequence=None).count()

    def registered(period):
        p = draft(demo, period=period)
        services.proposal_submit(proposal=p, actor=demo["member1"], version=None)
        return services.proposal_register(proposal=p, actor=demo["staff"], version=None)

    plenary_a, interim_a, plenary_b, interim_b = (
        registered(Period.PLENARY),
        registered(Period.INTERIM),
        registered(Period.PLENARY),
        registered(Period.INTERIM),
    )
    assert (plenary_a.sequence, plenary_b.sequence) == (before + 1, before + 2)
    assert (interim_a.sequence, interim_b.sequence) == (1, 2)
    assert plenary_a.number == f"{session.short_name}大会第{before + 1:04d}号"
    assert interim_b.number == f"{session.short_name}平时第0002号（平时）"


def test_default_formats_keep_the_series_apart(demo):
    session = PlenarySession.current()
    settings = ProposalSettings.get()
    assert settings.format_number(session=session, seq=3, period="interim") == f"{session.short_name}平时第0003号"
    assert settings.format_number(session=session, seq=3) == f"{session.short_name}第0003号"


def test_the_two_formats_must_differ(demo):
    settings = ProposalSettings.get()
    settings.interim_number_format = settings.number_format
    with pytest.raises(ValidationError, match="须与大会提案编号格式不同"):
        settings.full_clean()


def test_the_form_says_so_after_the_deadline_and_files_an_interim_proposal(login):
    session = set_deadline(-3)
    client = login("member1")
    html = client.get("/proposals/new/").content.decode()
    assert "大会提案已于" in html and "现在提交的提案为平时提案" in html
    assert 'name="period"' not in html
    response = client.post(
        "/proposals/new/",
        {
            "title": "关于增加夜间公交线路的建议",
            "category": ProposalCategory.objects.first().pk,
            "background": "夜间出行不便。",
            "suggestions": "开通夜班公交。",
            "period": "plenary",  # a tampered form cannot choose
            "form_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert Proposal.objects.get(title="关于增加夜间公交线路的建议", session=session).period == Period.INTERIM


def test_the_form_names_the_deadline_before_it(login):
    set_deadline(2)
    html = login("member1").get("/proposals/new/").content.decode()
    assert "大会提案（截止日期：" in html
