"""Admin for monitored sources: register a feed, sitemap or ClaimReview feed, pause it,
poll it now, and read its health. Editors only."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .. import roles, sources
from ..models import Source, SourceItem, SourceQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _ArticleCounts(TypedDict):
    """What `SourceQuerySet.with_article_counts` adds to each source."""

    article_total: int
    articles_failed: int


class SourceItemInline(admin.TabularInline):
    model = SourceItem
    extra = 0
    fields = ("url", "article", "first_seen_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = False
    max_num = 0
    verbose_name_plural = "latest items"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "active",
        "health",
        "last_polled_at",
        "items_seen",
        "items_new",
        "items_failed",
        "next_poll_at",
        "article_count",
        "failed_articles",
    )
    list_filter = ("kind", "active", "language")
    search_fields = ("name", "url", "outlet", "last_error")
    actions = ["pause", "resume", "poll_now"]
    fieldsets = (
        (None, {"fields": ("name", "kind", "url", "outlet", "language", "interval_minutes", "active")}),
        (
            "Health",
            {
                "fields": (
                    "health",
                    "last_status",
                    "last_error",
                    ("last_polled_at", "last_success_at", "next_poll_at"),
                    ("items_seen", "items_new", "items_failed", "failures"),
                    "failed_list",
                )
            },
        ),
    )
    readonly_fields = (
        "health",
        "last_status",
        "last_error",
        "last_polled_at",
        "last_success_at",
        "next_poll_at",
        "items_seen",
        "items_new",
        "items_failed",
        "failures",
        "failed_list",
    )
    inlines = [SourceItemInline]

    # Editors decide (the groups predate this model's permissions).
    def has_module_permission(self, request: HttpRequest) -> bool:
        return roles.is_editor(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return roles.is_editor(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return roles.is_editor(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return roles.is_editor(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return roles.is_editor(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        # The default manager is SourceQuerySet's; the admin's signature only says QuerySet.
        return cast(SourceQuerySet, super().get_queryset(request)).with_article_counts()

    def save_model(self, request, obj: Source, form, change: bool) -> None:
        # A new source, or one whose address or interval changed, is polled at the next tick.
        if not change or {"url", "interval_minutes", "kind"} & set(form.changed_data):
            obj.next_poll_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.display(description="health")
    def health(self, obj: Source) -> str:
        if not obj.active:
            return format_html('<b style="color:#555">{}</b>', "Paused")
        if obj.last_polled_at is None:
            return format_html('<b style="color:#555">{}</b>', "Not polled yet")
        if obj.failures:
            return format_html('<b style="color:#b42318" title="{}">Failing ({}×)</b>', obj.last_error, obj.failures)
        return format_html('<b style="color:#1a7f37">{}</b>', "OK")

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, obj: WithAnnotations[Source, _ArticleCounts]) -> int:
        return obj.article_total

    @admin.display(description="articles failed", ordering="articles_failed")
    def failed_articles(self, obj: WithAnnotations[Source, _ArticleCounts]) -> str:
        if not obj.articles_failed:
            return "0"
        url = reverse("admin:claims_article_changelist") + f"?status=failed&source_items__source={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.articles_failed)

    @admin.display(description="failed items of the last poll")
    def failed_list(self, obj: Source) -> str:
        if not obj.failed_items:
            return "None."
        rows = format_html_join(
            "",
            '<tr><td style="overflow-wrap:anywhere">{}</td><td>{}</td></tr>',
            ((item.get("url") or "—", item.get("reason")) for item in obj.failed_items),
        )
        return format_html("<table><thead><tr><th>URL</th><th>Reason</th></tr></thead><tbody>{}</tbody></table>", rows)

    @admin.action(description="Pause the selected sources")
    def pause(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for source in queryset:
            sources.source_pause(source=source, active=False)
        self.message_user(request, f"{len(queryset)} source(s) paused.", messages.SUCCESS)

    @admin.action(description="Resume the selected sources")
    def resume(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for source in queryset:
            sources.source_pause(source=source, active=True)
        self.message_user(request, f"{len(queryset)} source(s) resumed; polled at the next tick.", messages.SUCCESS)

    @admin.action(description="Poll the selected sources at the next tick")
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        count = queryset.filter(active=True).update(next_poll_at=timezone.now())
        self.message_user(request, f"{count} active source(s) will be polled within a minute.", messages.SUCCESS)
