"""Query filters of the API (django-filter). A value that names nothing answers 400."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django_filters.fields import IsoDateTimeField
from rest_framework.exceptions import ValidationError

from .. import services
from ..models import Article, Claim, FactCheck, Rating, Speaker

DATETIME_HELP = "An ISO 8601 date-time, e.g. 2024-05-01T12:00:00Z (UTC when no offset is given)."


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time that exists in UTC too (0001-01-01T00:00+01:00 does not, and
    would fail in the database rather than here)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None:
            try:
                # In UTC: PostgreSQL refuses offsets past ±15:59 (+16:00 is valid ISO 8601).
                moment = moment.astimezone(datetime.UTC)
            except OverflowError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return moment


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


def _datetime_filter(field_name: str, help_text: str) -> django_filters.IsoDateTimeFilter:
    return UtcDateTimeFilter(
        field_name=field_name,
        lookup_expr="gte",
        help_text=help_text,
        error_messages={"invalid": f"Not a date-time. {DATETIME_HELP}"},
    )


def speaker_by_id_or_slug(value: str) -> Speaker:
    speakers = Speaker.objects.only("pk")
    is_id = value.isascii() and value.isdigit() and len(value) < 19  # "²".isdigit() is true too
    found = speakers.filter(pk=int(value)).first() if is_id else None
    found = found or speakers.filter(slug=value).first()
    if found is None:
        raise ValidationError({"speaker": [f"No speaker has the id or slug {value[:100]!r}."]})
    return found


class FactCheckFilter(django_filters.FilterSet):
    updated_since = _datetime_filter(
        "changed_at",
        "Fact-checks published, corrected or retracted at or after this time; with it, retractions "
        "come as tombstones. " + DATETIME_HELP,
    )
    published_since = _datetime_filter("first_published_at", "First published at or after this time. " + DATETIME_HELP)
    speaker = django_filters.CharFilter(method="filter_speaker", help_text="A speaker's id or slug.")
    rating = django_filters.ModelChoiceFilter(
        field_name="verdict__rating",
        to_field_name="slug",
        queryset=Rating.objects.all(),
        help_text="A rating's slug, e.g. false, mostly-true, misleading.",
        error_messages={"invalid_choice": "No rating has this slug; use one of the ratings' slugs, e.g. false."},
    )
    q = django_filters.CharFilter(method="filter_text", help_text="Words in the claim or the headline.")
    url = django_filters.CharFilter(method="filter_url", help_text="The address of the article the claim was in.")

    class Meta:
        model = FactCheck
        fields: list[str] = []

    def filter_speaker(self, queryset, name, value):
        return queryset.filter(claim__speaker=speaker_by_id_or_slug(value))

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(claim__text__icontains=value) | Q(verdict__headline__icontains=value))

    def filter_url(self, queryset, name, value):
        try:
            url = services.normalize_url(value)
        except DjangoValidationError as exc:
            raise ValidationError({"url": exc.messages}) from None
        return queryset.filter(claim__article__url=url)


class ClaimFilter(django_filters.FilterSet):
    """The workbench's claim filters."""

    status = django_filters.MultipleChoiceFilter(choices=Claim.Status.choices)
    kind = django_filters.MultipleChoiceFilter(choices=Claim.Kind.choices)
    priority = django_filters.TypedChoiceFilter(choices=Claim.Priority.choices, coerce=int)
    origin = django_filters.ChoiceFilter(choices=Claim._meta.get_field("origin").choices)
    assignee = django_filters.CharFilter(method="filter_assignee", help_text='A username, "me" or "none".')
    speaker = django_filters.CharFilter(method="filter_speaker", help_text="A speaker's id or slug.")
    article = django_filters.ModelChoiceFilter(queryset=Article.objects.only("pk"))
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", help_text="Words in the claim.")

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee__username=value)

    def filter_speaker(self, queryset, name, value):
        return queryset.filter(speaker=speaker_by_id_or_slug(value))
