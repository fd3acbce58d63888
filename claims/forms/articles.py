"""Submitting an article, and marking a claim in one by hand."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from .. import services
from ..models import Claim, Speaker
from ..roles import Actor


class ArticleSubmitForm(forms.Form):
    url = forms.URLField(
        label="Address (URL)",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="The page is fetched and its main text extracted.",
    )
    text = forms.CharField(
        label="Or paste the article",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=False,
        help_text="Plain text or HTML.",
    )
    html_file = forms.FileField(label="Or upload an HTML or text file", required=False)
    title = forms.CharField(required=False, max_length=500)

    def clean_html_file(self) -> bytes:
        upload = self.cleaned_data.get("html_file")
        if not upload:
            return b""
        if upload.size > settings.ARTICLE_MAX_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; the limit is "
                f"{settings.ARTICLE_MAX_BYTES / 1_048_576:.0f} MB.",
                code="too_large",
            )
        return upload.read()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if any(name in self.errors for name in ("url", "text", "html_file")):
            return data  # the field's own error says what is wrong; "exactly one" would contradict it
        given = [name for name in ("url", "text", "html_file") if data.get(name)]
        if len(given) != 1:
            raise ValidationError("Give exactly one of: a URL, the article's text, or a file.", code="one_source")
        return data

    def submit(self, *, by: Actor) -> services.Submission:
        data = self.cleaned_data
        upload = data.get("html_file") or b""
        name = getattr(self.files.get("html_file"), "name", "") or ""
        if upload and name.lower().endswith(".txt"):
            return services.article_submit(text=services.decode_bytes(upload), title=data["title"], by=by)
        return services.article_submit(url=data["url"], text=data["text"], html=upload, title=data["title"], by=by)


class PassageClaimForm(forms.Form):
    text = forms.CharField(
        label="Passage",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Select a passage in the article, or type or paste it here exactly as written.",
    )
    start = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    end = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    kind = forms.ChoiceField(label="Kind", choices=Claim.Kind.choices, initial=Claim.Kind.OTHER)
    speaker = forms.ModelChoiceField(
        label="Speaker", queryset=Speaker.objects.none(), required=False, empty_label="— from the quote, or none —"
    )

    def __init__(self, *args, speakers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = speakers if speakers is not None else Speaker.objects.all()
        cast(forms.ModelChoiceField, self.fields["speaker"]).queryset = choices
