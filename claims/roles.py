"""Who may do what. Roles are Django groups (created by a migration) carrying permissions;
checks go through permissions so a superuser can do everything."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Actor
from django.db.models import Q, QuerySet

from .errors import NotAllowed

if TYPE_CHECKING:
    from .models import Claim

# The three roles, as Django groups (created by migration 0002, which names them itself).
EDITOR_GROUP = "Editor"
REVIEWER_GROUP = "Reviewer"
PARTNER_GROUP = "Partner"

# The person acting: the user model (Django's own; AUTH_USER_MODEL is not swapped). Writes
# take an Actor; role checks also answer for someone not signed in.
Person = Actor | AnonymousUser

ROLE_GROUPS = (EDITOR_GROUP, REVIEWER_GROUP, PARTNER_GROUP)


def is_editor(user: Person) -> bool:
    return bool(user.is_authenticated and user.has_perm("claims.triage_claim"))


def editors() -> QuerySet[Actor]:
    """The active people `is_editor` says yes to, as a query: the permission through a group
    or given directly, or a superuser."""
    perm = {"codename": "triage_claim", "content_type__app_label": "claims"}
    granted = Q(**{f"groups__permissions__{k}": v for k, v in perm.items()}) | Q(
        **{f"user_permissions__{k}": v for k, v in perm.items()}
    )
    return get_user_model().objects.filter(granted | Q(is_superuser=True), is_active=True).distinct()


def is_reviewer(user: Person) -> bool:
    return bool(user.is_authenticated and user.has_perm("claims.review_claim"))


def is_staff_member(user: Person) -> bool:
    """Editors and reviewers: the people of the workbench. Partners (and people with no role)
    are not: they use the API, with a key."""
    return is_editor(user) or is_reviewer(user)


def can_use_workbench(user: Person) -> bool:
    """Who may sign in to the workbench: its people."""
    return is_staff_member(user)


def can_work_on(user: Person, claim: Claim) -> bool:
    """Editors work on any claim; a reviewer only on the claims assigned to them."""
    return is_editor(user) or (is_reviewer(user) and claim.assignee_id == user.pk)


# Refusals, in words, the same wherever they are met (page, API, admin, service).

# What a reviewer may do only on the claims assigned to them: "You can only <this> assigned to you."
WORK = {
    "edit": "edit claims",
    "draft": "write verdicts on claims",
    "submit": "submit verdicts on claims",
    "add_evidence": "add evidence to claims",
    "edit_evidence": "edit evidence on claims",
    "remove_evidence": "remove evidence from claims",
    "comment": "comment on claims",
}


def work_refusal(work: str) -> str:
    """The refusal for `work` (a key of WORK) on a claim not assigned to the person."""
    return f"You can only {WORK[work]} assigned to you."


def editor_refusal(what: str) -> str:
    """The refusal for editors' work: "Only an editor can <what>."."""
    return f"Only an editor can {what}."


def require_work(user: Person, claim: Claim, work: str) -> None:
    """Refuse (NotAllowed) anyone who may not do `work` on `claim`. Views ask early, before
    validating a form, so a refusal is not hidden behind a form error; services ask again."""
    if not can_work_on(user, claim):
        raise NotAllowed(work_refusal(work))


def require_editor(user: Person, what: str) -> None:
    """Refuse (NotAllowed) anyone but an editor, saying what only an editor can do."""
    if not is_editor(user):
        raise NotAllowed(editor_refusal(what))
