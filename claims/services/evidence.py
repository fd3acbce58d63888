"""Evidence and comments on a claim: who may add them (the role rules in `claims.roles`),
and a change to a published claim's evidence opening a correction (`claims.workflow`)."""

from __future__ import annotations

from django.db import transaction

from .. import notifications, roles, workflow
from ..audit import audit_delete, audit_save
from ..errors import IllegalTransition
from ..models import Claim, Comment, Evidence
from ..roles import Actor

EVIDENCE_FIELDS = ("url", "title", "publisher", "excerpt", "stance", "source_kind", "archived_url")


# Evidence on a published claim is frozen with the published version: changing it opens a
# correction (see `workflow.claim_open_correction`), approved like any other.


@transaction.atomic
def evidence_add(*, claim: Claim, by: Actor, **fields) -> Evidence:
    roles.require_work(by, claim, "add_evidence")
    workflow.claim_open_correction(claim=claim, by=by, reason="evidence added after publication")
    evidence = Evidence(claim=claim, added_by=by, **{k: v for k, v in fields.items() if k in EVIDENCE_FIELDS})
    audit_save(evidence, by, "evidence added")
    return evidence


@transaction.atomic
def evidence_edit(*, evidence: Evidence, by: Actor, version: int | None = None, **fields) -> Evidence:
    """Change a piece of evidence; `version` is the one the person read (no lost update)."""
    roles.require_work(by, evidence.claim, "edit_evidence")
    workflow.edit_lock(evidence, version)
    workflow.claim_open_correction(claim=evidence.claim, by=by, reason="evidence edited after publication")
    for name, value in fields.items():
        if name in EVIDENCE_FIELDS:
            setattr(evidence, name, value)
    audit_save(evidence, by, "evidence edited")
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: Actor, version: int | None = None) -> None:
    roles.require_work(by, evidence.claim, "remove_evidence")
    workflow.edit_lock(evidence, version)
    workflow.claim_open_correction(claim=evidence.claim, by=by, reason="evidence removed after publication")
    audit_delete(evidence, by, "evidence removed")


def comment_add(*, claim: Claim, by: Actor, body: str) -> Comment:
    roles.require_work(by, claim, "comment")
    if not body.strip():
        raise IllegalTransition("The comment is empty.")
    comment = Comment.objects.create(claim=claim, author=by, body=body.strip())
    if notifications.mentioned_usernames(comment.body):
        notifications.event_notify(
            event="mention", claim=claim, by=by, key=f"mention:comment:{comment.pk}", comment=comment
        )
    return comment
