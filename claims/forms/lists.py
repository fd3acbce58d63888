"""The queue and triage: filters, assigning, duplicates, bulk triage."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from .. import queries
from ..models import Claim, Rating, Source
from .base import IdPrefixed


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="Search my claims", required=False, max_length=200)
    status = forms.ChoiceField(label="Status", required=False)
    # A name, not a list: a busy queue holds claims from hundreds of speakers.
    speaker = forms.CharField(label="Speaker", required=False, max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *Claim.Kind.choices], required=False)
    rating = forms.ModelChoiceField(
        label="Rating", queryset=Rating.objects.all(), required=False, empty_label="Any rating"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", "Open"), *Claim.Status.choices]

    def filters(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_valid() else {}


class TriageFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[(Claim.Status.CANDIDATE, "Candidates"), (Claim.Status.ACCEPTED, "Accepted, not assigned")],
    )
    q = forms.CharField(label="Search", required=False, max_length=200)
    article = forms.CharField(
        label="Article",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "number or title words"}),
    )
    speaker = forms.CharField(label="Speaker", required=False, max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *Claim.Kind.choices], required=False)
    source = forms.ModelChoiceField(
        label="Source", queryset=Source.objects.order_by("name"), required=False, empty_label="Any source"
    )
    score = forms.ChoiceField(
        label="Worth checking",
        required=False,
        choices=[("", "Any score"), *((band, label) for band, (label, _, _) in queries.SCORE_BANDS.items())],
    )
    since = forms.DateField(label="Found from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError("The first day comes after the last.", code="period")
        return data

    def filters(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_valid() else {}


class AssignForm(IdPrefixed, forms.Form):
    id_prefix = "assign"

    assignee = forms.ModelChoiceField(
        label="Reviewer", queryset=get_user_model().objects.none(), empty_label="— choose —"
    )
    due_date = forms.DateField(label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    priority = forms.TypedChoiceField(
        label="Priority", choices=[("", "Keep"), *Claim.Priority.choices], coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        assignee = cast(forms.ModelChoiceField, self.fields["assignee"])
        assignee.queryset = queries.workbench_people()
        assignee.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign,assignment]

    def clean_due_date(self) -> datetime.date | None:
        due = self.cleaned_data.get("due_date")
        if due is not None and due < timezone.localdate():
            raise ValidationError(
                f"The due date {due:%d %b %Y} is in the past; choose today or a later day.", code="past"
            )
        return due


class DuplicateForm(forms.Form):
    original = forms.IntegerField(label="Duplicate of claim #", min_value=1)

    def clean_original(self) -> Claim:
        pk = self.cleaned_data["original"]
        original = Claim.objects.filter(pk=pk).first()
        if original is None:
            raise ValidationError(f"There is no claim #{pk}.", code="no_claim")
        return original


class TriageBulkForm(AssignForm):
    ACTIONS = [
        ("accept", "Accept"),
        ("dismiss", "Dismiss"),
        ("assign", "Accept and assign"),
        ("duplicate", "Mark as duplicate"),
    ]
    action = forms.ChoiceField(label="Action", choices=ACTIONS)
    claims = forms.ModelMultipleChoiceField(
        queryset=Claim.objects.all(), error_messages={"required": "Select at least one claim."}
    )
    original = forms.IntegerField(label="Duplicate of claim #", min_value=1, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("action") == "assign" and not data.get("assignee"):
            self.add_error("assignee", ValidationError("Choose a reviewer to assign to.", code="required"))
        if data.get("action") == "duplicate":
            pk = data.get("original")
            original = Claim.objects.filter(pk=pk).first() if pk else None
            if original is None:
                self.add_error("original", ValidationError("Give the number of the original claim.", code="required"))
            data["original"] = original
        return data
