"""What every transition shares: the version lock (no lost update), the role and state
checks that refuse in words, and moving a claim with its audit record."""

from __future__ import annotations

from ..audit import audit_save as _save
from ..errors import IllegalTransition, NotAllowed, StaleEdit
from ..models import Claim, Evidence, Verdict
from ..roles import Actor

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


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _expect(claim: Claim, verb: str, *statuses: str) -> None:
    if claim.status not in statuses:
        raise IllegalTransition(f"Cannot {verb} this claim: it is {claim.get_status_display().lower()}.")


def _move(claim: Claim, *, by: Actor, to: str, reason: str, version: int | None, **fields) -> Claim:
    _lock(claim, version)
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.status = to
    _save(claim, by, reason)
    return claim


def _lock_rows(*claims: Claim) -> None:
    """Lock the claims' rows (in id order, so two editors never wait on each other in a
    circle) and re-read them: what is decided next sees every committed change."""
    pks = sorted({c.pk for c in claims})
    fresh = {c.pk: c for c in Claim.objects.select_for_update().filter(pk__in=pks)}
    for claim in claims:
        current = fresh[claim.pk]
        for name in ("status", "duplicate_of_id", "version", "assignee_id", "slug"):
            setattr(claim, name, getattr(current, name))
