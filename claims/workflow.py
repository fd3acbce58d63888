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

from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.text import slugify

from . import notifications, roles
from .errors import IllegalTransition, NotAllowed, StaleEdit, WorkflowError
from .models import ApprovalPolicy, Claim, Comment, Evidence, Rating, Verdict, VerdictVote

Status = Claim.Status
State = Verdict.State


def _lock(obj: Claim | Verdict | Evidence, version: int | None) -> None:
    """Claim the next version of `obj` in the database, or fail if it moved on.

    The conditional UPDATE is atomic, so of two concurrent saves from the same version
    exactly one wins; the other gets StaleEdit with who changed what and when.
    """
    expected = obj.version if version is None else version
    model = type(obj)
    if not model.objects.filter(pk=obj.pk, version=expected).update(version=expected + 1):
        raise _stale(obj)
    obj.version = expected + 1


def _stale(obj: Claim | Verdict | Evidence) -> StaleEdit:
    model = type(obj)
    current = model.objects.get(pk=obj.pk)
    last = current.history.select_related("history_user").first()
    who = last.history_user if last else None
    return StaleEdit(
        f"This {model._meta.verbose_name} was changed by {who or 'someone else'}"
        f" since you opened it. Your changes were not saved; review theirs and try again.",
        current=current,
        changed_by=who,
        changed_at=last.history_date if last else None,
    )


def version_check(obj: Claim | Verdict | Evidence, version: int) -> None:
    """Refuse (StaleEdit) if `obj` moved on from `version`, without claiming a new one: for
    a step that reads before it writes (the approval's confirmation)."""
    if type(obj).objects.filter(pk=obj.pk, version=version).exists():
        return
    raise _stale(obj)


# For the other services' versioned objects (evidence): the same check, by its public name.
edit_lock = _lock


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


# Longest "duplicate of" chain followed; real chains are a few links long.
MAX_DUPLICATE_CHAIN = 50


def _lock_rows(*claims: Claim) -> None:
    """Lock the claims' rows (in id order, so two editors never wait on each other in a
    circle) and re-read them: what is decided next sees every committed change."""
    pks = sorted({c.pk for c in claims})
    fresh = {c.pk: c for c in Claim.objects.select_for_update().filter(pk__in=pks)}
    for claim in claims:
        current = fresh[claim.pk]
        for name in ("status", "duplicate_of_id", "version", "assignee_id", "slug"):
            setattr(claim, name, getattr(current, name))


@transaction.atomic
def claim_mark_duplicate(*, claim: Claim, by: Any, original: Claim, version: int | None = None) -> Claim:
    """Mark `claim` a duplicate of `original` (of the root of its chain). Both rows are
    locked first, so two editors marking A of B and B of A at once cannot make a loop:
    the second sees the first's link and is refused."""
    _require(roles.is_editor(by), "Only an editor can mark a claim as a duplicate.")
    if original.pk == claim.pk:
        raise IllegalTransition("A claim cannot be a duplicate of itself.")
    _lock_rows(claim, original)
    if version is not None and claim.version != version:
        raise _stale(claim)
    _expect(claim, "mark as a duplicate", *(s for s in Status.values if s != Status.DUPLICATE))
    root, seen = original, [original.pk]
    while root.duplicate_of_id is not None:  # point at the root of a chain
        if root.duplicate_of_id == claim.pk or root.duplicate_of_id in seen:
            raise IllegalTransition(
                f"Claim #{original.pk} is already a duplicate of #{claim.pk}: marking #{claim.pk} a duplicate "
                f"of #{original.pk} would make a loop. Mark #{original.pk} as the duplicate instead."
            )
        if len(seen) >= MAX_DUPLICATE_CHAIN:
            raise IllegalTransition(
                f"Claim #{original.pk} sits at the end of a chain of more than {MAX_DUPLICATE_CHAIN} duplicates; "
                "mark the claim as a duplicate of the chain's first claim directly."
            )
        root = Claim.objects.only("pk", "duplicate_of_id").get(pk=root.duplicate_of_id)
        seen.append(root.pk)
    if root.pk == claim.pk:
        raise IllegalTransition(f"Claim #{original.pk} is already a duplicate of #{claim.pk}: that would make a loop.")
    return _move(
        claim,
        by=by,
        to=Status.DUPLICATE,
        reason=f"duplicate of #{root.pk}",
        version=None,
        duplicate_of=root,
    )


# The claim's fields the public record shows: changing one after publication is a correction.
PUBLIC_CLAIM_FIELDS = frozenset(
    {"text", "statement", "claim_date", "appearance_url", "first_appearance_url", "speaker", "article", "quote"}
)


@transaction.atomic
def claim_edit(*, claim: Claim, by: Any, version: int | None = None, **fields) -> Claim:
    """Change a claim's own fields (text, statement, date, appearance, kind, speaker,
    priority, due date) without moving it. On a published claim a change to what the public
    sees opens a correction: the published version stays public until another editor
    approves the corrected one."""
    _require(roles.can_work_on(by, claim), "You can only edit claims assigned to you.")
    changed = {name for name, value in fields.items() if _value(claim, name) != _value_of(value)}
    if claim.status == Status.PUBLISHED and changed & PUBLIC_CLAIM_FIELDS:
        _lock(claim, version)
        version = None
        labels = ", ".join(sorted(n.replace("_", " ") for n in changed & PUBLIC_CLAIM_FIELDS))
        _open_correction(claim, by=by, reason=f"the claim was edited after publication ({labels})", editing=True)
    # "edited" marks a change to what the public reads: whoever made one cannot approve the
    # verdict (see verdict_contributors); setting a priority or due date is the desk's work.
    reason = "edited" if changed & PUBLIC_CLAIM_FIELDS or not changed else "desk fields edited"
    return _move(claim, by=by, to=claim.status, reason=reason, version=version, **fields)


def _value(obj: Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def _value_of(value: Any) -> Any:
    return value.pk if isinstance(value, Model) else value


def claim_open_correction(*, claim: Claim, by: Any, reason: str) -> Verdict | None:
    """Before a change to a published claim's evidence: open a correction (see claim_edit).
    Does nothing on a claim that is not published."""
    if claim.status != Status.PUBLISHED:
        return None
    _lock_rows(claim)
    if claim.status != Status.PUBLISHED:
        return None
    return _open_correction(claim, by=by, reason=reason, editing=True)


def _open_correction(claim: Claim, *, by: Any, reason: str, editing: bool) -> Verdict:
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
    by: Any,
    rating: Rating | None,
    headline: str,
    analysis: str,
    rating_explanation: str | None = None,
    version: int | None = None,
) -> Verdict:
    """Create or update the claim's draft verdict. `version` is the draft's when editing,
    0 when the person saw no draft: if one was started meanwhile, theirs is not overwritten.
    The claim's row is locked first, so two first drafts cannot both be created."""
    _require(roles.can_work_on(by, claim), "You can only write verdicts on claims assigned to you.")
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


# Approval ------------------------------------------------------------------------------


def verdict_contributors(verdict: Verdict) -> set[int]:
    """Who wrote or changed what this version says: its author and last editor, and anyone
    who edited the claim or its evidence since the version was started. None of them may
    approve it (four eyes). Two queries."""
    people = {verdict.author_id, verdict.last_edited_by_id}
    since = verdict.created_at
    people |= set(
        Claim.history.filter(id=verdict.claim_id, history_date__gte=since, history_change_reason="edited")
        .exclude(history_user=None)
        .values_list("history_user_id", flat=True)
    )
    people |= set(
        Evidence.history.filter(claim_id=verdict.claim_id, history_date__gte=since)
        .exclude(history_user=None)
        .values_list("history_user_id", flat=True)
    )
    people.discard(None)
    return people


def current_votes(verdict: Verdict) -> list[VerdictVote]:
    return list(verdict.votes.filter(withdrawn=False).select_related("editor", "rating"))


def approval_refusal(verdict: Verdict, by: Any, *, contributors: set[int] | None = None) -> WorkflowError | None:
    """Why `by` may not approve (or vote on) `verdict` now, or None if they may. The page
    asks this to decide whether to show the buttons; `verdict_approve` asks it again."""
    if not roles.is_editor(by):
        return NotAllowed("Only an editor can approve a verdict.")
    if by.pk in (contributors if contributors is not None else verdict_contributors(verdict)):
        return NotAllowed("You wrote or changed this verdict; another editor must approve it.")
    if verdict.state != State.SUBMITTED:
        return IllegalTransition(f"Cannot approve a verdict that is {verdict.get_state_display().lower()}.")
    return None


def publication_checks(verdict: Verdict, *, policy: ApprovalPolicy | None = None) -> tuple[list[str], list[str]]:
    """The gates before publication: (errors that block it, warnings to read first). Enough
    evidence, and the ClaimReview that would go out checked field by field."""
    from .api import claimreview

    policy = policy or ApprovalPolicy.current()
    claim = verdict.claim
    errors: list[str] = []
    count = claim.evidence.count()
    if count < policy.min_evidence:
        errors.append(
            f"The claim has {count} piece{'s' if count != 1 else ''} of evidence; at least "
            f"{policy.min_evidence} {'is' if policy.min_evidence == 1 else 'are'} needed before publication."
        )
    snapshot = claimreview.claim_snapshot(claim)
    review = claimreview.claim_review_preview(verdict=verdict, snapshot=snapshot)
    review_errors, warnings = claimreview.claim_review_check(
        review, textual=bool(verdict.rating and verdict.rating.textual)
    )
    errors += review_errors
    if not claim.statement.strip():
        warnings.append(
            "No statement as checked was written: the quote as found is published as the claim. "
            "Write it under “Edit the claim” if it needs rewording."
        )
    return errors, warnings


def correction_preview(verdict: Verdict) -> list[str]:
    """What approving `verdict` would change in the published record, in words (empty for a
    first publication), for the approving editor to read before confirming."""
    from .api import claimreview

    previous = verdict.claim.verdicts.filter(state=State.PUBLISHED).select_related("rating").first()
    if previous is None:
        return []
    after = Verdict(
        rating=verdict.rating,
        headline=verdict.headline,
        analysis=verdict.analysis,
        claim_snapshot=claimreview.claim_snapshot(verdict.claim),
        evidence_snapshot=[claimreview.evidence_entry(e) for e in verdict.claim.evidence.all()],
    )
    return claimreview.changes_between(previous, after) or ["Nothing the public reads changes."]


@transaction.atomic
def verdict_approve(
    *,
    verdict: Verdict,
    by: Any,
    version: int | None = None,
    rating: Rating | None = None,
    comment: str = "",
) -> Verdict:
    """Approve a submitted verdict: record `by`'s vote and publish once the policy's approvals
    are in. Four eyes: whoever wrote or changed it cannot approve it. On a panel that votes
    on the rating, each vote names a rating (the verdict's when none is given) and the
    majority's rating is published, the dissent kept with the votes. The gates (evidence,
    ClaimReview) are checked at each vote; errors refuse it."""
    policy = ApprovalPolicy.current()
    locked = Verdict.objects.select_for_update().filter(pk=verdict.pk).values_list("version", "state").first()
    if locked is not None:
        verdict.state = locked[1]
        if version is not None and locked[0] != version:
            raise _stale(verdict)
        verdict.version = locked[0]
    contributors = verdict_contributors(verdict)
    refusal = approval_refusal(verdict, by, contributors=contributors)
    if refusal is not None:
        raise refusal
    errors, _ = publication_checks(verdict, policy=policy)
    if errors:
        raise IllegalTransition("Cannot publish yet: " + " ".join(errors))
    if not policy.vote_on_rating:
        rating = verdict.rating
    elif rating is None:
        rating = verdict.rating
    vote = verdict.votes.filter(withdrawn=False, editor=by).first() or VerdictVote(verdict=verdict, editor=by)
    vote.rating, vote.comment, vote.created_at = rating, comment.strip(), timezone.now()
    vote.save()
    votes = current_votes(verdict)
    if len(votes) < policy.approvals_required:
        _votes_ask(verdict, by=by, votes=votes, contributors=contributors)
        return verdict
    winner, panel = _tally(votes, policy)
    if winner is None:  # a split panel: someone changes their vote, or the verdict goes back
        _votes_ask(verdict, by=by, votes=votes, contributors=contributors)
        return verdict
    _publish(verdict, by=by, rating=winner, panel=panel, votes=votes)
    return verdict


def _votes_ask(verdict: Verdict, *, by: Any, votes: list[VerdictVote], contributors: set[int]) -> None:
    """A vote that did not publish: tell the editors who may still vote (not its writers, not
    those who voted) that their vote is needed. One event per voter and version of the
    verdict, so changing one's vote tells nobody twice."""
    asked = list(roles.editors().exclude(pk__in={v.editor_id for v in votes} | contributors | {by.pk}))
    if asked:
        key = f"vote:verdict:{verdict.pk}:v{verdict.version}:by{by.pk}"
        notifications.event_notify(event="vote", claim=verdict.claim, by=by, key=key, recipients=asked)


def _tally(votes: list[VerdictVote], policy: ApprovalPolicy) -> tuple[Rating | None, dict[str, Any]]:
    """The rating a majority voted (None when split) and the panel's summary."""
    counts: dict[int | None, int] = {}
    for v in votes:
        counts[v.rating_id] = counts.get(v.rating_id, 0) + 1
    top_id, top = max(counts.items(), key=lambda item: item[1])
    size = len(votes)
    panel = {
        "size": size,
        "for": top,
        "against": size - top,
        "vote_on_rating": policy.vote_on_rating,
        "public": policy.show_panel_publicly and size > 1,
    }
    if top * 2 <= size:
        return None, panel
    return next(v.rating for v in votes if v.rating_id == top_id), panel


def verdict_split(verdict: Verdict) -> bool:
    """Whether the panel has all voted without a majority."""
    return panel_split(current_votes(verdict), ApprovalPolicy.current())


def panel_split(votes: list[VerdictVote], policy: ApprovalPolicy) -> bool:
    """Whether `votes` are all the policy asks for yet no rating has a majority (no query)."""
    return len(votes) >= policy.approvals_required and _tally(votes, policy)[0] is None


def _approval_reason(votes: list[VerdictVote], verdict: Verdict) -> str:
    """The history line of a publication; a panel's tally and dissent are kept in it."""
    if len(votes) < 2:
        return "approved and published"
    against = [v for v in votes if v.rating_id != verdict.rating_id]
    reason = f"approved and published by a panel of {len(votes)}, {len(votes) - len(against)} to {len(against)}"
    if against:
        dissent = ", ".join(f"{v.editor.get_full_name() or v.editor.get_username()} ({v.rating})" for v in against)
        reason += f"; dissent: {dissent}"
    return reason


def _publish(
    verdict: Verdict, *, by: Any, rating: Rating | None, panel: dict[str, Any], votes: list[VerdictVote]
) -> None:
    from .api import claimreview

    claim = verdict.claim
    _lock(verdict, None)
    previous = claim.verdicts.filter(state=State.PUBLISHED).select_related("rating").first()
    if previous is not None:
        previous.state = State.SUPERSEDED
        _save(previous, by, f"superseded by revision {verdict.revision}")
    if rating is not None and rating.pk != verdict.rating_id:
        verdict.rating = rating  # the panel's majority carries
    verdict.state, verdict.approver, verdict.published_at = State.PUBLISHED, by, timezone.now()
    verdict.evidence_snapshot = [claimreview.evidence_entry(e) for e in claim.evidence.all()]
    verdict.claim_snapshot = claimreview.claim_snapshot(claim)
    verdict.panel = panel
    verdict.changes = claimreview.changes_between(previous, verdict) if previous is not None else []
    _save(verdict, by, _approval_reason(votes, verdict))
    slug = claim.slug or f"{slugify(claim.text)[:100].rstrip('-') or 'claim'}-{claim.pk}"
    _move(claim, by=by, to=Status.PUBLISHED, reason="published", version=None, slug=slug)
    notifications.event_notify(event="published", claim=claim, by=by, key=f"published:verdict:{verdict.pk}")


@transaction.atomic
def verdict_return(*, verdict: Verdict, by: Any, comment: str, version: int | None = None) -> Verdict:
    """Send a submitted verdict back to its reviewer with a comment saying why. The votes
    cast so far are kept, withdrawn: the resubmitted text is voted on afresh."""
    _require(roles.is_editor(by), "Only an editor can return a verdict.")
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
def claim_reopen(*, claim: Claim, by: Any, reason: str, version: int | None = None) -> Verdict:
    """Open a published claim for correction: a new draft revision starts from the published
    text; the published version stays public until the correction is approved."""
    _require(roles.is_editor(by), "Only an editor can open a published verdict for correction.")
    _expect(claim, "correct", Status.PUBLISHED)
    if not reason.strip():
        raise IllegalTransition("Say what needs correcting: the reason is empty.")
    _lock(claim, version)
    return _open_correction(claim, by=by, reason=reason, editing=False)
