"""Approval and publication: the four-eyes rule, the approval policy (one editor or a panel
voting on the rating), the checks before anything goes out, and publishing itself, which
freezes the evidence and the claim with the version and updates the public record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .. import notifications, publishing, roles
from ..audit import audit_save as _save
from ..errors import IllegalTransition, NotAllowed, WorkflowError
from ..models import ApprovalPolicy, Claim, Evidence, Rating, Verdict, VerdictVote
from ..publishing import checks, freezing
from ..roles import Actor
from .base import State, Status, _lock, _move, _stale


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
    return {person for person in people if person is not None}


def current_votes(verdict: Verdict) -> list[VerdictVote]:
    return list(verdict.votes.filter(withdrawn=False).select_related("editor", "rating"))


def approval_refusal(verdict: Verdict, by: Actor, *, contributors: set[int] | None = None) -> WorkflowError | None:
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
    policy = policy or ApprovalPolicy.current()
    claim = verdict.claim
    errors: list[str] = []
    count = claim.evidence.count()
    if count < policy.min_evidence:
        errors.append(
            f"The claim has {count} piece{'s' if count != 1 else ''} of evidence; at least "
            f"{policy.min_evidence} {'is' if policy.min_evidence == 1 else 'are'} needed before publication."
        )
    snapshot = freezing.claim_snapshot(claim)
    review = checks.claim_review_preview(verdict=verdict, snapshot=snapshot)
    review_errors, warnings = checks.claim_review_check(review, textual=bool(verdict.rating and verdict.rating.textual))
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
    previous = verdict.claim.verdicts.filter(state=State.PUBLISHED).select_related("rating").first()
    if previous is None:
        return []
    after = Verdict(
        rating=verdict.rating,
        headline=verdict.headline,
        analysis=verdict.analysis,
        claim_snapshot=freezing.claim_snapshot(verdict.claim),
        evidence_snapshot=[freezing.evidence_entry(e) for e in verdict.claim.evidence.all()],
    )
    return freezing.changes_between(previous, after) or ["Nothing the public reads changes."]


@transaction.atomic
def verdict_approve(
    *,
    verdict: Verdict,
    by: Actor,
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


def _votes_ask(verdict: Verdict, *, by: Actor, votes: list[VerdictVote], contributors: set[int]) -> None:
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
    verdict: Verdict, *, by: Actor, rating: Rating | None, panel: dict[str, Any], votes: list[VerdictVote]
) -> None:
    claim = verdict.claim
    _lock(verdict, None)
    previous = claim.verdicts.filter(state=State.PUBLISHED).select_related("rating").first()
    if previous is not None:
        previous.state = State.SUPERSEDED
        _save(previous, by, f"superseded by revision {verdict.revision}")
    if rating is not None and rating.pk != verdict.rating_id:
        verdict.rating = rating  # the panel's majority carries
    verdict.state, verdict.approver, verdict.published_at = State.PUBLISHED, by, timezone.now()
    verdict.evidence_snapshot = [freezing.evidence_entry(e) for e in claim.evidence.all()]
    verdict.claim_snapshot = freezing.claim_snapshot(claim)
    verdict.panel = panel
    verdict.changes = freezing.changes_between(previous, verdict) if previous is not None else []
    _save(verdict, by, _approval_reason(votes, verdict))
    slug = claim.slug or f"{slugify(claim.text)[:100].rstrip('-') or 'claim'}-{claim.pk}"
    _move(claim, by=by, to=Status.PUBLISHED, reason="published", version=None, slug=slug)
    publishing.fact_check_publish(verdict=verdict)
    notifications.event_notify(event="published", claim=claim, by=by, key=f"published:verdict:{verdict.pk}")
