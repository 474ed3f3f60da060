"""Every write of proposal state. Each public function is one workflow action
and passes through ``door.apply_transition`` (lock, check, save, history, notify)."""

from .bulk import BulkOutcome, Pick, proposals_assign_bulk, proposals_register_bulk
from .door import STALE_MESSAGE, apply_transition, next_number
from .evaluation import proposal_close, proposal_evaluate, proposal_rehandle
from .filing import (
    attachment_add,
    proposal_cosign,
    proposal_create,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from .handling import (
    assignment_accept,
    assignment_decide_extension,
    assignment_decide_reassign,
    assignment_override_views,
    assignment_rate_quality,
    assignment_record_contact,
    assignment_record_implemented,
    assignment_reply,
    assignment_request_extension,
    assignment_request_reassign,
    assignment_send_views,
    assignment_waive_contact,
    proposal_assign,
    reply_prerequisites,
)
from .review import (
    proposal_mark_excellent,
    proposal_mark_key,
    proposal_merge,
    proposal_record_supervision,
    proposal_register,
    proposal_reject,
    proposal_return,
)

__all__ = [
    "STALE_MESSAGE",
    "BulkOutcome",
    "Pick",
    "apply_transition",
    "assignment_accept",
    "assignment_decide_extension",
    "assignment_decide_reassign",
    "assignment_override_views",
    "assignment_rate_quality",
    "assignment_record_contact",
    "assignment_record_implemented",
    "assignment_reply",
    "assignment_request_extension",
    "assignment_request_reassign",
    "assignment_send_views",
    "assignment_waive_contact",
    "attachment_add",
    "next_number",
    "proposal_assign",
    "proposal_close",
    "proposal_cosign",
    "proposal_create",
    "proposal_evaluate",
    "proposal_mark_excellent",
    "proposal_mark_key",
    "proposal_merge",
    "proposal_record_supervision",
    "proposal_register",
    "proposal_rehandle",
    "proposal_reject",
    "proposal_return",
    "proposal_submit",
    "proposal_update",
    "proposal_withdraw",
    "proposals_assign_bulk",
    "proposals_register_bulk",
    "reply_prerequisites",
]
