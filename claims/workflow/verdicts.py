"""Verdict transitions before and after approval: drafting, submitting, returning,
corrections (a published claim reopened) and retraction.

    draft → submitted → published | returned;  published → in_review (correction);
    published → retracted (a tombstone for partners, 410 for the public page)
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .. import notifications, publishing, roles
from ..audit import audit_save as _save
from ..errors import IllegalTransition, StaleEdit
from ..models import Claim, Comment, FactCheck, Rating, Verdict
from ..roles import Actor
from .base import State, Status, _expect, _lock, _lock_rows, _move


def _open_verdict(claim: Claim) -> Verdict | None:
    return claim.verdicts.filter(state__in=[State.DRAFT, State.SUBMITTED, State.RETURNED]).first()


def _someone_drafted(verdict: Verdict) -> StaleEdit:
    who = verdict.last_edited_by or verdict.author
    return StaleEdit(
        f"{who} started this verdict since you opened the page. Your text was not saved; "
        "compare it with theirs and save again.",
        current=verdict,
        changed_by=who,
        changed_at=verdict.updated_at,
    )


@transaction.atomic
def verdict_save_draft(
    *,
    claim: Claim,
    by: Actor,
    rating: Rating | None,
    headline: str,
    analysis: str,
    rating_explanation: str | None = None,
    version: int | None = None,
) -> Verdict:
    """Create or update the claim's draft verdict. `version` is the draft's when editing,
    0 when the person saw no draft: if one was started meanwhile, theirs is not overwritten.
    The claim's row is locked first, so two first drafts cannot both be created."""
    roles.require_work(by, claim, "draft")
    _lock_rows(claim)
    _expect(claim, "write a verdict on", Status.ASSIGNED, Status.IN_REVIEW)
    if claim.status == Status.ASSIGNED:
        _move(claim, by=by, to=Status.IN_REVIEW, reason="review started", version=None)
    verdict = _open_verdict(claim)
    if verdict is not None and version == 0:
        raise _someone_drafted(verdict)
    if verdict is None:
        last = claim.verdicts.aggregate(n=Max("revision"))["n"] or 0
        verdict = Verdict(claim=claim, revision=last + 1, author=by)
    else:
        _lock(verdict, version)
    verdict.rating, verdict.headline, verdict.analysis = rating, headline, analysis
    if rating_explanation is not None:
        verdict.rating_explanation = rating_explanation
    verdict.last_edited_by = by
    verdict.state = State.DRAFT
    if verdict.pk is None:
        try:
            with transaction.atomic():  # the unique "one open verdict" constraint backs the lock
                _save(verdict, by, "draft saved")
        except IntegrityError:
            existing = _open_verdict(claim)
            if existing is None:
                raise
            raise _someone_drafted(existing) from None
    else:
        _save(verdict, by, "draft saved")
    return verdict


@transaction.atomic
def verdict_submit(*, verdict: Verdict, by: Actor, version: int | None = None) -> Verdict:
    claim = verdict.claim
    roles.require_work(by, claim, "submit")
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
def verdict_return(*, verdict: Verdict, by: Actor, comment: str, version: int | None = None) -> Verdict:
    """Send a submitted verdict back to its reviewer with a comment saying why. The votes
    cast so far are kept, withdrawn: the resubmitted text is voted on afresh."""
    roles.require_editor(by, "return a verdict")
    if verdict.state != State.SUBMITTED:
        raise IllegalTransition(f"Cannot return a verdict that is {verdict.get_state_display().lower()}.")
    if not comment.strip():
        raise IllegalTransition("Say why the verdict goes back: the comment is empty.")
    _lock(verdict, version)
    verdict.state = State.RETURNED
    _save(verdict, by, "returned")
    verdict.votes.filter(withdrawn=False).update(withdrawn=True)
    Comment.objects.create(claim=verdict.claim, author=by, body=comment)
    _move(verdict.claim, by=by, to=Status.IN_REVIEW, reason="verdict returned", version=None)
    key = f"returned:verdict:{verdict.pk}:v{verdict.version}"
    notifications.event_notify(event="returned", claim=verdict.claim, by=by, key=key)
    return verdict


@transaction.atomic
def claim_reopen(*, claim: Claim, by: Actor, reason: str, version: int | None = None) -> Verdict:
    """Open a published claim for correction: a new draft revision starts from the published
    text; the published version stays public until the correction is approved."""
    roles.require_editor(by, "open a published verdict for correction")
    _expect(claim, "correct", Status.PUBLISHED)
    if not reason.strip():
        raise IllegalTransition("Say what needs correcting: the reason is empty.")
    _lock(claim, version)
    return _open_correction(claim, by=by, reason=reason, editing=False)


def claim_open_correction(*, claim: Claim, by: Actor, reason: str) -> Verdict | None:
    """Before a change to a published claim's evidence: open a correction (see claim_edit).
    Does nothing on a claim that is not published."""
    if claim.status != Status.PUBLISHED:
        return None
    _lock_rows(claim)
    if claim.status != Status.PUBLISHED:
        return None
    return _open_correction(claim, by=by, reason=reason, editing=True)


def _open_correction(claim: Claim, *, by: Actor, reason: str, editing: bool) -> Verdict:
    """A new draft revision from the published one; the claim goes back into review. With
    `editing`, whoever made the change counts as an editor of the correction (four eyes)."""
    current = claim.verdicts.published().get()
    _move(claim, by=by, to=Status.IN_REVIEW, reason="reopened for correction", version=None)
    Comment.objects.create(claim=claim, author=by, body=f"Correction: {reason}")
    draft = Verdict(
        claim=claim,
        revision=current.revision + 1,
        rating=current.rating,
        headline=current.headline,
        analysis=current.analysis,
        rating_explanation=current.rating_explanation,
        author=claim.assignee or by,
        last_edited_by=by if editing else None,
    )
    _save(draft, by, "correction started")
    notifications.event_notify(event="correction", claim=claim, by=by, key=f"correction:verdict:{draft.pk}")
    return draft


@transaction.atomic
def verdict_retract(*, verdict: Verdict, by: Actor, reason: str, revision: int | None = None) -> FactCheck:
    """Take a published verdict down. Partners get a tombstone (id, "retracted", when) in
    `updated_since` polls and by webhook; the public page answers 410 Gone. The claim goes
    back into review with the reason as a comment, so the desk can rework or drop it.
    `revision` is the published version the editor read: if a correction replaced it since,
    nothing is retracted (StaleEdit)."""
    roles.require_editor(by, "retract a published verdict")
    if revision is not None:
        locked = Verdict.objects.select_for_update().filter(pk=verdict.pk).values_list("state", "revision").first()
        if locked != (Verdict.State.PUBLISHED, revision):
            raise StaleEdit(
                f"This fact-check changed since you read version {revision}: it was corrected or retracted. "
                "Read it again; nothing was retracted.",
                current=verdict,
            )
    if verdict.state != Verdict.State.PUBLISHED:
        raise IllegalTransition(f"Cannot retract a verdict that is {verdict.get_state_display().lower()}.")
    if not reason.strip():
        raise IllegalTransition("Say why the verdict is retracted: the reason is empty.")
    verdict.state = Verdict.State.SUPERSEDED
    _save(verdict, by, "retracted")
    claim = verdict.claim
    _move(claim, by=by, to=Status.IN_REVIEW, reason="retracted", version=None)
    Comment.objects.create(claim=claim, author=by, body=f"Retracted: {reason}")
    return publishing.fact_check_retract(verdict=verdict, by=by, reason=reason)
