"""Proposals' models. Each module holds one area; import new ones here."""

from ..opinions.models import (  # noqa: F401  (社情民意, 微建议)
    HigherAdoption,
    IssueDelivery,
    MicroEvent,
    MicroSuggestion,
    OpinionEvent,
    OpinionFeedback,
    OpinionInstruction,
    OpinionIssue,
    PublicOpinion,
)
from .config import NonRegistrationReason, ProposalCategory, ProposalNumberCounter, ProposalSettings
from .key import KeyCandidate, KeySelection, LeadingOfficial
from .proposals import (
    Assignment,
    Attachment,
    ContactRecord,
    Evaluation,
    ExtensionRequest,
    Proposal,
    ProposalEvent,
    Signer,
    SupervisionActivity,
)

__all__ = [
    "Assignment",
    "Attachment",
    "ContactRecord",
    "Evaluation",
    "ExtensionRequest",
    "KeyCandidate",
    "KeySelection",
    "LeadingOfficial",
    "NonRegistrationReason",
    "Proposal",
    "ProposalCategory",
    "ProposalEvent",
    "ProposalNumberCounter",
    "ProposalSettings",
    "Signer",
    "SupervisionActivity",
]
