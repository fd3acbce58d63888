"""Signing in and out. Only reviewers and editors may sign in (see WorkbenchLoginForm)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from ..forms import WorkbenchLoginForm

login = auth_views.LoginView.as_view(
    template_name="registration/login.html", authentication_form=WorkbenchLoginForm, redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()
