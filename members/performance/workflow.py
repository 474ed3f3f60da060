"""The 述职 workflow as data: state -> {next state: who may move it}."""

from .enums import ReportStatus

MEMBER = "member"
STAFF = "staff"

TRANSITIONS: dict[str, dict[str, str]] = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED: MEMBER},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED: MEMBER},
    ReportStatus.SUBMITTED: {ReportStatus.RETURNED: STAFF, ReportStatus.ACCEPTED: STAFF},
    ReportStatus.ACCEPTED: {},
}

EDITABLE_STATES = {ReportStatus.DRAFT, ReportStatus.RETURNED}

ACTION_LABELS = {
    ReportStatus.SUBMITTED: "提交述职",
    ReportStatus.RETURNED: "退回修改",
    ReportStatus.ACCEPTED: "审核通过",
}


def allowed(from_status: str, to_status: str) -> str | None:
    """Who may make this move (MEMBER / STAFF), or None if the move is not in the table."""
    return TRANSITIONS.get(from_status, {}).get(to_status)
