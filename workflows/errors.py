"""Errors the use cases raise; the web layer maps each class to one HTTP status, once (webapp/errors.py).

Pure: imports nothing but the standard library, so `machine` may raise them too.

    WorkflowError
    ├── TransitionError      an action the workflow table refuses
    │   ├── UnknownAction, WrongState, CommentRequired
    ├── Forbidden            the role lacks the capability or the step
    ├── NotFound, Conflict, Invalid, Unauthorized
    └── TooManyAttempts      sign-in rate limit
"""
from __future__ import annotations

__all__ = ["WorkflowError", "TransitionError", "NotFound", "Forbidden", "WrongState", "Conflict", "Invalid",
           "CommentRequired", "UnknownAction", "Unauthorized", "TooManyAttempts"]


class WorkflowError(Exception):
    """Anything a use case refuses; `code` is the API's error code, `message` the Vietnamese text."""

    code = "not_allowed"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransitionError(WorkflowError):
    """An action the workflow table does not allow now."""


class UnknownAction(TransitionError):
    code = "unknown_action"


class WrongState(TransitionError):
    code = "invalid_state"


class CommentRequired(TransitionError):
    code = "comment_required"


class Forbidden(WorkflowError):
    code = "forbidden"


class NotFound(WorkflowError):
    code = "not_found"


class Conflict(WorkflowError):
    code = "conflict"


class Unauthorized(WorkflowError):
    code = "unauthorized"


class TooManyAttempts(WorkflowError):
    code = "too_many_requests"


class Invalid(WorkflowError):
    """An invalid body; `field` names the offending field."""

    code = "invalid"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
