"""What the claim page's views share: its sections, the page's context, and the answer
after a save (the section again for htmx, or the whole page). The claim page itself is in
`views.claim`, the verdict's forms in `views.verdict`, evidence and comments in
`views.evidence`."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import matching, queries, roles, workflow
from ..errors import StaleEdit
from ..forms import (
    ApproveForm,
    AssignForm,
    ClaimEditForm,
    CommentForm,
    CorrectionForm,
    EvidenceForm,
    ReturnForm,
    VerdictForm,
)
from ..models import ApprovalPolicy, Claim, Rating
from .base import WorkbenchRequest

SECTIONS = {
    "claim": "claims/_claim_text.html",
    "verdict": "claims/_verdict.html",
    "evidence": "claims/_evidence.html",
    "comments": "claims/_comments.html",
    "history": "claims/_history.html",
}


def claim_or_404(pk: int) -> Claim:
    """The claim with everything its page shows, or a 404. A claim that matching at
    ingestion left for later is matched now, so the page always says "already checked?"."""
    try:
        claim = queries.claim_for_page(pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    if matching.claims_match_pending(claims=[claim]):
        claim = queries.claim_for_page(pk)
    return claim


def page_context(request: WorkbenchRequest, claim: Claim, **overrides: Any) -> dict[str, Any]:
    """Everything the claim page and its sections show to this person; `overrides` put a
    form with errors, a conflict or an open editor in place of the blank ones."""
    user = request.user
    can_work = roles.can_work_on(user, claim)
    is_editor = roles.is_editor(user)
    verdict = queries.open_verdict(claim)
    published = queries.published_verdict(claim)
    ratings = list(Rating.objects.all())
    writable_verdict = can_work and claim.status in (Claim.Status.ASSIGNED, Claim.Status.IN_REVIEW)
    policy = ApprovalPolicy.current()
    submitted = verdict is not None and verdict.state == verdict.State.SUBMITTED
    # Approve (or vote) only for an editor who may: not an author or editor of this version.
    can_approve = is_editor and submitted and verdict is not None and workflow.approval_refusal(verdict, user) is None
    votes = [v for v in verdict.votes.all() if not v.withdrawn] if verdict is not None else []
    context: dict[str, Any] = {
        "claim": claim,
        "can_work": can_work,
        "is_editor": is_editor,
        "verdict": verdict,
        "published": published,
        "context": queries.claim_context(claim),
        "figures_differ": queries.figures_stated_differently(claim),
        "evidence": list(claim.evidence.all()),
        "comments": list(claim.comments.all()),
        "matches": list(claim.matches.all()),
        "checked_elsewhere": list(claim.external_matches.all()),
        "history": queries.claim_history(claim, ratings=ratings),
        "writable_verdict": writable_verdict,
        "can_review": is_editor and submitted,
        "can_approve": can_approve,
        "policy": policy,
        "votes": votes,
        "my_vote": next((v for v in votes if v.editor_id == user.pk), None),
        "split": submitted and workflow.panel_split(votes, policy),
        "published_votes": list(published.votes.all()) if published is not None else [],
        "approve_form": ApproveForm(ratings=ratings, initial={"version": verdict.version if verdict else 0}),
        "claim_form": ClaimEditForm(
            initial={
                "text": claim.text,
                "statement": claim.statement,
                "claim_date": claim.claim_date,
                "appearance_url": claim.appearance_url,
                "first_appearance_url": claim.first_appearance_url,
                "kind": claim.kind,
                "priority": claim.priority,
                "due_date": claim.due_date,
                "version": claim.version,
            },
            editor=is_editor,
        ),
        "verdict_form": VerdictForm(
            ratings=ratings,
            initial={
                "rating": verdict.rating_id if verdict else None,
                "headline": verdict.headline if verdict else "",
                "analysis": verdict.analysis if verdict else "",
                "rating_explanation": verdict.rating_explanation if verdict else "",
                "version": verdict.version if verdict else 0,
            },
        ),
        "evidence_form": EvidenceForm(auto_id="new_evidence_%s"),
        "comment_form": CommentForm(),
        "return_form": ReturnForm(initial={"version": verdict.version if verdict else 0}),
        "correction_form": CorrectionForm(initial={"version": claim.version}),
        "can_correct": is_editor and claim.status == Claim.Status.PUBLISHED,
        "assign_form": AssignForm(initial={"assignee": claim.assignee_id, "due_date": claim.due_date}),
        "editing_evidence": None,
    }
    context.update(overrides)
    return context


def section_answer(
    request: WorkbenchRequest, claim_pk: int, section: str, *, status: int = 200, keep: bool = False, **overrides
) -> HttpResponse:
    """After a save: the section again for htmx (and a nudge to refresh the history), or the
    whole page; a form with errors (or a step to confirm, `keep`) comes back with the
    person's input kept."""
    claim = claim_or_404(claim_pk)
    context = page_context(request, claim, **overrides)
    if request.htmx:
        # The section, plus the history and the status badge, which every change can move.
        html = render_to_string(SECTIONS[section], context, request)
        html += render_to_string("claims/_history.html", {**context, "oob": True}, request)
        if section != "claim":
            html += render_to_string("claims/_claim_status.html", {**context, "oob": True}, request)
        return HttpResponse(html, status=status)
    if status == 200 and not keep:
        return redirect(reverse("claims:claim", args=[claim_pk]) + f"#{section}")
    return TemplateResponse(request, "claims/claim.html", context, status=status)


def stale_conflict(exc: StaleEdit, seen: int | None, what: str) -> dict[str, Any]:
    """What a refused stale edit shows: who changed `what` since version `seen`, when, and how."""
    return {
        "what": what,
        "who": exc.changed_by,
        "when": exc.changed_at,
        "changes": queries.changes_since(exc.current, seen),
    }


def int_or_none(value: str | None) -> int | None:
    """A posted number, or None when it is missing or not a number."""
    try:
        return int(value) if value else None
    except ValueError:
        return None
