"""The claim page: the claim in its article, earlier similar claims, evidence, the verdict,
comments and history. Each section is a partial that htmx swaps after a save; without
JavaScript every form posts and comes back to the page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import queries, roles, workflow
from .. import workbench as writes
from ..errors import StaleEdit
from ..forms import AssignForm, ClaimEditForm, CommentForm, CorrectionForm, EvidenceForm, ReturnForm, VerdictForm
from ..models import Claim, Evidence, Rating
from .base import editors_only, workbench

SECTIONS = {
    "claim": "claims/_claim_text.html",
    "verdict": "claims/_verdict.html",
    "evidence": "claims/_evidence.html",
    "comments": "claims/_comments.html",
    "history": "claims/_history.html",
}


def _load(pk: int) -> Claim:
    try:
        return queries.claim_for_page(pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None


def _context(request: HttpRequest, claim: Claim, **overrides: Any) -> dict[str, Any]:
    user = request.user
    can_work = roles.can_work_on(user, claim)
    is_editor = roles.is_editor(user)
    verdict = queries.open_verdict(claim)
    published = queries.published_verdict(claim)
    ratings = list(Rating.objects.all())
    writable_verdict = can_work and claim.status in (Claim.Status.ASSIGNED, Claim.Status.IN_REVIEW)
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
        "can_review": is_editor and verdict is not None and verdict.state == verdict.State.SUBMITTED,
        "claim_form": ClaimEditForm(
            initial={
                "text": claim.text,
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
                "version": verdict.version if verdict else None,
            },
        ),
        "evidence_form": EvidenceForm(auto_id="new_evidence_%s"),
        "comment_form": CommentForm(),
        "return_form": ReturnForm(initial={"version": verdict.version if verdict else None}),
        "correction_form": CorrectionForm(initial={"version": claim.version}),
        "can_correct": is_editor and claim.status == Claim.Status.PUBLISHED,
        "assign_form": AssignForm(initial={"assignee": claim.assignee_id, "due_date": claim.due_date}),
        "editing_evidence": None,
    }
    context.update(overrides)
    return context


def _answer(request: HttpRequest, claim_pk: int, section: str, *, status: int = 200, **overrides) -> HttpResponse:
    """After a save: the section again for htmx (and a nudge to refresh the history), or the
    whole page; a form with errors comes back with the person's input kept."""
    claim = _load(claim_pk)
    context = _context(request, claim, **overrides)
    if request.htmx:
        # The section, plus the history and the status badge, which every change can move.
        html = render_to_string(SECTIONS[section], context, request)
        html += render_to_string("claims/_history.html", {**context, "oob": True}, request)
        if section != "claim":
            html += render_to_string("claims/_claim_status.html", {**context, "oob": True}, request)
        return HttpResponse(html, status=status)
    if status == 200:
        return redirect(reverse("claims:claim", args=[claim_pk]) + f"#{section}")
    return TemplateResponse(request, "claims/claim.html", context, status=status)


@workbench
def claim_page(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _load(pk)
    return TemplateResponse(request, "claims/claim.html", _context(request, claim))


@workbench
def claim_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """One section alone (htmx refreshes the history and the header after a change)."""
    if section not in SECTIONS:
        raise Http404("No such section.")
    return TemplateResponse(request, SECTIONS[section], _context(request, _load(pk)))


def _conflict(exc: StaleEdit, seen: int | None, what: str) -> dict[str, Any]:
    return {
        "what": what,
        "who": exc.changed_by,
        "when": exc.changed_at,
        "changes": queries.changes_since(exc.current, seen),
    }


@require_POST
@workbench
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    writes.require_work(request.user, claim, "You can only edit claims assigned to you.")
    form = ClaimEditForm(request.POST, editor=roles.is_editor(request.user))
    if not form.is_valid():
        return _answer(request, pk, "claim", status=400, claim_form=form, editing_claim=True)
    data = dict(form.cleaned_data)
    seen = data.pop("version")
    try:
        workflow.claim_edit(claim=claim, by=request.user, version=seen, **data)
    except StaleEdit as exc:
        kept = ClaimEditForm(
            {**request.POST.dict(), "version": exc.current.version}, editor=roles.is_editor(request.user)
        )
        return _answer(
            request,
            pk,
            "claim",
            status=409,
            claim_form=kept,
            editing_claim=True,
            claim_conflict=_conflict(exc, seen, "claim"),
        )
    messages.success(request, "Claim saved.")
    return _answer(request, pk, "claim")


@require_POST
@workbench
def verdict_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft verdict, and submit it for approval when asked."""
    claim = get_object_or_404(Claim, pk=pk)
    writes.require_work(request.user, claim, "You can only write verdicts on claims assigned to you.")
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return _answer(request, pk, "verdict", status=400, verdict_form=form)
    data = form.cleaned_data
    seen = data["version"]
    try:
        verdict = workflow.verdict_save_draft(
            claim=claim,
            by=request.user,
            rating=data["rating"],
            headline=data["headline"],
            analysis=data["analysis"],
            version=seen,
        )
        if data["action"] == "submit":
            workflow.verdict_submit(verdict=verdict, by=request.user)
    except StaleEdit as exc:
        kept = VerdictForm({**request.POST.dict(), "version": exc.current.version})
        kept.is_valid()
        return _answer(
            request,
            pk,
            "verdict",
            status=409,
            verdict_form=kept,
            verdict_conflict=_conflict(exc, seen, "verdict"),
        )
    messages.success(request, "Verdict submitted for approval." if data["action"] == "submit" else "Draft saved.")
    return _answer(request, pk, "verdict")


def _submitted_verdict(claim: Claim):
    verdict = claim.verdicts.filter(state="submitted").first()
    if verdict is None:
        raise Http404("This claim has no verdict waiting for approval.")
    return verdict


@require_POST
@workbench
def verdict_approve(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    verdict = _submitted_verdict(claim)
    seen = _int(request.POST.get("version"))
    try:
        workflow.verdict_approve(verdict=verdict, by=request.user, version=seen)
    except StaleEdit as exc:
        return _answer(request, pk, "verdict", status=409, verdict_conflict=_conflict(exc, seen, "verdict"))
    messages.success(request, "Verdict approved and published.")
    return _answer(request, pk, "verdict")


@require_POST
@workbench
def verdict_return(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    verdict = _submitted_verdict(claim)
    editors_only(request, "return a verdict")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _answer(request, pk, "verdict", status=400, return_form=form)
    seen = form.cleaned_data["version"]
    try:
        workflow.verdict_return(verdict=verdict, by=request.user, comment=form.cleaned_data["comment"], version=seen)
    except StaleEdit as exc:
        return _answer(
            request, pk, "verdict", status=409, return_form=form, verdict_conflict=_conflict(exc, seen, "verdict")
        )
    messages.success(request, "Verdict returned to the reviewer with your comment.")
    return _answer(request, pk, "verdict")


@require_POST
@workbench
def claim_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a published claim for correction: a new draft starts from the published text,
    which stays public until the correction is approved."""
    claim = get_object_or_404(Claim, pk=pk)
    editors_only(request, "open a published verdict for correction")
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _answer(request, pk, "verdict", status=400, correction_form=form)
    seen = form.cleaned_data["version"]
    try:
        workflow.claim_reopen(claim=claim, by=request.user, reason=form.cleaned_data["reason"], version=seen)
    except StaleEdit as exc:
        return _answer(
            request,
            pk,
            "verdict",
            status=409,
            correction_form=form,
            verdict_conflict=_conflict(exc, seen, "claim"),
        )
    messages.success(request, "Opened for correction: a new draft starts from the published verdict.")
    return _answer(request, pk, "verdict")


@require_POST
@workbench
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    writes.require_work(request.user, claim, "You can only add evidence to claims assigned to you.")
    form = EvidenceForm(request.POST, auto_id="new_evidence_%s")
    if not form.is_valid():
        return _answer(request, pk, "evidence", status=400, evidence_form=form)
    writes.evidence_add(claim=claim, by=request.user, **form.cleaned_data)
    messages.success(request, "Evidence added.")
    return _answer(request, pk, "evidence")


@workbench
def evidence_edit(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """GET: the row as a form; POST: save it."""
    evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=evidence_pk, claim_id=pk)
    writes.require_work(request.user, evidence.claim, "You can only edit evidence on claims assigned to you.")
    prefix = f"evidence_{evidence.pk}_%s"
    if request.method != "POST":
        form = EvidenceForm(instance=evidence, auto_id=prefix)
        return _answer_form(request, pk, evidence, form)
    form = EvidenceForm(request.POST, instance=Evidence.objects.get(pk=evidence.pk), auto_id=prefix)
    if not form.is_valid():
        return _answer_form(request, pk, evidence, form, status=400)
    writes.evidence_edit(evidence=evidence, by=request.user, **form.cleaned_data)
    messages.success(request, "Evidence saved.")
    return _answer(request, pk, "evidence")


def _answer_form(request, pk, evidence, form, status=200) -> HttpResponse:
    claim = _load(pk)
    context = _context(request, claim, editing_evidence=evidence.pk, edit_form=form)
    template = SECTIONS["evidence"] if request.htmx else "claims/claim.html"
    return TemplateResponse(request, template, context, status=status)


@require_POST
@workbench
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=evidence_pk, claim_id=pk)
    writes.evidence_remove(evidence=evidence, by=request.user)
    messages.success(request, "Evidence removed.")
    return _answer(request, pk, "evidence")


@require_POST
@workbench
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    writes.require_work(request.user, claim, "You can only comment on claims assigned to you.")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _answer(request, pk, "comments", status=400, comment_form=form)
    writes.comment_add(claim=claim, by=request.user, body=form.cleaned_data["body"])
    return _answer(request, pk, "comments")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None
