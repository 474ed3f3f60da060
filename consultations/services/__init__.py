"""Every write of consultation and supervision state.

Each service is keyword-only, takes the acting user, runs in one transaction,
locks the row it changes, checks the actor's permission, and queues notices
through ``cppcc_portal.notifications.notify`` inside that transaction (history
rows come from ``simple_history`` on save). Performance-ledger entries are
written here, where the act happens, through ``members.performance.services``.
"""

from .attendance import (
    CheckinResult,
    checkin_by_token,
    checkin_check,
    checkin_manual,
    checkin_online,
    checkin_undo,
    invitation_answer,
    leave_decide,
    minutes_save,
    outsider_checkin,
    session_rotate_token,
    speech_mark_delivered,
    speech_remove,
    speech_submit,
)
from .common import CHECKIN_OPENS_BEFORE, ONLINE_CHECKIN_OPENS_BEFORE
from .online import (
    Throttled,
    online_comment_create,
    online_post_adopt,
    online_post_create,
    online_post_moderate,
    online_topic_close,
    online_topic_save,
)
from .outcomes import adoption_record, delivery_add, instruction_add, outcome_save, suggestion_add
from .planning import (
    plan_get_or_create,
    research_add_visit,
    research_complete,
    research_invite_members,
    research_save,
    topic_save,
)
from .sessions import (
    OutsiderData,
    material_upload,
    session_add_official,
    session_add_outsider,
    session_circulate_materials,
    session_create,
    session_invite_members,
    session_link_proposals,
    session_remove_invitee,
    session_send_notice,
    session_update,
)
from .supervision import (
    appointment_save,
    calendar_token_reset,
    inspection_feedback,
    inspection_save,
    supervision_topic_save,
)

__all__ = [
    "CHECKIN_OPENS_BEFORE",
    "ONLINE_CHECKIN_OPENS_BEFORE",
    "CheckinResult",
    "OutsiderData",
    "Throttled",
    "adoption_record",
    "appointment_save",
    "calendar_token_reset",
    "checkin_by_token",
    "checkin_check",
    "checkin_manual",
    "checkin_online",
    "checkin_undo",
    "delivery_add",
    "inspection_feedback",
    "inspection_save",
    "instruction_add",
    "invitation_answer",
    "leave_decide",
    "material_upload",
    "minutes_save",
    "online_comment_create",
    "online_post_adopt",
    "online_post_create",
    "online_post_moderate",
    "online_topic_close",
    "online_topic_save",
    "outcome_save",
    "outsider_checkin",
    "plan_get_or_create",
    "research_add_visit",
    "research_complete",
    "research_invite_members",
    "research_save",
    "session_add_official",
    "session_add_outsider",
    "session_circulate_materials",
    "session_create",
    "session_invite_members",
    "session_link_proposals",
    "session_remove_invitee",
    "session_rotate_token",
    "session_send_notice",
    "session_update",
    "speech_mark_delivered",
    "speech_remove",
    "speech_submit",
    "suggestion_add",
    "supervision_topic_save",
    "topic_save",
]
