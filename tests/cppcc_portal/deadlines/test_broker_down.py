"""Redis (the broker) down: a unit's reply still saves; the next sweep delivers what is owed."""

from __future__ import annotations

import logging
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from cppcc_portal.celery import app
from cppcc_portal.deadlines.sweep import run_sweep
from cppcc_portal.models import Notification
from members.models import User
from tests.proposals.builders import contact

from .builders import at, new_proposal, on

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


def _reset_broker_pools() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(monkeypatch):
    """The broker is unreachable and tasks really go to it (not run in-process)."""
    # The Django-namespaced keys win over the plain ones: set both.
    for key in ("task_always_eager", "CELERY_TASK_ALWAYS_EAGER"):
        monkeypatch.setitem(app.conf, key, False)
    for key in ("broker_url", "CELERY_BROKER_URL"):
        monkeypatch.setitem(app.conf, key, CLOSED_PORT_BROKER)
    _reset_broker_pools()
    yield
    monkeypatch.undo()
    _reset_broker_pools()


def assigned_proposal(demo):
    from members.models import Organization
    from proposals import services

    edu = Organization.objects.get(name="区教育局")
    with on(date(2026, 3, 2), 8):
        p = new_proposal(demo, title="关于增设社区养老服务站点的建议")
        p = services.proposal_submit(proposal=p, actor=demo["member2"], version=None)
        p = services.proposal_register(proposal=p, actor=demo["staff"], version=None)
        p = services.proposal_assign(proposal=p, actor=demo["staff"], version=None, lead_unit=edu)
        p = services.assignment_accept(proposal=p, actor=demo["unit_edu"], version=None)
    return p


def test_a_units_reply_saves_with_the_broker_down_and_the_sweep_catches_up(
    demo, client, caplog, django_capture_on_commit_callbacks, broker_down, request
):
    from proposals.enums import AssignmentState

    author = demo["member2"]
    author.email, author.email_mode = "member2@example.org", "immediate"
    author.save()
    p = assigned_proposal(demo)
    lead = p.assignments.get()
    # 先沟通后答复: the 经办人 met the proposer; the unit's 负责人 signs the reply off.
    with time_machine.travel(at(date(2026, 3, 9), 10), tick=False):
        contact(p, demo["unit_edu"], assignment=lead)
    p.refresh_from_db()  # the contact went through the door: a new version
    client.force_login(User.objects.get(username="unit_edu_head"))
    # Time ticks here: the broker client's connect timeout must be able to run out.
    ticking = time_machine.travel(at(date(2026, 3, 10), 10), tick=True)
    with ticking, caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("proposals:reply", args=[p.pk]),
            {
                "version": p.version,
                "assignment": lead.pk,
                "reply_class": "A",
                "reply_text": "已采纳，计划年内新增站点三个。",
                "publishable": "on",
            },
        )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.state == AssignmentState.REPLIED  # the reply saved
    assert "Could not enqueue" in caplog.text  # the failed enqueue was logged
    told = Notification.objects.filter(recipient=author, link=p.get_absolute_url(), kind="proposal.replied")
    assert told.count() == 1 and told.get().delivery_pending  # in the inbox; e-mail still owed

    # Redis is back: the next sweep (evaluation reminder day) sends its notice and the owed e-mail.
    request.getfixturevalue("monkeypatch").undo()
    _reset_broker_pools()
    assert app.conf.task_always_eager
    mail.outbox.clear()
    evaluation_reminder_day = date(2026, 3, 24)  # evaluation due Mar 31, reminder 5 working days before
    with on(evaluation_reminder_day, 9):
        result = run_sweep(at(evaluation_reminder_day))
    assert result.notices >= 1
    to_author = [message.subject for message in mail.outbox if author.email in message.to]
    assert any("已答复" in subject for subject in to_author)
    assert any("期限提醒" in subject for subject in to_author)
    assert not Notification.objects.filter(recipient=author, delivery_pending=True).exists()
