"""The claim and verdict state machine: every transition, one function each.

    candidate → accepted → assigned → in_review → submitted → published
    candidate → dismissed;  * → duplicate;  submitted → in_review (returned);
    published → in_review (correction);  published → retracted

The story of a verdict, module by module:
- `claims`: triage (accept, dismiss, undo), assignment, review, duplicates, edits;
- `verdicts`: drafting, submitting, returning, corrections, retraction;
- `approval`: the four-eyes rule and the approval policy, the checks before publication,
  and publishing, which freezes the version and calls `claims.publishing` explicitly to
  update the public record (and so the API, the public page and the webhooks).

Every function checks the actor's role (`claims.roles`), refuses an illegal move with a
message in words, records who and when (in the audit history, with the transition as the
change reason), and takes the version the actor saw: if someone else saved the object
since, it raises StaleEdit instead of overwriting their work.
"""

from __future__ import annotations

from ..errors import IllegalTransition, NotAllowed, StaleEdit, WorkflowError
from .approval import (
    approval_refusal,
    correction_preview,
    current_votes,
    panel_split,
    publication_checks,
    verdict_approve,
    verdict_contributors,
    verdict_split,
)
from .base import edit_lock, version_check
from .claims import (
    UNDO_SECONDS,
    claim_accept,
    claim_accept_and_assign,
    claim_assign,
    claim_dismiss,
    claim_edit,
    claim_mark_duplicate,
    claim_start_review,
    claim_triage_undo,
)
from .verdicts import (
    claim_open_correction,
    claim_reopen,
    verdict_retract,
    verdict_return,
    verdict_save_draft,
    verdict_submit,
)

__all__ = [
    "IllegalTransition",
    "NotAllowed",
    "StaleEdit",
    "WorkflowError",
    "UNDO_SECONDS",
    "approval_refusal",
    "claim_accept",
    "claim_accept_and_assign",
    "claim_assign",
    "claim_dismiss",
    "claim_edit",
    "claim_mark_duplicate",
    "claim_open_correction",
    "claim_reopen",
    "claim_start_review",
    "claim_triage_undo",
    "correction_preview",
    "current_votes",
    "edit_lock",
    "panel_split",
    "publication_checks",
    "verdict_approve",
    "verdict_contributors",
    "verdict_retract",
    "verdict_return",
    "verdict_save_draft",
    "verdict_split",
    "verdict_submit",
    "version_check",
]
