"""Articles and the quotes found in them. Quote and claim offsets index into `Article.body`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .speakers import Speaker

__all__ = ["Origin", "Article", "Quote"]


class Origin(models.TextChoices):
    MACHINE = "machine", "Machine"
    HUMAN = "human", "Human"


class Article(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Queued"
        FETCHING = "fetching", "Fetching"
        EXTRACTING = "extracting", "Extracting"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    url = models.URLField(max_length=2000, blank=True)
    canonical_url = models.URLField(
        max_length=2000, blank=True, db_index=True, help_text="The address the page names as its own."
    )
    title = models.CharField(max_length=500, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    body = models.TextField(blank=True, help_text="Plain text; quote and claim offsets index into it.")
    raw_html = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    error = models.TextField(blank=True)
    extractor_version = models.CharField(max_length=32, blank=True)
    internal = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Internal (pasted, embargoed or leaked): its quotes never show on public pages.",
    )
    # The same quantity stated differently in one article (e.g. 68%, 67.6% and 67.65%).
    inconsistencies = models.JSONField(default=list, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a job has started on this article."
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="article_unique_url"),
            models.UniqueConstraint(
                fields=["content_hash"], condition=~Q(content_hash=""), name="article_unique_content"
            ),
        ]
        indexes = [models.Index(fields=["status", "status_changed_at"])]

    def __str__(self) -> str:
        return self.title or self.url or f"Article {self.pk}"


class Quote(models.Model):
    class Kind(models.TextChoices):
        SPEECH = "speech", "Speech"
        BELIEF = "belief", "Belief"
        OTHER = "other", "Other attribution"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes")
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    direct = models.BooleanField(default=True)
    partial = models.BooleanField(default=False, help_text="A quoted fragment inside reported speech.")
    cue = models.CharField(max_length=50, blank=True, help_text='The speech verb, e.g. "said".')
    attribution = models.CharField(max_length=300, blank=True, help_text="As written.")
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.SPEECH, help_text="What the cue attributes.")
    # Where the attribution is written (offsets into the body), so the page can highlight who said it.
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    confidence = models.FloatField(default=1.0)
    origin = models.CharField(max_length=8, choices=Origin, default=Origin.HUMAN)
    # Set when a person edits a machine-made quote; re-extraction then leaves it alone.
    touched_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="quote_span_not_empty"),
            models.CheckConstraint(condition=Q(confidence__gte=0, confidence__lte=1), name="quote_confidence_0_1"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
