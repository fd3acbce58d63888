"""My queue, and the editors' triage of candidate claims."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import matching, queries, roles, workflow
from ..errors import IllegalTransition, WorkflowError, message_of
from ..forms import MISSING_VERSION, AssignForm, DuplicateForm, QueueFilterForm, TriageBulkForm, TriageFilterForm
from ..models import Claim
from ..roles import Actor
from .base import WorkbenchRequest, back, editors_only, refused, workbench

PER_PAGE = 50


@workbench
def queue(request: WorkbenchRequest) -> HttpResponse:
    """Home: what waits for this person (by role) above their own queue of claims."""
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(queries.queue_claims(request.user, filters=filters), PER_PAGE).get_page(request.GET.get("page"))
    counts = queries.queue_counts(request.user)
    context = {
        "form": form,
        "page": page,
        "counts": [(value, label, counts.get(value, 0)) for value, label in Claim.Status.choices if counts.get(value)],
        "total": sum(counts.values()),
        "filtered": any(filters.values()),
    }
    if request.htmx and request.htmx.target == "results":
        return TemplateResponse(request, "claims/_queue_results.html", context)
    context["nav_counts"] = nav_counts = queries.worklist_counts(request.user)  # the navigation's, too
    context["worklists"] = _worklists(request.user, nav_counts)
    return TemplateResponse(request, "claims/queue.html", context)


def _worklists(user, counts: dict[str, int]) -> list[dict]:
    """The home page's worklists for this person's role, each with a few claims and its
    count; those that are empty are left out."""
    names = ["approval", "returned", "overdue", "candidates"] if roles.is_editor(user) else ["returned", "due-soon"]
    shown = []
    for name in names:
        count = counts.get(name.replace("-", "_"), 0)
        if count:
            claims = list(queries.worklist_claims(user, name)[: queries.WORKLIST_PREVIEW])
            shown.append({"list": queries.WORKLISTS[name], "claims": claims, "count": count})
    return shown


@workbench
def worklist(request: WorkbenchRequest, name: str) -> HttpResponse:
    """One worklist in full: waiting for approval, returned, overdue, due soon."""
    wanted = queries.WORKLISTS.get(name)
    if wanted is None or name == "candidates":
        raise Http404("No such list.")
    if wanted.editors_only:
        editors_only(request, "see the claims waiting for approval")
    page = Paginator(queries.worklist_claims(request.user, name), PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "claims/worklist.html", {"list": wanted, "page": page})


@workbench
def triage(request: WorkbenchRequest) -> HttpResponse:
    editors_only(request, "triage candidate claims")
    form = TriageFilterForm(request.GET or None)
    filters = form.filters()
    status = filters.pop("status", None) or Claim.Status.CANDIDATE
    claims = queries.triage_claims(status=status, filters=filters)
    page = Paginator(claims, PER_PAGE).get_page(request.GET.get("page"))
    # Claims that matching at ingestion left for later are matched as they come on a page:
    # each card says whether it looks already checked.
    if matching.claims_match_pending(claims=page.object_list):
        page = Paginator(claims, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "status": status,
        "bulk": TriageBulkForm(auto_id="bulk_%s"),
        "assign": AssignForm(),
        "people": list(queries.workbench_people()),
        "bulk_undo": _bulk_undo_offer(request),
    }
    template = (
        "claims/_triage_results.html" if request.htmx and request.htmx.target == "results" else "claims/triage.html"
    )
    return TemplateResponse(request, template, context)


def _triage_answer(request: WorkbenchRequest, claim: Claim, done: str, *, undo: bool = False) -> HttpResponse:
    """The card after a decision: what was done, Undo for a minute after an accept or a
    dismiss, and the assign form once a claim is accepted."""
    if request.htmx:
        context = {
            "claim": claim,
            "done": done,
            "undo": undo,
            "undo_seconds": workflow.UNDO_SECONDS,
            "assign": AssignForm(),
            "people": list(queries.workbench_people()) if claim.status == Claim.Status.ACCEPTED else [],
        }
        return TemplateResponse(request, "claims/_triage_done.html", context)
    messages.success(request, f"Claim #{claim.pk} {done}.")
    return back(request, "claims:triage")


@require_POST
@workbench
def claim_accept(request: WorkbenchRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    editors_only(request, "accept a candidate claim")
    workflow.claim_accept(claim=claim, by=request.user, version=_version(request))
    return _triage_answer(request, claim, "accepted", undo=True)


@require_POST
@workbench
def claim_dismiss(request: WorkbenchRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    editors_only(request, "dismiss a candidate claim")
    workflow.claim_dismiss(claim=claim, by=request.user, version=_version(request))
    return _triage_answer(request, claim, "dismissed", undo=True)


@require_POST
@workbench
def claim_undo(request: WorkbenchRequest, pk: int) -> HttpResponse:
    """Take back an accept or a dismiss made a moment ago: the claim is a candidate again."""
    claim = get_object_or_404(Claim.objects.with_related(), pk=pk)
    editors_only(request, "undo a triage decision")
    workflow.claim_triage_undo(claim=claim, by=request.user, version=_version(request))
    if request.htmx:
        context = {"claim": claim, "assign": AssignForm(), "people": list(queries.workbench_people())}
        return TemplateResponse(request, "claims/_triage_row.html", context)
    messages.success(request, f"Claim #{claim.pk} is a candidate again.")
    return back(request, "claims:triage")


@require_POST
@workbench
def claim_duplicate(request: WorkbenchRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    editors_only(request, "mark a claim as a duplicate")
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        return refused(request, " ".join(str(e) for e in form.errors["original"]), status=400)
    workflow.claim_mark_duplicate(
        claim=claim, by=request.user, original=form.cleaned_data["original"], version=_version(request)
    )
    claim.refresh_from_db()
    return _triage_answer(request, claim, f"marked as a duplicate of #{claim.duplicate_of_id}")


@require_POST
@workbench
def claim_assign(request: WorkbenchRequest, pk: int) -> HttpResponse:
    """Assign a claim; a candidate is accepted first, so triage is one step."""
    claim = get_object_or_404(Claim, pk=pk)
    editors_only(request, "assign claims")
    form = AssignForm(request.POST)
    if not form.is_valid():
        return refused(request, _form_errors(form), status=400)
    _accept_and_assign(claim, request.user, form.cleaned_data, version=_version(request))
    return _triage_answer(request, claim, f"assigned to {form.cleaned_data['assignee']}")


def _accept_and_assign(claim: Claim, by: Actor, data: dict[str, Any], *, version: int) -> None:
    workflow.claim_accept_and_assign(
        claim=claim,
        by=by,
        assignee=data["assignee"],
        due_date=data.get("due_date"),
        priority=data.get("priority"),
        version=version,
    )


@require_POST
@workbench
def triage_bulk(request: WorkbenchRequest) -> HttpResponse:
    """One action on many claims; each succeeds or is refused on its own, and both are told."""
    editors_only(request, "triage candidate claims")
    form = TriageBulkForm(request.POST, auto_id="bulk_%s")
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return back(request, "claims:triage")
    data, by = form.cleaned_data, request.user
    actions = {
        "accept": lambda c, v: workflow.claim_accept(claim=c, by=by, version=v),
        "dismiss": lambda c, v: workflow.claim_dismiss(claim=c, by=by, version=v),
        "assign": lambda c, v: _accept_and_assign(c, by, data, version=v),
        "duplicate": lambda c, v: workflow.claim_mark_duplicate(claim=c, by=by, original=data["original"], version=v),
    }
    done, refusals = {}, []
    for claim in data["claims"]:
        try:  # each card carries the version it showed: a claim changed since is refused alone
            actions[data["action"]](claim, _version(request, claim))
            done[str(claim.pk)] = claim.version
        except (WorkflowError, ValidationError) as exc:
            refusals.append(f"#{claim.pk}: {message_of(exc)}")
    label = dict(TriageBulkForm.ACTIONS)[data["action"]].lower()
    if done:
        n = len(done)
        messages.success(request, f"{n} claim{'s' if n != 1 else ''}: {label} done.")
        if data["action"] in ("accept", "dismiss"):  # offered back for a minute on the triage page
            request.session[BULK_UNDO] = {"versions": done, "action": label, "at": timezone.now().isoformat()}
    for line in refusals:
        messages.error(request, line)
    return back(request, "claims:triage")


BULK_UNDO = "triage_bulk_undo"


def _bulk_undo_offer(request: WorkbenchRequest) -> dict | None:
    """The editor's last bulk accept or dismiss, while it can still be undone."""
    offer = request.session.get(BULK_UNDO)
    if not offer or "versions" not in offer:
        return None
    age = timezone.now() - datetime.datetime.fromisoformat(offer["at"])
    if age.total_seconds() > workflow.UNDO_SECONDS:
        del request.session[BULK_UNDO]
        return None
    return {**offer, "count": len(offer["versions"]), "left": max(1, int(workflow.UNDO_SECONDS - age.total_seconds()))}


@require_POST
@workbench
def triage_bulk_undo(request: WorkbenchRequest) -> HttpResponse:
    """Take back the last bulk accept or dismiss: each claim that can be is a candidate again."""
    editors_only(request, "triage candidate claims")
    offer = request.session.pop(BULK_UNDO, None)
    if not offer or "versions" not in offer:
        messages.error(request, "There is nothing to undo: undo lasts a minute after a bulk accept or dismiss.")
        return back(request, "claims:triage")
    undone, refusals = [], []
    for claim in Claim.objects.filter(pk__in=offer["versions"]).order_by("pk"):
        try:  # the versions the undo bar showed, as each card does
            workflow.claim_triage_undo(claim=claim, by=request.user, version=_version(request, claim))
            undone.append(f"#{claim.pk}")
        except WorkflowError as exc:
            refusals.append(exc.message if f"#{claim.pk}" in exc.message else f"#{claim.pk}: {exc.message}")
    if undone:
        messages.success(request, f"Candidates again: {', '.join(undone)}.")
    for line in refusals:
        messages.error(request, line)
    return back(request, "claims:triage")


def _version(request: WorkbenchRequest, claim: Claim | None = None) -> int:
    """The version of the claim the form showed: `version`, or `version-<pk>` for one claim
    of a bulk form. A form without it is refused: it could overwrite a change unseen."""
    name = "version" if claim is None else f"version-{claim.pk}"
    try:
        return int(request.POST[name])
    except (KeyError, ValueError):
        raise IllegalTransition(MISSING_VERSION) from None


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errs)}".lstrip(": ")
        for name, errs in form.errors.items()
    )
