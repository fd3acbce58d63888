"""Other fact-checkers' work: ClaimReview items imported from a JSON-LD file or a feed,
and the links from our claims to the ones that check the same thing ("checked elsewhere").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .compared import ComparedText

__all__ = ["ClaimReviewImport", "ExternalFactCheck", "ExternalMatch"]


class ClaimReviewImport(models.Model):
    """One import run: a file an editor uploaded or a feed URL, read by a job. The report
    lists every item refused and why; the good items are kept whatever the bad ones do."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    source_url = models.URLField(max_length=2000, blank=True, help_text="A feed of ClaimReview JSON-LD.")
    filename = models.CharField(max_length=255, blank=True)
    payload = models.TextField(blank=True, editable=False, help_text="The uploaded file's text.")
    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED)
    error = models.TextField(blank=True, help_text="Why the source as a whole could not be read.")
    total = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(
        default=0, help_text="Other nodes of a page's graph (an article, a breadcrumb), not ClaimReview."
    )
    report = models.JSONField(default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "ClaimReview import"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(source_url="") | ~Q(filename=""), name="claimreview_import_has_source")
        ]

    def __str__(self) -> str:
        return self.source_url or self.filename


class ExternalFactCheckQuerySet(models.QuerySet["ExternalFactCheck"]):
    def bulk_create(self, objs, *args, **kwargs):
        # Imports upsert in bulk: a new or updated claim and headline get their analysis.
        objs = list(objs)
        for item in objs:
            item.analysis_refresh()
        fields = kwargs.get("update_fields")
        if fields and {"claim_reviewed", "headline"} & set(fields):
            kwargs["update_fields"] = [*fields, "analysis"]
        return super().bulk_create(objs, *args, **kwargs)


class ExternalFactCheck(ComparedText):
    """A ClaimReview published by another fact-checker. Its review URL identifies it: a
    second import of the same item updates the row instead of adding one."""

    review_url = models.URLField(max_length=2000, unique=True)
    publisher_name = models.CharField(max_length=300)
    publisher_url = models.URLField(max_length=2000, blank=True)
    claim_reviewed = models.TextField()
    claimant = models.CharField(
        max_length=300, blank=True, help_text="Who made the claim, as the publisher names them."
    )
    claim_date = models.DateField(null=True, blank=True)
    appearance_url = models.URLField(max_length=2000, blank=True, help_text="Where the claim was made.")
    appearances = models.JSONField(default=list, blank=True, help_text="Every address where the claim was made.")
    rating_label = models.CharField(max_length=200, help_text="The publisher's rating, e.g. “Mostly false”.")
    rating_value = models.SmallIntegerField(null=True, blank=True)
    best_rating = models.SmallIntegerField(null=True, blank=True)
    worst_rating = models.SmallIntegerField(null=True, blank=True)
    headline = models.CharField(max_length=500, blank=True)
    review_date = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    data = models.JSONField(default=dict, editable=False, help_text="The item as received.")
    source = models.ForeignKey(
        ClaimReviewImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="fact_checks"
    )
    imported_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # The claim and headline as "already checked?" compares them (see Claim.analysis).
    analysis = models.TextField(blank=True, default="", db_default="", editable=False)
    COMPARED_FIELDS = frozenset({"claim_reviewed", "headline"})  # a save naming one works the analysis out again

    objects = ExternalFactCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "external fact-check"
        ordering = ["-review_date", "-imported_at"]

    def __str__(self) -> str:
        return f"{self.publisher_name}: {self.rating_label}"

    @property
    def compared_text(self) -> str:
        """The text "already checked?" compares (as claims.matching.EXTERNAL joins it in SQL)."""
        return f"{self.claim_reviewed} {self.headline}"


class ExternalMatch(models.Model):
    """One of our claims and another publisher's fact-check of much the same statement."""

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="external_matches")
    external = models.ForeignKey(ExternalFactCheck, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField(help_text="Text similarity, 0 to 1.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "external matches"
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "external"], name="external_match_unique"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="external_match_score_0_1"),
        ]

    def __str__(self) -> str:
        return f"#{self.claim_id} ~ {self.external_id} ({self.score:.2f})"
