"""The claim list's bulk actions: accept, dismiss, assign, set priority, approve. Each runs
a workflow step on every selected claim, with the version the list showed, and reports
what was done and refused by name."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.utils import timezone

from .. import queries, workflow
from ..models import Claim, Verdict
from .actions import approve_confirmed, read_version, run_action


class AssignFields(forms.Form):
    """The extra boxes next to the claim actions: who, how urgent, by when."""

    assignee = forms.ModelChoiceField(queryset=queries.workbench_people(), required=False, label="Reviewer")
    priority = forms.TypedChoiceField(
        choices=[("", "---"), *Claim.Priority.choices], coerce=int, empty_value=None, required=False
    )
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AssignForm(helpers.ActionForm, AssignFields):
    pass


class ClaimActions(admin.ModelAdmin):
    """The actions `ClaimAdmin` offers on its list, with the boxes they read."""

    action_form = AssignForm
    actions = ["accept", "dismiss", "assign", "set_priority", "approve"]

    @admin.action(description="Accept the selected candidate claims")
    def accept(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            lambda c: workflow.claim_accept(claim=c, by=request.user, version=read_version(request, c)),
            "accepted",
        )

    @admin.action(description="Dismiss the selected candidate claims")
    def dismiss(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            lambda c: workflow.claim_dismiss(claim=c, by=request.user, version=read_version(request, c)),
            "dismissed",
        )

    @admin.action(description="Assign the selected claims to the chosen reviewer (candidates are accepted first)")
    def assign(self, request, queryset):
        form = AssignFields(request.POST)
        if not form.is_valid() or not form.cleaned_data["assignee"]:
            errors = " ".join(str(e) for errs in form.errors.values() for e in errs) if form.errors else ""
            self.message_user(
                request, errors or "Choose a reviewer in the box next to the action; nothing was done.", messages.ERROR
            )
            return
        data = form.cleaned_data
        due = data["due_date"]
        if due is not None and due < timezone.localdate():  # refused as the workbench refuses it
            self.message_user(request, f"The due date {due:%d %b %Y} is in the past; nothing was done.", messages.ERROR)
            return
        run_action(
            self,
            request,
            queryset,
            lambda c: workflow.claim_accept_and_assign(
                claim=c,
                by=request.user,
                assignee=data["assignee"],
                due_date=data["due_date"],
                priority=data["priority"],
                version=read_version(request, c),
            ),
            f"assigned to {data['assignee']}",
        )

    @admin.action(description="Set the chosen priority on the selected claims")
    def set_priority(self, request, queryset):
        form = AssignFields(request.POST)
        if not form.is_valid() or form.cleaned_data["priority"] is None:
            self.message_user(request, "Choose a priority in the box next to the action.", messages.ERROR)
            return
        priority = form.cleaned_data["priority"]
        run_action(
            self,
            request,
            queryset,
            lambda c: workflow.claim_edit(
                claim=c, by=request.user, priority=priority, version=read_version(request, c)
            ),
            "given the chosen priority",
        )

    @admin.action(description="Approve and publish the submitted verdicts of the selected claims")
    def approve(self, request, queryset):
        verdicts = Verdict.objects.filter(claim__in=queryset, state=Verdict.State.SUBMITTED).select_related("claim")
        with_verdict = {v.claim_id for v in verdicts}
        nothing = [
            f"Claim #{c.pk}: no verdict waits for approval (the claim is {c.get_status_display().lower()})."
            for c in queryset.order_by("pk")
            if c.pk not in with_verdict
        ]
        return approve_confirmed(self, request, verdicts, selected=queryset, action="approve", refusals=nothing)
