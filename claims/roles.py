"""Who may do what. Roles are Django groups (created by a migration) carrying permissions;
checks go through permissions so a superuser can do everything."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

# The three roles, as Django groups (created by migration 0002, which names them itself).
EDITOR_GROUP = "Editor"
REVIEWER_GROUP = "Reviewer"
PARTNER_GROUP = "Partner"

User = AbstractBaseUser | AnonymousUser

ROLE_GROUPS = (EDITOR_GROUP, REVIEWER_GROUP, PARTNER_GROUP)


def is_editor(user: User) -> bool:
    return bool(user.is_authenticated and user.has_perm("claims.triage_claim"))


def editors() -> QuerySet:
    """The active people `is_editor` says yes to, as a query: the permission through a group
    or given directly, or a superuser."""
    perm = {"codename": "triage_claim", "content_type__app_label": "claims"}
    granted = Q(**{f"groups__permissions__{k}": v for k, v in perm.items()}) | Q(
        **{f"user_permissions__{k}": v for k, v in perm.items()}
    )
    return get_user_model().objects.filter(granted | Q(is_superuser=True), is_active=True).distinct()


def is_reviewer(user: User) -> bool:
    return bool(user.is_authenticated and user.has_perm("claims.review_claim"))


def can_use_workbench(user: User) -> bool:
    """Reviewers and editors; partners and people with no role stay out."""
    return is_editor(user) or is_reviewer(user)


def can_work_on(user: User, claim) -> bool:
    """Editors work on any claim; a reviewer only on the claims assigned to them."""
    return is_editor(user) or (is_reviewer(user) and claim.assignee_id == user.pk)
