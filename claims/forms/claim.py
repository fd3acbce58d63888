"""The claim page: editing the claim, the verdict, approval, return, correction, evidence and
comments."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from ..models import Claim, Evidence, Rating
from .base import MISSING_VERSION, IdPrefixed, VersionedForm


class ClaimEditForm(VersionedForm):
    id_prefix = "claim"
    text = forms.CharField(
        label="Sentence as found",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="As written in the source, attribution included.",
    )
    statement = forms.CharField(
        label="Claim as checked",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text="The statement the rating is about, in plain words, without quotation marks or "
        "“she said”. Shown on the public page and as ClaimReview claimReviewed (keep it under about "
        "75 characters). Empty: the quote as found.",
    )
    claim_date = forms.DateField(
        label="Claim made on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: the article's publication date.",
    )
    appearance_url = forms.URLField(
        label="Appeared at (URL)",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="Empty: the article's address.",
    )
    first_appearance_url = forms.URLField(
        label="First appeared at (URL)", required=False, max_length=2000, assume_scheme="https"
    )
    kind = forms.ChoiceField(label="Kind", choices=Claim.Kind.choices)
    priority = forms.TypedChoiceField(label="Priority", choices=Claim.Priority.choices, coerce=int)
    due_date = forms.DateField(label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, editor: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not editor:  # priorities and due dates are the desk's to set
            del self.fields["priority"], self.fields["due_date"]


class VerdictForm(VersionedForm):
    id_prefix = "verdict"
    rating = forms.ChoiceField(label="Rating", required=False)
    headline = forms.CharField(
        label="Headline",
        max_length=300,
        required=False,
        help_text="One line: the conclusion a reader takes away.",
    )
    analysis = forms.CharField(
        label="Analysis", widget=forms.Textarea(attrs={"rows": 10}), required=False, max_length=50000
    )
    rating_explanation = forms.CharField(
        label="Short explanation (optional)",
        max_length=500,
        required=False,
        help_text="Why this rating, in one sentence, for search engines; empty: the rating scale's explanation.",
    )
    action = forms.ChoiceField(choices=[("save", "Save draft"), ("submit", "Submit for approval")], initial="save")

    def __init__(self, *args, ratings: list[Rating] | None = None, **kwargs) -> None:
        # The scale is passed in when the page already has it (one query fewer).
        super().__init__(*args, **kwargs)
        self.ratings = {str(r.pk): r for r in (ratings if ratings is not None else Rating.objects.all())}
        cast(forms.ChoiceField, self.fields["rating"]).choices = [("", "— choose a rating —")] + [
            (pk, r.label) for pk, r in self.ratings.items()
        ]

    def clean_rating(self) -> Rating | None:
        return self.ratings.get(self.cleaned_data.get("rating") or "")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("action") == "submit":
            if not data.get("rating") and "rating" not in self.errors:
                self.add_error("rating", ValidationError("Choose a rating before submitting.", code="required"))
            if not (data.get("headline") or "").strip() and "headline" not in self.errors:
                self.add_error("headline", ValidationError("Write a headline before submitting.", code="required"))
        return data


class ApproveForm(VersionedForm):
    """The approving editor's vote. `confirm` is the second step: the first shows the gates
    (evidence, the ClaimReview check) before anything is published."""

    id_prefix = "approve"
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    rating = forms.ChoiceField(label="Your rating", required=False)
    comment = forms.CharField(
        label="Comment (optional)", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )

    def __init__(self, *args, ratings: list[Rating] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = {str(r.pk): r for r in (ratings if ratings is not None else Rating.objects.all())}
        cast(forms.ChoiceField, self.fields["rating"]).choices = [("", "— the verdict's rating —")] + [
            (pk, r.label) for pk, r in self.ratings.items()
        ]

    def clean_rating(self) -> Rating | None:
        return self.ratings.get(self.cleaned_data.get("rating") or "")


class ReturnForm(VersionedForm):
    id_prefix = "return"
    comment = forms.CharField(label="What needs work", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class CorrectionForm(VersionedForm):
    id_prefix = "correction"
    reason = forms.CharField(label="What needs correcting", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class EvidenceForm(forms.ModelForm):
    """Adding evidence (editing it: `EvidenceEditForm`, which carries the version read)."""

    url = forms.URLField(label="Address (URL)", max_length=2000, assume_scheme="https")
    archived_url = forms.URLField(label="Archived copy (URL)", max_length=2000, required=False, assume_scheme="https")

    class Meta:
        model = Evidence
        fields = ("url", "title", "publisher", "stance", "source_kind", "excerpt", "archived_url")
        labels = {"source_kind": "Source kind", "excerpt": "Excerpt"}
        widgets = {"excerpt": forms.Textarea(attrs={"rows": 3})}

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError("Give a web address starting with http:// or https://.", code="invalid")
        return url


class EvidenceEditForm(EvidenceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages={"required": MISSING_VERSION})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version


class CommentForm(IdPrefixed, forms.Form):
    id_prefix = "comment"
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
