"""Admin for speakers and aliases, with the merge of two speakers into one."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    Speaker,
    SpeakerAlias,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Counts(TypedDict):
    n_quotes: int
    n_claims: int


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    fields = ("alias",)
    extra = 1


class MergeSpeakersForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=Speaker.objects.none(), widget=forms.RadioSelect, label="Keep this speaker")

    def __init__(self, *args, speakers, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["keep"]).queryset = speakers


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "role", "organisation", "alias_list", "quote_count", "claim_count")
    list_filter = ("kind", "page_hidden", "organisation")
    search_fields = ("name", "aliases__alias", "role", "organisation", "wikidata_id")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SpeakerAliasInline]
    actions = ["merge_speakers"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("aliases")
            .annotate(n_quotes=Count("quotes", distinct=True), n_claims=Count("claims", distinct=True))
        )

    def save_model(self, request, obj, form, change):
        if change:  # a renamed speaker: partners fetch the fact-checks naming them again
            services.speaker_edit(speaker=obj, by=request.user)
        else:
            super().save_model(request, obj, form, change)

    @admin.display(description="aliases")
    def alias_list(self, obj: Speaker) -> str:
        return ", ".join(a.alias for a in obj.aliases.all() if a.alias != obj.name)

    @admin.display(description="quotes", ordering="n_quotes")
    def quote_count(self, obj: WithAnnotations[Speaker, _Counts]) -> int:
        return obj.n_quotes

    @admin.display(description="claims", ordering="n_claims")
    def claim_count(self, obj: WithAnnotations[Speaker, _Counts]) -> int:
        return obj.n_claims

    @admin.action(description="Merge the selected speakers into one")
    def merge_speakers(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select at least two speakers to merge.", messages.ERROR)
            return None
        form = MergeSpeakersForm(request.POST if "keep" in request.POST else None, speakers=queryset)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = list(queryset.exclude(pk=keep.pk))  # counted before the merge deletes them
            services.speaker_merge(keep=keep, others=others, by=request.user)
            merged = ", ".join(f"{o.name} (#{o.pk})" for o in others)
            self.message_user(
                request,
                f"Merged {len(others)} speaker{'s' if len(others) != 1 else ''} into {keep} (#{keep.pk}): {merged}.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge speakers",
            "form": form,
            "speakers": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/speaker/merge.html", context)


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(admin.ModelAdmin):
    list_display = ("alias", "speaker", "normalized")
    search_fields = ("alias", "normalized", "speaker__name")
    autocomplete_fields = ("speaker",)
