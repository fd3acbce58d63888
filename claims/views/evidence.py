"""The claim page's evidence and comments: add, edit, remove evidence; add a comment."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .. import roles, services
from ..errors import StaleEdit
from ..forms import (
    MISSING_VERSION,
    CommentForm,
    EvidenceEditForm,
    EvidenceForm,
)
from ..models import Claim, Evidence
from .base import WorkbenchRequest, workbench
from .sections import SECTIONS, claim_or_404, int_or_none, page_context, section_answer, stale_conflict


@require_POST
@workbench
def evidence_add(request: WorkbenchRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    roles.require_work(request.user, claim, "add_evidence")
    form = EvidenceForm(request.POST, auto_id="new_evidence_%s")
    if not form.is_valid():
        return section_answer(request, pk, "evidence", status=400, evidence_form=form)
    services.evidence_add(claim=claim, by=request.user, **form.cleaned_data)
    messages.success(request, "Evidence added.")
    return section_answer(request, pk, "evidence")


@workbench
def evidence_edit(request: WorkbenchRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """GET: the row as a form; POST: save it."""
    evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=evidence_pk, claim_id=pk)
    roles.require_work(request.user, evidence.claim, "edit_evidence")
    prefix = f"evidence_{evidence.pk}_%s"
    if request.method != "POST":
        form = EvidenceEditForm(instance=evidence, auto_id=prefix)
        return _answer_form(request, pk, evidence, form)
    form = EvidenceEditForm(request.POST, instance=Evidence.objects.get(pk=evidence.pk), auto_id=prefix)
    if not form.is_valid():
        return _answer_form(request, pk, evidence, form, status=400)
    data = dict(form.cleaned_data)
    try:
        services.evidence_edit(evidence=evidence, by=request.user, **data)
    except StaleEdit as exc:
        kept = EvidenceEditForm(
            {**request.POST.dict(), "version": exc.current.version}, instance=exc.current, auto_id=prefix
        )
        return _answer_form(
            request, pk, evidence, kept, status=409, evidence_conflict=stale_conflict(exc, data["version"], "evidence")
        )
    messages.success(request, "Evidence saved.")
    return section_answer(request, pk, "evidence")


def _answer_form(request, pk, evidence, form, status=200, **overrides) -> HttpResponse:
    claim = claim_or_404(pk)
    context = page_context(request, claim, editing_evidence=evidence.pk, edit_form=form, **overrides)
    template = SECTIONS["evidence"] if request.htmx else "claims/claim.html"
    return TemplateResponse(request, template, context, status=status)


@require_POST
@workbench
def evidence_remove(request: WorkbenchRequest, pk: int, evidence_pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=evidence_pk, claim_id=pk)
    roles.require_work(request.user, evidence.claim, "remove_evidence")
    seen = int_or_none(request.POST.get("version"))
    if seen is None:
        return section_answer(request, pk, "evidence", status=400, evidence_error=MISSING_VERSION)
    try:
        services.evidence_remove(evidence=evidence, by=request.user, version=seen)
    except StaleEdit as exc:
        return section_answer(
            request, pk, "evidence", status=409, evidence_conflict=stale_conflict(exc, seen, "evidence")
        )
    messages.success(request, "Evidence removed.")
    return section_answer(request, pk, "evidence")


@require_POST
@workbench
def comment_add(request: WorkbenchRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    roles.require_work(request.user, claim, "comment")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return section_answer(request, pk, "comments", status=400, comment_form=form)
    services.comment_add(claim=claim, by=request.user, body=form.cleaned_data["body"])
    return section_answer(request, pk, "comments")
