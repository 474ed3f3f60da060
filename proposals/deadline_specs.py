"""The proposal clocks, declared once; lengths are then staff-editable (DeadlinePolicy).

Due dates are stored on the rows (see ``proposals.models``):

==========================  ==============================================
clock key                   stored in
==========================  ==============================================
``proposal.review``         ``Proposal.review_due`` (state ``submitted``)
``proposal.accept``         ``Assignment.accept_due`` (``pending_accept``)
``proposal.handling``       ``Assignment.handling_due`` (lead/split units)
``proposal.co_views``       ``Assignment.views_due`` (co-units)
``proposal.evaluation``     ``Assignment.evaluation_due`` (``replied``)
``proposal.rehandling``     ``Assignment.rehandling_due`` (``re_handling``)
``proposal.followup``       ``Assignment.followup_due`` (B-class, not yet implemented)
==========================  ==============================================

Reminders, escalations and the deadline board live in ``proposals/clocks.py``.
"""

from cppcc_portal.deadlines import ClockSpec, Unit, register_clock

REVIEW = register_clock(
    ClockSpec(key="proposal.review", label="立案审查", start_label="提交后", length=10, reminders=(3,))
)
ACCEPT = register_clock(
    ClockSpec(key="proposal.accept", label="签收或申请调整", start_label="交办后", length=5, reminders=(2,))
)
HANDLING = register_clock(
    ClockSpec(
        key="proposal.handling",
        label="提案办理",
        start_label="交办后",
        length=3,
        unit=Unit.CALENDAR_MONTHS,
        reminders=(30, 10, 3),
    )
)
CO_VIEWS = register_clock(
    ClockSpec(
        key="proposal.co_views",
        label="会办意见",
        start_label="交办后",
        length=1,
        unit=Unit.CALENDAR_MONTHS,
        reminders=(5,),
    )
)
EVALUATION = register_clock(
    ClockSpec(key="proposal.evaluation", label="办理评价", start_label="答复后", length=15, reminders=(5,))
)
REHANDLING = register_clock(
    ClockSpec(
        key="proposal.rehandling",
        label="重新办理",
        start_label="重新交办后",
        length=1,
        unit=Unit.CALENDAR_MONTHS,
        reminders=(5,),
    )
)
FOLLOWUP = register_clock(
    ClockSpec(
        key="proposal.followup",
        label="B类答复跟踪落实",
        start_label="B类答复后",
        length=3,
        unit=Unit.CALENDAR_MONTHS,
        reminders=(),
    )
)
