"""Admin for articles and their quotes: submit one, re-run extraction, correct a quote."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .. import services
from ..forms import ArticleSubmitForm
from ..models import (
    Article,
    Quote,
)
from .actions import run_action

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Counts(TypedDict):
    n_quotes: int
    n_claims: int


class QuoteInline(admin.TabularInline):
    model = Quote
    fields = ("text", "speaker", "direct", "cue", "confidence", "origin", "start", "end")
    readonly_fields = ("origin",)
    autocomplete_fields = ("speaker",)
    extra = 0
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "outlet", "status_badge", "published_at", "quote_count", "claim_count", "created_at")
    list_filter = ("status", "internal", "outlet", "language", "created_at", "source_items__source")
    search_fields = ("title", "url", "outlet", "byline", "body")
    readonly_fields = (
        "status",
        "error",
        "content_hash",
        "extractor_version",
        "attempts",
        "created_at",
        "status_changed_at",
        "submitted_by",
        "inconsistent_figures",
    )
    fieldsets = (
        (None, {"fields": ("url", "title", "outlet", "byline", "published_at", "language", "internal")}),
        (
            "Processing",
            {
                "fields": (
                    "status",
                    "error",
                    "attempts",
                    "extractor_version",
                    "status_changed_at",
                    "submitted_by",
                    "inconsistent_figures",
                    "content_hash",
                )
            },
        ),
        ("Text", {"fields": ("body",), "classes": ("collapse",)}),
    )
    inlines = [QuoteInline]
    actions = ["rerun_extraction"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_quotes=Count("quotes", distinct=True), n_claims=Count("claims", distinct=True))
        )

    @admin.display(description="quotes", ordering="n_quotes")
    def quote_count(self, obj: WithAnnotations[Article, _Counts]) -> int:
        return obj.n_quotes

    @admin.display(description="figures stated differently")
    def inconsistent_figures(self, obj: Article) -> str:
        return "; ".join(f"{i['subject']}: {', '.join(i['stated_as'])}" for i in obj.inconsistencies) or "none"

    @admin.display(description="claims", ordering="n_claims")
    def claim_count(self, obj: WithAnnotations[Article, _Counts]) -> int:
        return obj.n_claims

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: Article) -> str:
        if obj.status == Article.Status.FAILED:
            return format_html('<span title="{}" style="color:#c62828">failed: {}</span>', obj.error, obj.error[:60])
        return obj.get_status_display()

    @admin.action(description="Re-run extraction on the selected articles")
    def rerun_extraction(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            lambda a: services.article_rerun_extraction(article=a),
            "queued for extraction",
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Submitting an article goes through the service (fetch job, de-duplication)."""
        bound = request.method == "POST"
        form = ArticleSubmitForm(request.POST if bound else None, request.FILES if bound else None)
        if bound and form.is_valid():
            try:
                submission = form.submit(by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request, submission.message, messages.SUCCESS if submission.created else messages.WARNING
                )
                return HttpResponseRedirect(reverse("admin:claims_article_change", args=[submission.article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Submit an article",
            "form": form,
            "opts": self.model._meta,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/claims/article/submit.html", context)


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("__str__", "speaker", "article", "direct", "cue", "confidence", "origin")
    list_filter = ("direct", "origin", "cue")
    search_fields = ("text", "speaker__name", "attribution", "article__title")
    autocomplete_fields = ("speaker",)
    raw_id_fields = ("article",)
    list_select_related = ("speaker", "article")

    def save_model(self, request, obj, form, change):
        if change and obj.origin == "machine":
            obj.touched_at = timezone.now()  # a person's edit: re-extraction keeps it
        super().save_model(request, obj, form, change)
