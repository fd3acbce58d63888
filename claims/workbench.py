"""Writes the workbench needs beyond the claim workflow: evidence, comments and claims made
by hand from a passage. Same rules as `workflow`: the actor's role is checked and the audit
history records who did it.

(Candidates to move into `services` once the lead engineer agrees on the names.)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import notifications, roles, workflow
from .errors import IllegalTransition, NotAllowed, StaleEdit
from .models import Article, Claim, Comment, Evidence, Origin, Speaker

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
    evidence._history_user = by  # type: ignore[attr-defined]
    evidence._change_reason = "evidence added"  # type: ignore[attr-defined]
    evidence.save()
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
    evidence._history_user = by  # type: ignore[attr-defined]
    evidence._change_reason = "evidence edited"  # type: ignore[attr-defined]
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: Any, version: int | None = None) -> None:
    require_work(by, evidence.claim, "You can only remove evidence from claims assigned to you.")
    workflow.edit_lock(evidence, version)
    workflow.claim_open_correction(claim=evidence.claim, by=by, reason="evidence removed after publication")
    evidence._history_user = by  # type: ignore[attr-defined]
    evidence._change_reason = "evidence removed"  # type: ignore[attr-defined]
    evidence.delete()


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


@transaction.atomic
def claim_create_from_passage(
    *,
    article: Article,
    by: Any,
    text: str,
    start: int | None,
    end: int | None,
    kind: str = Claim.Kind.OTHER,
    speaker: Speaker | None = None,
) -> Claim:
    """A candidate claim typed or selected by a person in an article.

    The span must be the text in the body; when no span is given (keyboard users type the
    passage), the first occurrence of the text is used.
    """
    if not (roles.is_editor(by) or roles.is_reviewer(by)):
        raise NotAllowed("Only reviewers and editors can add claims.")
    text = text.strip()
    body = article.body
    if start is None or end is None or body[start:end].strip() != text:
        found = body.find(text) if text else -1
        if found == -1:
            raise ValidationError(
                "That passage is not in the article's text; select it in the article.", code="not_in_article"
            )
        start, end = found, found + len(text)
    else:
        # Trim the selection to the text (selections often catch a space at either end).
        start = start + (len(body[start:end]) - len(body[start:end].lstrip()))
        end = start + len(text)
    quote = article.quotes.filter(start__lte=start, end__gte=end).first()
    claim = Claim(
        article=article,
        text=text,
        start=start,
        end=end,
        kind=kind,
        speaker=speaker or (quote.speaker if quote else None),
        quote=quote,
        origin=Origin.HUMAN,
    )
    claim._history_user = by  # type: ignore[attr-defined]
    claim._change_reason = "entered by hand"  # type: ignore[attr-defined]
    claim.save()
    return claim


@transaction.atomic
def claim_accept_and_assign(
    *,
    claim: Claim,
    by: Any,
    assignee: Any,
    due_date: Any = None,
    priority: int | None = None,
    version: int | None = None,
) -> Claim:
    """Assign a claim, accepting it first if it is still a candidate: triage in one step,
    the same in the workbench and the admin. `version` is the one the editor read (the
    accept checks it; the assign follows from the accept's)."""
    from . import workflow

    if claim.status == Claim.Status.CANDIDATE:
        workflow.claim_accept(claim=claim, by=by, version=version)
        version = None
    return workflow.claim_assign(
        claim=claim, by=by, assignee=assignee, due_date=due_date, priority=priority, version=version
    )


UNDO_SECONDS = 60


@transaction.atomic
def claim_triage_undo(*, claim: Claim, by: Any, version: int | None = None) -> Claim:
    """Put a claim the editor just accepted or dismissed back among the candidates: only
    their own last move, and only within a minute (after that, its history says who did it
    and the claim page is the place to change it)."""
    if not roles.is_editor(by):
        raise NotAllowed("Only an editor can undo a triage decision.")
    last = claim.history.order_by("-history_id").first()  # the latest record written
    reason = last.history_change_reason if last else None
    if claim.status not in (Claim.Status.ACCEPTED, Claim.Status.DISMISSED) or reason not in ("accepted", "dismissed"):
        raise IllegalTransition(f"Claim #{claim.pk} cannot be undone: its last change was not an accept or dismiss.")
    if last.history_user_id != by.pk:
        raise NotAllowed(f"Claim #{claim.pk} was {reason} by someone else; only they can undo it.")
    if (timezone.now() - last.history_date).total_seconds() > UNDO_SECONDS:
        raise IllegalTransition(f"Too late to undo claim #{claim.pk}: undo lasts a minute.")
    expected = claim.version if version is None else version
    if not Claim.objects.filter(pk=claim.pk, version=expected).update(version=expected + 1):
        raise StaleEdit(f"Claim #{claim.pk} changed since; nothing was undone.", current=claim)
    claim.version = expected + 1
    claim.status = Claim.Status.CANDIDATE
    claim._history_user = by  # type: ignore[attr-defined]
    claim._change_reason = f"{reason}: undone"  # type: ignore[attr-defined]
    claim.save()
    return claim
