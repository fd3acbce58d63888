"""The claim page's verdict: saving a draft, approving (with its checks), returning it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .. import roles, workflow
from ..errors import StaleEdit
from ..forms import (
    ApproveForm,
    ReturnForm,
    VerdictForm,
)
from ..models import Claim, Rating
from .base import WorkbenchRequest, editors_only, workbench
from .sections import section_answer, stale_conflict


@require_POST
@workbench
def verdict_save(request: WorkbenchRequest, pk: int) -> HttpResponse:
    """Save the draft verdict, and submit it for approval when asked."""
    claim = get_object_or_404(Claim, pk=pk)
    roles.require_work(request.user, claim, "draft")
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return section_answer(request, pk, "verdict", status=400, verdict_form=form)
    data = form.cleaned_data
    seen = data["version"]
    try:
        verdict = workflow.verdict_save_draft(
            claim=claim,
            by=request.user,
            rating=data["rating"],
            headline=data["headline"],
            analysis=data["analysis"],
            rating_explanation=data["rating_explanation"],
            version=seen,
        )
        if data["action"] == "submit":
            workflow.verdict_submit(verdict=verdict, by=request.user)
    except StaleEdit as exc:
        kept = VerdictForm({**request.POST.dict(), "version": exc.current.version})
        kept.is_valid()
        return section_answer(
            request,
            pk,
            "verdict",
            status=409,
            verdict_form=kept,
            verdict_conflict=stale_conflict(exc, seen, "verdict"),
        )
    messages.success(request, "Verdict submitted for approval." if data["action"] == "submit" else "Draft saved.")
    return section_answer(request, pk, "verdict")


def _submitted_verdict(claim: Claim):
    verdict = claim.verdicts.filter(state="submitted").first()
    if verdict is None:
        raise Http404("This claim has no verdict waiting for approval.")
    return verdict


@require_POST
@workbench
def verdict_approve(request: WorkbenchRequest, pk: int) -> HttpResponse:
    """Two steps: the first shows the approving editor the gates (evidence, the ClaimReview
    check: errors block, warnings to read) and asks to confirm; the second records the vote
    and publishes once the policy's approvals are in."""
    claim = get_object_or_404(Claim, pk=pk)
    verdict = _submitted_verdict(claim)
    refusal = workflow.approval_refusal(verdict, request.user)
    if refusal is not None:
        raise refusal
    form = ApproveForm(request.POST, ratings=list(Rating.objects.all()))
    if not form.is_valid():
        return section_answer(request, pk, "verdict", status=400, approve_form=form, approving=True)
    data = form.cleaned_data
    seen = data["version"]
    try:
        workflow.version_check(verdict, seen)
    except StaleEdit as exc:
        return section_answer(request, pk, "verdict", status=409, verdict_conflict=stale_conflict(exc, seen, "verdict"))
    if not data["confirm"]:
        errors, warnings = workflow.publication_checks(verdict)
        return section_answer(
            request,
            pk,
            "verdict",
            approve_form=form,
            approving=True,
            approval_errors=errors,
            approval_warnings=warnings,
            approval_changes=workflow.correction_preview(verdict),
            keep=True,
        )
    try:
        workflow.verdict_approve(
            verdict=verdict, by=request.user, version=seen, rating=data["rating"], comment=data["comment"]
        )
    except StaleEdit as exc:
        return section_answer(request, pk, "verdict", status=409, verdict_conflict=stale_conflict(exc, seen, "verdict"))
    if verdict.state == verdict.State.PUBLISHED:
        messages.success(request, "Verdict approved and published.")
    elif workflow.verdict_split(verdict):
        messages.warning(
            request,
            "Your vote is recorded. The panel is split: no rating has a majority. "
            "An editor can change their vote, or return the verdict.",
        )
    else:
        messages.success(
            request,
            "Your approval is recorded; the verdict needs more approvals before publication. "
            "The editors who may still vote are told.",
        )
    return section_answer(request, pk, "verdict")


@require_POST
@workbench
def verdict_return(request: WorkbenchRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    verdict = _submitted_verdict(claim)
    editors_only(request, "return a verdict")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return section_answer(request, pk, "verdict", status=400, return_form=form)
    seen = form.cleaned_data["version"]
    try:
        workflow.verdict_return(verdict=verdict, by=request.user, comment=form.cleaned_data["comment"], version=seen)
    except StaleEdit as exc:
        return section_answer(
            request, pk, "verdict", status=409, return_form=form, verdict_conflict=stale_conflict(exc, seen, "verdict")
        )
    messages.success(request, "Verdict returned to the reviewer with your comment.")
    return section_answer(request, pk, "verdict")
