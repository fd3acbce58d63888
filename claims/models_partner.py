"""What partners see and how they reach it: the public record of each fact-check (including
retraction tombstones), partners, their API keys, webhook endpoints and deliveries.

Imported at the end of `claims.models`, so Django finds these models in the claims app.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey

__all__ = ["FactCheck", "FactCheckQuerySet", "Partner", "PartnerAPIKey", "WebhookEndpoint", "WebhookDelivery"]


class FactCheckQuerySet(models.QuerySet["FactCheck"]):
    def published(self) -> FactCheckQuerySet:
        return self.filter(status=FactCheck.Status.PUBLISHED)

    def for_partners(self) -> FactCheckQuerySet:
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


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


class Partner(models.Model):
    """A platform or newsroom that takes our verdicts through the API."""

    name = models.CharField(max_length=200, unique=True)
    active = models.BooleanField(default=True, help_text="Inactive partners' keys stop working.")
    throttle_rate = models.CharField(
        max_length=20,
        blank=True,
        help_text='Requests allowed per key, e.g. "1000/hour"; empty for the default.',
        validators=[
            RegexValidator(
                r"^[1-9][0-9]*/(second|minute|hour|day)$",
                'Write a number of requests per second, minute, hour or day, e.g. "1000/hour".',
            )
        ],
    )
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerAPIKey(AbstractAPIKey):
    """A partner's key. Only its hash is stored; the key itself is shown once."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "partner API key"
        verbose_name_plural = "partner API keys"


class WebhookEndpoint(models.Model):
    """A URL of a partner's to which publications, corrections and retractions are POSTed,
    signed with HMAC-SHA256 over the body using `secret`."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=100, default=_new_secret, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["partner", "url"]
        constraints = [models.UniqueConstraint(fields=["partner", "url"], name="webhook_unique_url_per_partner")]

    def __str__(self) -> str:
        return self.url

    def clean(self) -> None:
        from .webhooks import check_url  # the same check as the API's and the sender's

        if self.url:
            check_url(self.url)


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint; the body is frozen at the first
    attempt, so a retry sends exactly what was signed."""

    class Event(models.TextChoices):
        PUBLISHED = "published", "Published"
        CORRECTED = "corrected", "Corrected"
        RETRACTED = "retracted", "Retracted"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Retrying"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=16, choices=Event)
    fact_check_id = models.BigIntegerField(help_text="The claim id partners know the fact-check by.")
    body = models.TextField(editable=False)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # When the next attempt is due (or, during an attempt, when it would be given up for
    # lost); the periodic re-queue sends deliveries well past it again.
    next_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.fact_check_id} → {self.endpoint}"
