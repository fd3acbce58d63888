"""Errors a person can meet in the workflow, with a message in words.

Views and the API map them to HTTP: NotAllowed → 403, IllegalTransition → 400,
StaleEdit → 409.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from .roles import Actor


class WorkflowError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(WorkflowError):
    status_code = 403


class IllegalTransition(WorkflowError):
    status_code = 400


class StaleEdit(WorkflowError):
    """Someone else saved the object since this edit began; nothing was overwritten."""

    status_code = 409

    def __init__(
        self,
        message: str,
        *,
        current: Any,
        changed_by: Actor | None = None,
        changed_at: datetime.datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at


def message_of(exc: WorkflowError | ValidationError) -> str:
    """The words a person reads for a refused step: a workflow error's message, or a
    validation error's (all of them, when it carries several)."""
    message = getattr(exc, "message", None)
    return str(message) if message else " ".join(exc.messages)  # type: ignore[union-attr]
