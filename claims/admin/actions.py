"""What every admin action shares: run a workflow step on each selected item and report
what was done and refused, by name; approval's confirmation step."""

from __future__ import annotations

from typing import cast

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse

from .. import workflow
from ..errors import IllegalTransition, WorkflowError, message_of
from ..forms import MISSING_VERSION
from ..models import (
    Verdict,
)
from ..roles import Actor


def _actor(request: HttpRequest) -> Actor:
    """Who is acting: the admin lets only signed-in staff this far."""
    return cast(Actor, request.user)


def _label(item) -> str:
    """How a message names an item: a verdict by its claim, since the claim is what editors
    know (and what the workbench shows)."""
    if isinstance(item, Verdict):
        return f"Claim #{item.claim_id} (verdict revision {item.revision})"
    return f"{item._meta.verbose_name.capitalize()} #{item.pk}"


def run_action(modeladmin: admin.ModelAdmin, request: HttpRequest, items, action, done: str, refusals=()) -> None:
    """Apply one workflow action to each selected item; always report what was done and
    what was refused, naming each item. `refusals` are items refused before trying."""
    ok, refused = [], list(refusals)
    for item in items:
        try:
            action(item)
            ok.append(item)
        except (WorkflowError, ValidationError) as exc:
            refused.append(f"{_label(item)}: {message_of(exc)}")
    if ok:
        meta = ok[0]._meta
        noun = meta.verbose_name if len(ok) == 1 else meta.verbose_name_plural
        names = ", ".join(_label(item) for item in ok)
        modeladmin.message_user(request, f"{len(ok)} {noun} {done}: {names}.", messages.SUCCESS)
    for line in refused:
        modeladmin.message_user(request, line, messages.ERROR)
    if not ok and not refused:
        modeladmin.message_user(request, "Nothing was selected; nothing was done.", messages.WARNING)


def read_version(request: HttpRequest, item) -> int:
    """The version of `item` the page showed (the list for claims, the confirmation for
    verdicts); without it nothing is done: what is changed must be what was read."""
    name = f"verdict-version-{item.pk}" if isinstance(item, Verdict) else f"version-{item.pk}"
    try:
        return int(request.POST[name])
    except (KeyError, ValueError):
        raise IllegalTransition(MISSING_VERSION) from None


def approve_confirmed(
    modeladmin: admin.ModelAdmin, request: HttpRequest, verdicts, *, selected, action: str, refusals=()
):
    """Approving from the admin takes the same two steps as the claim page: first the checks
    before publication for each verdict (errors block it, warnings to read), then confirm.
    `refusals` name the selected items that have nothing to approve."""
    if request.POST.get("confirm") == "yes" or not verdicts:
        run_action(
            modeladmin,
            request,
            verdicts,
            lambda v: workflow.verdict_approve(verdict=v, by=_actor(request), version=read_version(request, v)),
            "approvals recorded (published once the approval policy is met)",
            refusals=refusals,
        )
        return None
    for line in refusals:
        modeladmin.message_user(request, line, messages.ERROR)
    rows = []
    for verdict in verdicts:
        refusal = workflow.approval_refusal(verdict, _actor(request))
        errors, warnings = workflow.publication_checks(verdict) if refusal is None else ([refusal.message], [])
        rows.append({"verdict": verdict, "errors": errors, "warnings": warnings})
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Approve and publish: check before it goes out",
        "rows": rows,
        "selected": selected,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/claims/approve_confirm.html", context)
