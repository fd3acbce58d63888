"""Signing in: reviewers and editors only."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from .. import roles


class WorkbenchLoginForm(AuthenticationForm):
    """Sign-in for reviewers and editors only: partners use the API, with a key."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "no_workbench": "This account cannot use the workbench (partner accounts use the API). "
        "Ask an editor if you need access.",
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not roles.is_staff_member(user):
            raise ValidationError(self.error_messages["no_workbench"], code="no_workbench")
