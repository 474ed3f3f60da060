"""Every write of 社情民意 state (``reports``), of 微建议 (``micro``) and of the 社情民意 issues (``issues``)."""

from .issues import issue_create, issue_send
from .micro import micro_answer, micro_file, micro_raise_to_opinion, micro_raise_to_proposal
from .reports import (
    opinion_confirm_by_head,
    opinion_create_from_micro,
    opinion_create_from_proposal,
    opinion_decide,
    opinion_edit_for_report,
    opinion_file,
    opinion_record_feedback,
    opinion_record_higher_adoption,
    opinion_record_instruction,
    opinion_set_channel,
    opinion_update_reporting,
)

__all__ = [
    "issue_create",
    "issue_send",
    "micro_answer",
    "micro_file",
    "micro_raise_to_opinion",
    "micro_raise_to_proposal",
    "opinion_confirm_by_head",
    "opinion_create_from_micro",
    "opinion_create_from_proposal",
    "opinion_decide",
    "opinion_edit_for_report",
    "opinion_file",
    "opinion_record_feedback",
    "opinion_record_higher_adoption",
    "opinion_record_instruction",
    "opinion_set_channel",
    "opinion_update_reporting",
]
