"""Monitored sources: feeds, news sitemaps and ClaimReview feeds the workbench polls by itself.
Polling lives in `claims.sources`; one periodic job polls the sources whose `next_poll_at`
has come, so a changed interval takes effect without restarting anything.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

__all__ = ["Source", "SourceItem"]


class SourceQuerySet(models.QuerySet["Source"]):
    def due(self, now: datetime.datetime | None = None) -> SourceQuerySet:
        return self.filter(active=True, next_poll_at__lte=now or timezone.now())

    def with_article_counts(self) -> SourceQuerySet:
        """`article_total` and `articles_failed`: the articles its items brought in, and
        those whose fetching or reading failed (their errors are on the articles)."""
        failed = Q(items__article__status="failed")
        return self.annotate(
            article_total=Count("items__article", distinct=True),
            articles_failed=Count("items__article", filter=failed, distinct=True),
        )


class Source(models.Model):
    """A feed an editor registered. The health fields describe the last poll."""

    class Kind(models.TextChoices):
        FEED = "feed", "RSS or Atom feed"
        SITEMAP = "sitemap", "News sitemap or sitemap index"
        CLAIMREVIEW = "claimreview", "ClaimReview feed (JSON-LD, DataFeed or a fact-check listing page)"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.FEED)
    url = models.URLField(max_length=2000, unique=True, help_text="The feed's or sitemap's own address.")
    outlet = models.CharField(
        max_length=200, blank=True, help_text="Stored on its articles when their page does not name the outlet."
    )
    language = models.CharField(max_length=16, blank=True, help_text='E.g. "en"; stored on its articles.')
    interval_minutes = models.PositiveIntegerField(default=15, help_text="How often to poll, in minutes.")
    active = models.BooleanField(default=True, help_text="Untick to pause polling.")
    # Health, rewritten by each poll.
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=300, blank=True, help_text="What the last poll did, in words.")
    items_seen = models.PositiveIntegerField(default=0, help_text="Items the last poll read.")
    items_new = models.PositiveIntegerField(default=0, help_text="Items the last poll added.")
    items_failed = models.PositiveIntegerField(default=0, help_text="Items the last poll could not take.")
    failed_items = models.JSONField(default=list, blank=True, help_text="Each failed item and why.")
    failures = models.PositiveSmallIntegerField(default=0, help_text="Polls that failed in a row.")
    last_error = models.TextField(blank=True, help_text="Why the source could not be read, and the backoff.")
    etag = models.CharField(max_length=300, blank=True)
    sitemap_cursor = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="A sitemap index's sitemaps changed up to here are read."
    )
    last_modified = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(interval_minutes__gte=1), name="source_interval_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def healthy(self) -> bool:
        return self.failures == 0


class SourceItem(models.Model):
    """One item a source listed: it is taken once, however often the source lists it."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    url = models.URLField(max_length=2000)
    article = models.ForeignKey(
        "claims.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="source_items"
    )
    first_seen_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-first_seen_at"]
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="source_item_unique_url")]

    def __str__(self) -> str:
        return self.url
