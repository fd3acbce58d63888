"""Claims and the work around them: evidence, comments and earlier claims that match.

Transitions of `Claim.status` happen only in `claims.workflow`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .articles import Article, Origin, Quote
from .compared import ComparedText
from .speakers import Speaker

__all__ = ["ClaimQuerySet", "Claim", "Evidence", "Comment", "ClaimMatch"]


class ClaimQuerySet(models.QuerySet["Claim"]):
    def with_related(self) -> ClaimQuerySet:
        return self.select_related("speaker", "article", "assignee")

    def bulk_create(self, objs, *args, **kwargs):
        # Extraction stores an article's claims in bulk, where save() is not called.
        objs = list(objs)
        for claim in objs:
            claim.analysis_refresh()
        return super().bulk_create(objs, *args, **kwargs)


class Claim(ComparedText):
    class Kind(models.TextChoices):
        STATISTIC = "statistic", "Statistic"
        QUANTITY = "quantity", "Quantity"
        COMPARISON = "comparison", "Comparison"
        EVENT = "event", "Event"
        PREDICTION = "prediction", "Prediction"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        ACCEPTED = "accepted", "Accepted"
        ASSIGNED = "assigned", "Assigned"
        IN_REVIEW = "in_review", "In review"
        SUBMITTED = "submitted", "Submitted"
        PUBLISHED = "published", "Published"
        DISMISSED = "dismissed", "Dismissed"
        DUPLICATE = "duplicate", "Duplicate"

    class Priority(models.IntegerChoices):
        LOW = 0, "Low"
        NORMAL = 1, "Normal"
        HIGH = 2, "High"
        URGENT = 3, "Urgent"

    OPEN_STATUSES = (Status.ASSIGNED, Status.IN_REVIEW, Status.SUBMITTED)

    text = models.TextField(help_text="The sentence as found (its span indexes the article).")
    statement = models.TextField(
        blank=True,
        default="",
        db_default="",
        help_text="The claim as checked, in plain words, without the attribution: what the public page, "
        "ClaimReview claimReviewed and the API show. Empty: the quote (or the sentence) as found.",
    )
    claim_date = models.DateField(
        null=True, blank=True, help_text="When the claim was made. Empty: the article's publication date."
    )
    appearance_url = models.URLField(
        max_length=2000, blank=True, default="", db_default="", help_text="Where it appeared. Empty: the article."
    )
    first_appearance_url = models.URLField(
        max_length=2000, blank=True, default="", db_default="", help_text="Where it first appeared, when known."
    )
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")
    quote = models.ForeignKey(Quote, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.OTHER)
    numbers = models.JSONField(default=list, blank=True)
    score = models.FloatField(default=0.5, help_text="Check-worthiness, 0 to 1.")
    score_reasons = models.JSONField(
        default=list, blank=True, help_text='What the score rests on: "states a figure", "compares".'
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.CANDIDATE)
    priority = models.SmallIntegerField(choices=Priority, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    due_date = models.DateField(null=True, blank=True)
    assigned_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the current assignee was given this claim."
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    origin = models.CharField(max_length=8, choices=Origin, default=Origin.HUMAN)
    slug = models.SlugField(max_length=120, unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # What "already checked?" compares of this claim as a candidate (claims.retrieval), worked
    # out from the text and statement whenever they are saved: the matching job reads it
    # for some 2,400 candidates per article instead of analysing each again.
    analysis = models.TextField(blank=True, default="", db_default="", editable=False)
    COMPARED_FIELDS = frozenset({"text", "statement"})  # a save naming one works the analysis out again
    # Matching at ingestion takes an article's most check-worthy claims only
    # (settings.MATCH_AT_INGEST); the rest are matched when someone first looks at them.
    matches_pending = models.BooleanField(
        default=False,
        db_default=False,
        editable=False,
        help_text="Not compared with earlier claims and fact-checks yet: that is done when it is first shown.",
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "analysis", "matches_pending"])

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("triage_claim", "Can triage, assign and approve claims (editor)"),
            ("review_claim", "Can work claims assigned to them (reviewer)"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="claim_score_0_1"),
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True) | Q(end__gt=F("start")),
                name="claim_span_valid",
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=F("id")), name="claim_not_duplicate_of_itself"),
        ]
        indexes = [
            models.Index(fields=["status", "-score"]),
            models.Index(fields=["assignee", "status"]),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def compared_text(self) -> str:
        """The text "already checked?" compares (as claims.matching.CLAIMS joins it in SQL)."""
        return f"{self.text} {self.statement}"


class Evidence(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"
        CONTEXT = "context", "Context"

    class SourceKind(models.TextChoices):
        OFFICIAL_DATA = "official_data", "Official data"
        DOCUMENT = "document", "Document"
        EXPERT = "expert", "Expert"
        MEDIA = "media", "Media"
        PRIOR_FACT_CHECK = "prior_fact_check", "Prior fact-check"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    excerpt = models.TextField(blank=True)
    stance = models.CharField(max_length=16, choices=Stance, default=Stance.CONTEXT)
    source_kind = models.CharField(max_length=20, choices=SourceKind, default=SourceKind.DOCUMENT)
    accessed_at = models.DateTimeField(default=timezone.now)
    archived_url = models.URLField(max_length=2000, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title or self.url


class Comment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:80]


class ClaimMatch(models.Model):
    """An earlier claim that says much the same thing, found by `match_claims`."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matches")
    earlier = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="Text similarity, 0 to 1.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "claim matches"
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "earlier"], name="claim_match_unique"),
            models.CheckConstraint(condition=~Q(claim=F("earlier")), name="claim_match_not_self"),
        ]

    def __str__(self) -> str:
        return f"#{self.claim_id} ~ #{self.earlier_id} ({self.score:.2f})"
