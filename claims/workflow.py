"""The claim and verdict state machine: one function per transition.

    candidate → accepted → assigned → in_review → submitted → published
    candidate → dismissed;  * → duplicate;  submitted → in_review (returned);
    published → in_review (correction)

Every function checks the actor's role, refuses an illegal move with a message in words,
records who and when (in the audit history, with the transition as the change reason), and
takes the version the actor saw: if someone else saved the object since, it raises
StaleEdit instead of overwriting their work.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.text import slugify

from . import notifications, roles
from .errors import IllegalTransition, NotAllowed, StaleEdit
from .models import Claim, Comment, Rating, Verdict

Status = Claim.Status
State = Verdict.State


def _lock(obj: Claim | Verdict, version: int | None) -> None:
    """Claim the next version of `obj` in the database, or fail if it moved on.

    The conditional UPDATE is atomic, so of two concurrent saves from the same version
    exactly one wins; the other gets StaleEdit with who changed what and when.
    """
    expected = obj.version if version is None else version
    model = type(obj)
    if not model.objects.filter(pk=obj.pk, version=expected).update(version=expected + 1):
        current = model.objects.get(pk=obj.pk)
        last = current.history.select_related("history_user").first()
        who = last.history_user if last else None
        raise StaleEdit(
            f"This {model._meta.verbose_name} was changed by {who or 'someone else'}"
            f" since you opened it. Your changes were not saved; review theirs and try again.",
            current=current,
            changed_by=who,
            changed_at=last.history_date if last else None,
        )
    obj.version = expected + 1


def _save(obj: Model, by: Any, reason: str) -> None:
    obj._history_user = by  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save()


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _expect(claim: Claim, verb: str, *statuses: str) -> None:
    if claim.status not in statuses:
        raise IllegalTransition(f"Cannot {verb} this claim: it is {claim.get_status_display().lower()}.")


def _move(claim: Claim, *, by: Any, to: str, reason: str, version: int | None, **fields) -> Claim:
    _lock(claim, version)
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.status = to
    _save(claim, by, reason)
    return claim


@transaction.atomic
def claim_accept(*, claim: Claim, by: Any, version: int | None = None) -> Claim:
    _require(roles.is_editor(by), "Only an editor can accept a candidate claim.")
    _expect(claim, "accept", Status.CANDIDATE)
    return _move(claim, by=by, to=Status.ACCEPTED, reason="accepted", version=version)


@transaction.atomic
def claim_dismiss(*, claim: Claim, by: Any, version: int | None = None) -> Claim:
    _require(roles.is_editor(by), "Only an editor can dismiss a candidate claim.")
    _expect(claim, "dismiss", Status.CANDIDATE)
    return _move(claim, by=by, to=Status.DISMISSED, reason="dismissed", version=version)


@transaction.atomic
def claim_assign(
    *,
    claim: Claim,
    by: Any,
    assignee: Any,
    due_date: datetime.date | None = None,
    priority: int | None = None,
    version: int | None = None,
) -> Claim:
    """Give an accepted claim to a reviewer (or hand an open one to another)."""
    _require(roles.is_editor(by), "Only an editor can assign claims.")
    if not (assignee.is_active and (roles.is_reviewer(assignee) or roles.is_editor(assignee))):
        raise IllegalTransition(f"{assignee} is not an active reviewer or editor.")
    _expect(claim, "assign", Status.ACCEPTED, Status.ASSIGNED, Status.IN_REVIEW)
    fields: dict[str, Any] = {"assignee": assignee}
    if claim.assignee_id != assignee.pk:
        fields["assigned_at"] = timezone.now()
    if due_date is not None:
        fields["due_date"] = due_date
    if priority is not None:
        fields["priority"] = priority
    to = Status.ASSIGNED if claim.status == Status.ACCEPTED else claim.status
    _move(claim, by=by, to=to, reason=f"assigned to {assignee}", version=version, **fields)
    if "assigned_at" in fields:  # a new assignee, not a changed due date
        key = f"assigned:claim:{claim.pk}:v{claim.version}"
        notifications.event_notify(event="assigned", claim=claim, by=by, key=key)
    return claim


@transaction.atomic
def claim_start_review(*, claim: Claim, by: Any, version: int | None = None) -> Claim:
    _require(roles.can_work_on(by, claim), "Only the assigned reviewer or an editor can start this review.")
    _expect(claim, "start reviewing", Status.ASSIGNED)
    return _move(claim, by=by, to=Status.IN_REVIEW, reason="review started", version=version)


@transaction.atomic
def claim_mark_duplicate(*, claim: Claim, by: Any, original: Claim, version: int | None = None) -> Claim:
    _require(roles.is_editor(by), "Only an editor can mark a claim as a duplicate.")
    _expect(claim, "mark as a duplicate", *(s for s in Status.values if s != Status.DUPLICATE))
    while original.duplicate_of_id is not None:  # point at the root of a chain
        original = original.duplicate_of
    if original.pk == claim.pk:
        raise IllegalTransition("A claim cannot be a duplicate of itself.")
    return _move(
        claim,
        by=by,
        to=Status.DUPLICATE,
        reason=f"duplicate of #{original.pk}",
        version=version,
        duplicate_of=original,
    )


@transaction.atomic
def claim_edit(*, claim: Claim, by: Any, version: int | None = None, **fields) -> Claim:
    """Change a claim's own fields (text, kind, speaker, priority, due date) without moving it."""
    _require(roles.can_work_on(by, claim), "You can only edit claims assigned to you.")
    return _move(claim, by=by, to=claim.status, reason="edited", version=version, **fields)


def _open_verdict(claim: Claim) -> Verdict | None:
    return claim.verdicts.filter(state__in=[State.DRAFT, State.SUBMITTED, State.RETURNED]).first()


@transaction.atomic
def verdict_save_draft(
    *,
    claim: Claim,
    by: Any,
    rating: Rating | None,
    headline: str,
    analysis: str,
    version: int | None = None,
) -> Verdict:
    """Create or update the claim's draft verdict. `version` is the draft's, when editing."""
    _require(roles.can_work_on(by, claim), "You can only write verdicts on claims assigned to you.")
    _expect(claim, "write a verdict on", Status.ASSIGNED, Status.IN_REVIEW)
    if claim.status == Status.ASSIGNED:
        _move(claim, by=by, to=Status.IN_REVIEW, reason="review started", version=None)
    verdict = _open_verdict(claim)
    if verdict is None:
        last = claim.verdicts.aggregate(n=Max("revision"))["n"] or 0
        verdict = Verdict(claim=claim, revision=last + 1, author=by)
    else:
        _lock(verdict, version)
    verdict.rating, verdict.headline, verdict.analysis = rating, headline, analysis
    verdict.last_edited_by = by
    verdict.state = State.DRAFT
    _save(verdict, by, "draft saved")
    return verdict


@transaction.atomic
def verdict_submit(*, verdict: Verdict, by: Any, version: int | None = None) -> Verdict:
    claim = verdict.claim
    _require(roles.can_work_on(by, claim), "You can only submit verdicts on claims assigned to you.")
    if verdict.state not in (State.DRAFT, State.RETURNED):
        raise IllegalTransition(f"Cannot submit a verdict that is {verdict.get_state_display().lower()}.")
    _expect(claim, "submit a verdict on", Status.IN_REVIEW)
    if verdict.rating_id is None or not verdict.headline.strip():
        raise IllegalTransition("Choose a rating and write a headline before submitting.")
    _lock(verdict, version)
    verdict.state, verdict.submitted_at = State.SUBMITTED, timezone.now()
    _save(verdict, by, "submitted")
    _move(claim, by=by, to=Status.SUBMITTED, reason="verdict submitted", version=None)
    key = f"approval:verdict:{verdict.pk}:v{verdict.version}"
    notifications.event_notify(event="approval", claim=claim, by=by, key=key)
    return verdict


@transaction.atomic
def verdict_approve(*, verdict: Verdict, by: Any, version: int | None = None) -> Verdict:
    """Publish a submitted verdict. Four eyes: its author cannot approve it."""
    _require(roles.is_editor(by), "Only an editor can approve a verdict.")
    if by.pk in (verdict.author_id, verdict.last_edited_by_id):
        raise NotAllowed("You wrote this verdict; another editor must approve it.")
    if verdict.state != State.SUBMITTED:
        raise IllegalTransition(f"Cannot approve a verdict that is {verdict.get_state_display().lower()}.")
    claim = verdict.claim
    _lock(verdict, version)
    for previous in claim.verdicts.filter(state=State.PUBLISHED):
        previous.state = State.SUPERSEDED
        _save(previous, by, f"superseded by revision {verdict.revision}")
    verdict.state, verdict.approver, verdict.published_at = State.PUBLISHED, by, timezone.now()
    verdict.evidence_snapshot = [
        {
            "url": e.url,
            "title": e.title,
            "publisher": e.publisher,
            "excerpt": e.excerpt,
            "stance": e.stance,
            "source_kind": e.source_kind,
            "accessed_at": e.accessed_at.isoformat(),
            "archived_url": e.archived_url,
        }
        for e in claim.evidence.all()
    ]
    _save(verdict, by, "approved and published")
    slug = claim.slug or f"{slugify(claim.text)[:100].rstrip('-') or 'claim'}-{claim.pk}"
    _move(claim, by=by, to=Status.PUBLISHED, reason="published", version=None, slug=slug)
    notifications.event_notify(event="published", claim=claim, by=by, key=f"published:verdict:{verdict.pk}")
    return verdict


@transaction.atomic
def verdict_return(*, verdict: Verdict, by: Any, comment: str, version: int | None = None) -> Verdict:
    """Send a submitted verdict back to its reviewer with a comment saying why."""
    _require(roles.is_editor(by), "Only an editor can return a verdict.")
    if verdict.state != State.SUBMITTED:
        raise IllegalTransition(f"Cannot return a verdict that is {verdict.get_state_display().lower()}.")
    if not comment.strip():
        raise IllegalTransition("Say why the verdict goes back: the comment is empty.")
    _lock(verdict, version)
    verdict.state = State.RETURNED
    _save(verdict, by, "returned")
    Comment.objects.create(claim=verdict.claim, author=by, body=comment)
    _move(verdict.claim, by=by, to=Status.IN_REVIEW, reason="verdict returned", version=None)
    key = f"returned:verdict:{verdict.pk}:v{verdict.version}"
    notifications.event_notify(event="returned", claim=verdict.claim, by=by, key=key)
    return verdict


@transaction.atomic
def claim_reopen(*, claim: Claim, by: Any, reason: str, version: int | None = None) -> Verdict:
    """Open a published claim for correction: a new draft revision starts from the published
    text; the published version stays public until the correction is approved."""
    _require(roles.is_editor(by), "Only an editor can open a published verdict for correction.")
    _expect(claim, "correct", Status.PUBLISHED)
    if not reason.strip():
        raise IllegalTransition("Say what needs correcting: the reason is empty.")
    current = claim.verdicts.published().get()
    _move(claim, by=by, to=Status.IN_REVIEW, reason="reopened for correction", version=version)
    Comment.objects.create(claim=claim, author=by, body=f"Correction: {reason}")
    draft = Verdict(
        claim=claim,
        revision=current.revision + 1,
        rating=current.rating,
        headline=current.headline,
        analysis=current.analysis,
        author=claim.assignee or by,
        last_edited_by=None,
    )
    _save(draft, by, "correction started")
    notifications.event_notify(event="correction", claim=claim, by=by, key=f"correction:verdict:{draft.pk}")
    return draft
