"""The audit history (django-simple-history): who changed what, and why.

Every write to an audited model (claims, verdicts, evidence, speakers) that a person makes
goes through `audit_save` or `audit_delete`, so the history names them and the reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model

if TYPE_CHECKING:
    from .roles import Actor


def _mark(obj: Model, by: Actor | None, reason: str | None) -> None:
    obj._history_user = by  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]


def audit_save(obj: Model, by: Actor | None, reason: str | None) -> None:
    """Save `obj`, recording `by` and `reason` in its history."""
    _mark(obj, by, reason)
    obj.save()


def audit_delete(obj: Model, by: Actor | None, reason: str) -> None:
    """Delete `obj`, recording `by` and `reason` in its history."""
    _mark(obj, by, reason)
    obj.delete()
