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
due dates already stored.
"""

from .registry import (
    ClockSource,
    ClockSpec,
    Unit,
    all_clocks,
    all_sources,
    due_date,
    get_clock,
    policy_for,
    register_clock,
    register_source,
    rule_text,
)

__all__ = [
    "ClockSource",
    "ClockSpec",
    "Unit",
    "all_clocks",
    "all_sources",
    "due_date",
    "get_clock",
    "policy_for",
    "register_clock",
    "register_source",
    "rule_text",
]
