"""Who may call which endpoint. Deny by default: every view names its permission."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from .. import roles
from ..models import PARTNER_GROUP
from ..roles import is_staff_member
from .auth import PartnerCredentials


def partner_key(request) -> PartnerCredentials | None:
    """The partner key that authenticated the request, if one did."""
    return request.auth if isinstance(request.auth, PartnerCredentials) else None


def is_partner_user(user) -> bool:
    return bool(user.is_authenticated and user.groups.filter(name=PARTNER_GROUP).exists())


class ReadsPublished(BasePermission):
    """Published fact-checks: a partner key, a partner's login, or staff."""

    message = "Only partners and staff can read this API."

    def has_permission(self, request, view) -> bool:
        if partner_key(request) is not None:
            return True
        user = request.user
        return bool(user and user.is_authenticated) and (
            user.is_superuser or is_staff_member(user) or is_partner_user(user)
        )


class IsStaffMember(BasePermission):
    message = "Only editors and reviewers can use this endpoint."

    def has_permission(self, request, view) -> bool:
        return partner_key(request) is None and is_staff_member(request.user)


class IsEditor(BasePermission):
    message = roles.editor_refusal("do this")

    def has_permission(self, request, view) -> bool:
        return partner_key(request) is None and roles.is_editor(request.user)


class IsKeyPartner(BasePermission):
    message = "Only a partner with an API key can manage webhooks."

    def has_permission(self, request, view) -> bool:
        return partner_key(request) is not None
