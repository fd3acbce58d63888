"""Writes the workbench needs beyond the claim workflow: evidence, comments and claims made
by hand from a passage. Same rules as `workflow`: the actor's role is checked and the audit
history records who did it.

(Candidates to move into `services` once the lead engineer agrees on the names.)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from . import roles, workflow
from .errors import IllegalTransition, NotAllowed
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
    return Comment.objects.create(claim=claim, author=by, body=body.strip())


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
