"""Forms of the workbench. Validation in clean methods; saving through services."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import queries, roles, services
from .models import Claim, Evidence, Rating, Source, Speaker
from .queries.dashboard import Period


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

    def submit(self, *, by: Any) -> services.Submission:
        data = self.cleaned_data
        upload = data.get("html_file") or b""
        name = getattr(self.files.get("html_file"), "name", "") or ""
        if upload and name.lower().endswith(".txt"):
            return services.article_submit(text=services.decode_bytes(upload), title=data["title"], by=by)
        return services.article_submit(url=data["url"], text=data["text"], html=upload, title=data["title"], by=by)


# Signing in ---------------------------------------------------------------------------------


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


# Lists -------------------------------------------------------------------------------------


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


# Triage --------------------------------------------------------------------------------------


class IdPrefixed:
    """Forms that share a page get distinct element ids (so each label finds its field)."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


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


# The claim page ------------------------------------------------------------------------------


MISSING_VERSION = (
    "This form did not say which version you read, so saving could overwrite someone else's "
    "work. Reload the page and save again."
)


class VersionedForm(IdPrefixed, forms.Form):
    # The version of the object the person saw (0: there was none yet); saving over a newer
    # one is refused, and so is a form that leaves it out.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, error_messages={"required": MISSING_VERSION})

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "version" in self.errors:  # a hidden field: say it where the person reads
            self.add_error(None, ValidationError(MISSING_VERSION, code="no_version"))
        return data


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


# The article page ----------------------------------------------------------------------------


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


# The dashboard -------------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    """The period the dashboard counts (`?from=…&to=…`, both days included): without an
    end it ends today, without a start it is as long as the default (8 weeks)."""

    MAX_DAYS = 731

    def __init__(self, *args, default: Period, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.default = default
        date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(label="From", required=False, widget=date, initial=default.first)
        self.fields["to"] = forms.DateField(label="To", required=False, widget=date, initial=default.last)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "from" in self.errors or "to" in self.errors:
            return data
        last = data.get("to") or self.default.last
        first = data.get("from") or last - datetime.timedelta(days=self.default.days - 1)
        if first > last:
            raise ValidationError("The start date is after the end date.", code="reversed")
        if first.year < 1000 or last.year > 9000:  # the weeks around them must exist too
            raise ValidationError("Choose dates between the years 1000 and 9000.", code="out_of_range")
        if (last - first).days + 1 > self.MAX_DAYS:
            raise ValidationError("Choose a period of at most two years.", code="too_long")
        data["period"] = Period(first=first, last=last)
        return data

    def period(self) -> Period:
        """The period asked for, or the default one when the form is not valid."""
        return self.cleaned_data["period"] if self.is_valid() else self.default
