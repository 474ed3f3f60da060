"""Deadline clocks: declared in code by each app, lengths editable by staff.

An app declares a clock once (usually in its ``clocks.py``, imported from
``AppConfig.ready()``)::

    register_clock(ClockSpec(
        key="proposal.review", label="立案审查", start_label="提交后",
        length=10, unit=Unit.WORKING_DAYS, reminders=(3,),
    ))

and stores each item's due date in an indexed ``DateField`` computed with
``due_date("proposal.review", submitted_on)``. The length in force comes from the
``DeadlinePolicy`` row for the key (created from the declaration the first time
it is needed, then edited by staff in the admin). Changing a policy never moves
due dates already stored, unless staff run the admin action "recompute open
ones", which asks each source's ``recompute_due`` hook.

Reminders and escalations (the engine)
--------------------------------------

A clock becomes *live* when its app also registers a ``ClockSource`` (see
``registry.ClockSource`` for the full contract): which model and indexed
due-date column hold the items, which rows are still open, and who the relation
names used by the ladder are (``recipients(item, "unit_head")``). The ladder
itself is data: ``DeadlinePolicy.reminder_offsets`` / ``reminder_recipients``
and ``EscalationStep`` rows (after N working days overdue, level, relation
names), seeded from ``ClockSpec(reminders=..., remind=..., escalations=...)``
and edited by staff in the admin.

``sweep.run_sweep()`` (Celery task ``cppcc_portal.deadlines.sweep`` every 15
minutes via django-celery-beat, or ``manage.py sweep_deadlines [--now ISO]``)
asks each source's due-date column for the items in a reminder window or
overdue, and records every notice in ``NoticeLedger`` (unique per item, clock,
due date, stage, recipient) in the same transaction as ``notify(urgent=True)``:
each reminder and escalation is sent once, however often or concurrently the
sweep runs. The board at ``/deadlines/`` (``board.py``) reads the same sources.
"""

from .registry import (
    RELATION_LABELS,
    ClockSource,
    ClockSpec,
    Escalation,
    Unit,
    all_clocks,
    all_sources,
    due_date,
    get_clock,
    get_source,
    policy_for,
    register_clock,
    register_source,
    relation_label,
    rule_text,
    system_actor,
    unregister_source,
)

__all__ = [
    "RELATION_LABELS",
    "ClockSource",
    "ClockSpec",
    "Escalation",
    "Unit",
    "all_clocks",
    "all_sources",
    "due_date",
    "get_clock",
    "get_source",
    "policy_for",
    "register_clock",
    "register_source",
    "relation_label",
    "rule_text",
    "system_actor",
    "unregister_source",
]
