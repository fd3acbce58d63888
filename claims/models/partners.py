"""Partners: who they are, their API keys, the webhook endpoints they register and each
delivery made to them."""

from __future__ import annotations

import secrets

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey

__all__ = ["Partner", "PartnerAPIKey", "WebhookDelivery", "WebhookEndpoint"]


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
        # The same check as the API's and the sender's. Imported here: the webhooks module
        # imports the models, which import this one.
        from ..publishing.webhooks import check_url

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
