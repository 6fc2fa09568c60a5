"""Errors the use cases raise; the web layer maps each class to one HTTP status, once."""
from workflows.machine import CommentRequired, Forbidden, TransitionError, UnknownAction, WrongState

__all__ = ["WorkflowError", "NotFound", "Forbidden", "WrongState", "Conflict", "Invalid", "CommentRequired",
           "UnknownAction", "TransitionError", "Unauthorized"]

WorkflowError = TransitionError


class NotFound(TransitionError):
    code = "not_found"


class Conflict(TransitionError):
    code = "conflict"


class Unauthorized(TransitionError):
    code = "unauthorized"


class Invalid(TransitionError):
    """An invalid body; `field` names the offending field."""

    code = "invalid"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
