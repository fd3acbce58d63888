"""Evidence and comments on a claim: who may add them (the role rules in `claims.roles`),
and a change to a published claim's evidence opening a correction (`claims.workflow`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .. import notifications, roles, workflow
from ..audit import audit_delete, audit_save
from ..errors import IllegalTransition, NotAllowed
from ..models import Claim, Comment, Evidence

EVIDENCE_FIELDS = ("url", "title", "publisher", "excerpt", "stance", "source_kind", "archived_url")


def require_work(by: Any, claim: Claim, message: str) -> None:
    """Refuse, with `message`, anyone who may not work on `claim` (views check early, before
    validating a form, so a refusal is not hidden behind a form error)."""
    if not roles.can_work_on(by, claim):
        raise NotAllowed(message)


# Evidence on a published claim is frozen with the published version: changing it opens a
# correction (see `workflow.claim_open_correction`), approved like any other.


@transaction.atomic
def evidence_add(*, claim: Claim, by: Any, **fields) -> Evidence:
    require_work(by, claim, "You can only add evidence to claims assigned to you.")
    workflow.claim_open_correction(claim=claim, by=by, reason="evidence added after publication")
    evidence = Evidence(claim=claim, added_by=by, **{k: v for k, v in fields.items() if k in EVIDENCE_FIELDS})
    audit_save(evidence, by, "evidence added")
    return evidence


@transaction.atomic
def evidence_edit(*, evidence: Evidence, by: Any, version: int | None = None, **fields) -> Evidence:
    """Change a piece of evidence; `version` is the one the person read (no lost update)."""
    require_work(by, evidence.claim, "You can only edit evidence on claims assigned to you.")
    workflow.edit_lock(evidence, version)
    workflow.claim_open_correction(claim=evidence.claim, by=by, reason="evidence edited after publication")
    for name, value in fields.items():
        if name in EVIDENCE_FIELDS:
            setattr(evidence, name, value)
    audit_save(evidence, by, "evidence edited")
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: Any, version: int | None = None) -> None:
    require_work(by, evidence.claim, "You can only remove evidence from claims assigned to you.")
    workflow.edit_lock(evidence, version)
    workflow.claim_open_correction(claim=evidence.claim, by=by, reason="evidence removed after publication")
    audit_delete(evidence, by, "evidence removed")


def comment_add(*, claim: Claim, by: Any, body: str) -> Comment:
    require_work(by, claim, "You can only comment on claims assigned to you.")
    if not body.strip():
        raise IllegalTransition("The comment is empty.")
    comment = Comment.objects.create(claim=claim, author=by, body=body.strip())
    if notifications.mentioned_usernames(comment.body):
        notifications.event_notify(
            event="mention", claim=claim, by=by, key=f"mention:comment:{comment.pk}", comment=comment
        )
    return comment
