"""The public record of each fact-check: the version partners and the public see now, or a
retraction tombstone. Kept by `claims.publishing`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    # What a FactCheckQuerySet yields: fact-checks, or the partner rows (dicts).
    _Row = TypeVar("_Row", covariant=True, default="FactCheck")
else:
    from typing import TypeVar

    _Row = TypeVar("_Row", covariant=True)

__all__ = ["PARTNER_FIELDS", "FactCheck", "FactCheckQuerySet"]


class FactCheckQuerySet(models.QuerySet["FactCheck", _Row]):
    def published(self) -> Self:
        return self.filter(status=FactCheck.Status.PUBLISHED)

    def for_partners(self) -> FactCheckQuerySet[dict[str, Any]]:
        """Rows (dicts) of exactly what partners may see, in one query: the current version,
        its rating, claim, speaker and article. No model instances (a page of 100 would
        spend more time building them than reading the database) and no people of ours."""
        return self.values(*PARTNER_FIELDS)


PARTNER_FIELDS = (
    "claim_id",
    "status",
    "first_published_at",
    "changed_at",
    "retracted_at",
    "verdict_id",
    "verdict__revision",
    "verdict__headline",
    "verdict__analysis",
    "verdict__evidence_snapshot",
    "verdict__claim_snapshot",
    "verdict__changes",
    "verdict__rating_explanation",
    "verdict__rating__description",
    "verdict__rating__label",
    "verdict__rating__slug",
    "verdict__rating__value",
    "claim__text",
    "claim__slug",
    "claim__created_at",
    "claim__speaker_id",
    "claim__speaker__name",
    "claim__speaker__slug",
    "claim__speaker__kind",
    "claim__speaker__role",
    "claim__speaker__wikidata_id",
    "claim__article_id",
    "claim__article__url",
    "claim__article__title",
    "claim__article__outlet",
    "claim__article__published_at",
    "claim__article__internal",
)


class FactCheck(models.Model):
    """The public record of one claim's verdict, kept by `claims.publishing`: the version
    now published, or a tombstone once retracted. Its id is the claim's and never changes
    across corrections, so a partner keeps one copy per id and `changed_at` tells it what
    moved since its last poll."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        RETRACTED = "retracted", "Retracted"

    claim = models.OneToOneField("claims.Claim", on_delete=models.CASCADE, primary_key=True, related_name="fact_check")
    verdict = models.ForeignKey(
        "claims.Verdict",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version published now; empty once retracted.",
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.PUBLISHED)
    first_published_at = models.DateTimeField()
    changed_at = models.DateTimeField(help_text="Last publication, correction or retraction.")
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retraction_reason = models.TextField(blank=True, help_text="Internal: never shown to partners.")

    objects = FactCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-claim_id"]
        indexes = [
            models.Index(fields=["-changed_at", "-claim"], name="factcheck_changed"),
            models.Index(fields=["status", "-changed_at", "-claim"], name="factcheck_status_changed"),
            models.Index(fields=["first_published_at"], name="factcheck_first_published"),
        ]

    def __str__(self) -> str:
        return f"Fact-check #{self.claim_id} ({self.status})"
