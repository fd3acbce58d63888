"""Errors a person can meet in the workflow, with a message in words.

Views and the API map them to HTTP: NotAllowed → 403, IllegalTransition → 400,
StaleEdit → 409.
"""

from __future__ import annotations

from typing import Any


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

    def __init__(self, message: str, *, current: Any, changed_by: Any = None, changed_at: Any = None):
        super().__init__(message)
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at
