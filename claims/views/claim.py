"""The claim page: the claim in its article, earlier similar claims, evidence, the verdict,
comments and history. Each section is a partial that htmx swaps after a save; without
JavaScript every form posts and comes back to the page. What the page's views share is in
`views.sections`; the verdict's forms are in `views.verdict`, evidence and comments in
`views.evidence`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .. import roles, workflow
from ..errors import StaleEdit
from ..forms import ClaimEditForm, CorrectionForm
from ..models import Claim
from .base import WorkbenchRequest, editors_only, workbench
from .sections import SECTIONS, claim_or_404, page_context, section_answer, stale_conflict


@workbench
def claim_page(request: WorkbenchRequest, pk: int) -> HttpResponse:
    claim = claim_or_404(pk)
    return TemplateResponse(request, "claims/claim.html", page_context(request, claim))


@workbench
def claim_section(request: WorkbenchRequest, pk: int, section: str) -> HttpResponse:
    """One section alone (htmx refreshes the history and the header after a change)."""
    if section not in SECTIONS:
        raise Http404("No such section.")
    return TemplateResponse(request, SECTIONS[section], page_context(request, claim_or_404(pk)))


@require_POST
@workbench
def claim_edit(request: WorkbenchRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    roles.require_work(request.user, claim, "edit")
    form = ClaimEditForm(request.POST, editor=roles.is_editor(request.user))
    if not form.is_valid():
        return section_answer(request, pk, "claim", status=400, claim_form=form, editing_claim=True)
    data = dict(form.cleaned_data)
    seen = data.pop("version")
    try:
        workflow.claim_edit(claim=claim, by=request.user, version=seen, **data)
    except StaleEdit as exc:
        kept = ClaimEditForm(
            {**request.POST.dict(), "version": exc.current.version}, editor=roles.is_editor(request.user)
        )
        return section_answer(
            request,
            pk,
            "claim",
            status=409,
            claim_form=kept,
            editing_claim=True,
            claim_conflict=stale_conflict(exc, seen, "claim"),
        )
    messages.success(request, "Claim saved.")
    return section_answer(request, pk, "claim")


@require_POST
@workbench
def claim_correct(request: WorkbenchRequest, pk: int) -> HttpResponse:
    """Open a published claim for correction: a new draft starts from the published text,
    which stays public until the correction is approved."""
    claim = get_object_or_404(Claim, pk=pk)
    editors_only(request, "open a published verdict for correction")
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return section_answer(request, pk, "verdict", status=400, correction_form=form)
    seen = form.cleaned_data["version"]
    try:
        workflow.claim_reopen(claim=claim, by=request.user, reason=form.cleaned_data["reason"], version=seen)
    except StaleEdit as exc:
        return section_answer(
            request,
            pk,
            "verdict",
            status=409,
            correction_form=form,
            verdict_conflict=stale_conflict(exc, seen, "claim"),
        )
    messages.success(request, "Opened for correction: a new draft starts from the published verdict.")
    return section_answer(request, pk, "verdict")
