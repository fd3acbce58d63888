"""Claim transitions: triage (accept, dismiss, undo), assignment, review, duplicates, edits.

candidate → accepted → assigned → in_review;  candidate → dismissed;  * → duplicate
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.db import transaction
from django.db.models import Field, Model
from django.utils import timezone

from .. import notifications, roles
from ..audit import audit_save as _save
from ..errors import IllegalTransition, NotAllowed, StaleEdit
from ..models import Claim
from ..roles import Actor
from .base import Status, _expect, _lock, _lock_rows, _move, _require, _stale
from .verdicts import _open_correction


@transaction.atomic
def claim_accept(*, claim: Claim, by: Actor, version: int | None = None) -> Claim:
    roles.require_editor(by, "accept a candidate claim")
    _expect(claim, "accept", Status.CANDIDATE)
    return _move(claim, by=by, to=Status.ACCEPTED, reason="accepted", version=version)


@transaction.atomic
def claim_dismiss(*, claim: Claim, by: Actor, version: int | None = None) -> Claim:
    roles.require_editor(by, "dismiss a candidate claim")
    _expect(claim, "dismiss", Status.CANDIDATE)
    return _move(claim, by=by, to=Status.DISMISSED, reason="dismissed", version=version)


@transaction.atomic
def claim_assign(
    *,
    claim: Claim,
    by: Actor,
    assignee: Actor,
    due_date: datetime.date | None = None,
    priority: int | None = None,
    version: int | None = None,
) -> Claim:
    """Give an accepted claim to a reviewer (or hand an open one to another)."""
    roles.require_editor(by, "assign claims")
    if not (assignee.is_active and roles.is_staff_member(assignee)):
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
def claim_accept_and_assign(
    *,
    claim: Claim,
    by: Actor,
    assignee: Actor,
    due_date: Any = None,
    priority: int | None = None,
    version: int | None = None,
) -> Claim:
    """Assign a claim, accepting it first if it is still a candidate: triage in one step,
    the same in the workbench and the admin. `version` is the one the editor read (the
    accept checks it; the assign follows from the accept's)."""
    if claim.status == Claim.Status.CANDIDATE:
        claim_accept(claim=claim, by=by, version=version)
        version = None
    return claim_assign(claim=claim, by=by, assignee=assignee, due_date=due_date, priority=priority, version=version)


UNDO_SECONDS = 60


@transaction.atomic
def claim_triage_undo(*, claim: Claim, by: Actor, version: int | None = None) -> Claim:
    """Put a claim the editor just accepted or dismissed back among the candidates: only
    their own last move, and only within a minute (after that, its history says who did it
    and the claim page is the place to change it)."""
    roles.require_editor(by, "undo a triage decision")
    last = claim.history.order_by("-history_id").first()  # the latest record written
    reason = last.history_change_reason if last else None
    if claim.status not in (Claim.Status.ACCEPTED, Claim.Status.DISMISSED) or reason not in ("accepted", "dismissed"):
        raise IllegalTransition(f"Claim #{claim.pk} cannot be undone: its last change was not an accept or dismiss.")
    if last.history_user_id != by.pk:
        raise NotAllowed(f"Claim #{claim.pk} was {reason} by someone else; only they can undo it.")
    if (timezone.now() - last.history_date).total_seconds() > UNDO_SECONDS:
        raise IllegalTransition(f"Too late to undo claim #{claim.pk}: undo lasts a minute.")
    try:
        _lock(claim, version)
    except StaleEdit as exc:
        raise StaleEdit(f"Claim #{claim.pk} changed since; nothing was undone.", current=exc.current) from None
    claim.status = Claim.Status.CANDIDATE
    _save(claim, by, f"{reason}: undone")
    return claim


@transaction.atomic
def claim_start_review(*, claim: Claim, by: Actor, version: int | None = None) -> Claim:
    _require(roles.can_work_on(by, claim), "Only the assigned reviewer or an editor can start this review.")
    _expect(claim, "start reviewing", Status.ASSIGNED)
    return _move(claim, by=by, to=Status.IN_REVIEW, reason="review started", version=version)


# Longest "duplicate of" chain followed; real chains are a few links long.
MAX_DUPLICATE_CHAIN = 50


@transaction.atomic
def claim_mark_duplicate(*, claim: Claim, by: Actor, original: Claim, version: int | None = None) -> Claim:
    """Mark `claim` a duplicate of `original` (of the root of its chain). Both rows are
    locked first, so two editors marking A of B and B of A at once cannot make a loop:
    the second sees the first's link and is refused."""
    roles.require_editor(by, "mark a claim as a duplicate")
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
def claim_edit(*, claim: Claim, by: Actor, version: int | None = None, **fields) -> Claim:
    """Change a claim's own fields (text, statement, date, appearance, kind, speaker,
    priority, due date) without moving it. On a published claim a change to what the public
    sees opens a correction: the published version stays public until another editor
    approves the corrected one."""
    roles.require_work(by, claim, "edit")
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
    # Only concrete fields are edited, and those have an attname (relations do not).
    field = cast(Field, obj._meta.get_field(name))
    return getattr(obj, field.attname)


def _value_of(value: Any) -> Any:
    return value.pk if isinstance(value, Model) else value
