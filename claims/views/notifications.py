"""The bell: a person's notices, opening one, and which of them also come by e-mail."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .. import notifications
from ..models import Notification, NotificationPreference
from .base import WorkbenchRequest, workbench

PER_PAGE = 50


class PreferenceForm(forms.Form):
    email_events = forms.MultipleChoiceField(
        label="Also send me an e-mail when",
        choices=Notification.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


@workbench
def notification_list(request: WorkbenchRequest) -> HttpResponse:
    page = Paginator(notifications.notifications_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "claims/notifications.html", {"page": page})


@workbench
def notification_open(request: WorkbenchRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go to its claim."""
    notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.notification_read(notification=notice)
    if notice.claim_id is None:
        return redirect("claims:notifications")
    return redirect("claims:claim", pk=notice.claim_id)


@require_POST
@workbench
def notifications_read_all(request: WorkbenchRequest) -> HttpResponse:
    n = notifications.notifications_read_all(user=request.user)
    messages.success(request, f"{n} notice{'s' if n != 1 else ''} marked as read.")
    return redirect("claims:notifications")


@workbench
def notification_settings(request: WorkbenchRequest) -> HttpResponse:
    preference = NotificationPreference.objects.filter(user=request.user).first()
    current = preference.email_events if preference else list(Notification.Event.values)
    form = PreferenceForm(request.POST or None, initial={"email_events": current})
    if request.method == "POST" and form.is_valid():
        notifications.notification_preference_set(user=request.user, email_events=form.cleaned_data["email_events"])
        messages.success(request, "Saved: your e-mail notices.")
        return redirect("claims:notification_settings")
    return TemplateResponse(
        request,
        "claims/notification_settings.html",
        {"form": form, "email": request.user.email},
        status=400 if form.errors else 200,
    )
