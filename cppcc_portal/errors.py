"""One exception family for domain errors.

Services raise these with a message a person can read (in Chinese); views and
``ApplicationErrorMiddleware`` turn them into a message on the page, never a 500.
"""


class ApplicationError(Exception):
    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    """The actor may not do this to this object."""


class TransitionNotAllowed(ApplicationError):
    """The move is not in the workflow table from the object's current state."""


class StaleObjectError(ApplicationError):
    """The page was out of date: somebody changed the object in between."""


class ValidationFailed(ApplicationError):
    """Input failed a domain rule that a form could not check."""


def require_text(text: str, message: str) -> None:
    """A free-text answer the rule requires (a reason, a note): blank or only spaces fails with ``message``."""
    if not text.strip():
        raise ValidationFailed(message)
