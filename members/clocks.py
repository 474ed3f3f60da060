"""Deadline clocks declared by ``members``.

The 五个一 clock runs for the calendar year. Its reminders are quarterly and per
member, which the item-by-due-date sweep does not model, so they are sent by the
``members.tasks.send_five_ones_reminders`` periodic task (see
``members/performance/reminders.py``); the declaration makes the rule visible
and editable next to the other clocks.
"""

from cppcc_portal.deadlines import ClockSpec, Unit, register_clock

register_clock(
    ClockSpec(
        key="members.five_ones",
        label="“五个一”年度履职",
        start_label="自1月1日起",
        length=12,
        unit=Unit.CALENDAR_MONTHS,
        reminders=(),
        extra={"schedule": "quarterly", "task": "members.tasks.send_five_ones_reminders"},
    )
)
