"""A batch of the sweep costs the same queries for 6 due items as for 30: the stage's items
are locked in one query, and their markers, timeline entries (the handling clock's side
effect), notices and ledger rows are each written in one insert; recipients are read once
a batch. Each item still gets its entries once, and a second sweep writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cppcc_portal.deadlines import policy_cache, sweep
from cppcc_portal.deadlines.sweep import run_sweep
from cppcc_portal.models import NoticeLedger, Notification

from .builders import at

DAY = date(2026, 3, 10)  # a Tuesday
KEYS = ["proposal.handling"]


class Rollback(Exception):
    pass


def handling_items(count: int) -> dict[str, list]:
    """``count`` accepted split assignments in handling, a third each 12 working days overdue
    (both escalation levels owed), 2 overdue (level 1) and 3 before the due date (a reminder)."""
    from cppcc_portal import workdays
    from members.models import Member, Organization, PlenarySession, User
    from proposals.enums import AssignmentKind, AssignmentState, ProposalState
    from proposals.models import Assignment, Proposal, ProposalCategory

    units = list(Organization.objects.filter(kind="handling_unit").order_by("pk"))
    staff = User.objects.get(username="staff")
    proposals = Proposal.objects.bulk_create(
        Proposal(
            session=PlenarySession.current(),
            title=f"批量巡检提案{n}",
            category=ProposalCategory.objects.first(),
            background="测试",
            suggestions="测试",
            author=Member.objects.filter(user__isnull=False).first(),
            filed_by=staff,
            state=ProposalState.HANDLING,
        )
        for n in range(count)
    )
    shapes = {"late": -12, "overdue": -2, "soon": 3}
    items: dict[str, list] = {shape: [] for shape in shapes}
    for n, proposal in enumerate(proposals):
        shape = list(shapes)[n % 3]
        items[shape].append(
            Assignment.objects.create(
                proposal=proposal,
                unit=units[n % len(units)],
                kind=AssignmentKind.SPLIT,
                state=AssignmentState.ACCEPTED,
                assigned_on=DAY - timedelta(days=120),
                assigned_by=staff,
                accept_due=DAY - timedelta(days=110),
                handling_due=workdays.add_working_days(DAY, shapes[shape]),
            )
        )
    return items


def sweep_twice(count: int, monkeypatch) -> dict:
    """Build ``count`` items, sweep (one batch a stage), sweep again; report, then roll back."""
    from proposals.models import ProposalEvent

    monkeypatch.setattr(sweep, "FIRST_BATCH", sweep.BATCH_SIZE)
    ContentType.objects.clear_cache()  # both runs read it once
    policy_cache.forget()  # and the deadline policies (the process copy re-checks once a second)
    report: dict = {}
    try:
        with transaction.atomic():
            items = handling_items(count)
            with CaptureQueriesContext(connection) as queries:
                first = run_sweep(at(DAY), keys=KEYS, deliver=False)
            report["queries"] = len(queries)
            report["events"] = {
                shape: sorted(
                    ProposalEvent.objects.filter(assignment__in=found, action="deadline").values_list("label", "note")
                )
                for shape, found in items.items()
            }
            report["first"] = first
            counts = Notification.objects.count(), NoticeLedger.objects.count(), ProposalEvent.objects.count()
            report["again"] = run_sweep(at(DAY), keys=KEYS, deliver=False)
            report["unchanged"] = counts == (
                Notification.objects.count(),
                NoticeLedger.objects.count(),
                ProposalEvent.objects.count(),
            )
            report["items"] = items
            raise Rollback
    except Rollback:
        pass
    return report


def test_a_batch_costs_the_same_queries_for_five_times_the_items(demo, monkeypatch):
    small, large = sweep_twice(6, monkeypatch), sweep_twice(30, monkeypatch)
    # A third of the items owe two escalations, a third one, a third a reminder.
    assert (small["first"].stages, large["first"].stages) == (8, 40)
    assert large["queries"] == small["queries"]


def test_each_overdue_item_gets_its_timeline_entries_once(demo, monkeypatch):
    report = sweep_twice(9, monkeypatch)
    late, overdue = [], []
    for item in report["items"]["late"]:
        unit = item.unit.name
        late.append(
            sorted(
                [
                    (f"{unit}：办理逾期", "已告知单位负责人和提案委。"),
                    (f"{unit}：办理逾期，升级督办", "逾期已满10个工作日，已报督办领导。"),
                ]
            )
        )
    for item in report["items"]["overdue"]:
        overdue.append([(f"{item.unit.name}：办理逾期", "已告知单位负责人和提案委。")])
    assert report["events"]["late"] == sorted(entry for entries in late for entry in entries)
    assert report["events"]["overdue"] == sorted(entry for entries in overdue for entry in entries)
    assert report["events"]["soon"] == []  # a reminder has no side effect
    assert report["again"].stages == 0 and report["again"].notices == 0
    assert report["unchanged"]


def test_a_batch_finds_the_same_recipients_as_one_item_at_a_time(demo):
    """Every relation a proposal clock answers, for the demo's proposals and assignments: the
    batch answer (``recipients_for``) equals the per-item one (``recipients``)."""
    from cppcc_portal.deadlines.registry import get_source
    from proposals.clocks import RELATIONS
    from proposals.models import Proposal

    merged = Proposal.objects.filter(merged_into__isnull=False).values_list("merged_into_id", flat=True)
    assert merged.exists() and Proposal.objects.filter(signers__status="confirmed").exists()
    for key in ("proposal.review", "proposal.handling", "proposal.evaluation"):
        source = get_source(key)
        items = list(source.get_model().objects.select_related(*source.related).order_by("pk"))
        assert items
        for relation in RELATIONS:
            batch = source.recipients_for(items, relation)
            one_by_one = {item.pk: source.recipients(item, relation) for item in items}
            assert {pk: sorted(user.pk for user in users) for pk, users in batch.items()} == {
                pk: sorted(user.pk for user in users) for pk, users in one_by_one.items()
            }, (key, relation)
