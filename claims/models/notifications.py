"""Notices to people of the desk: what happened to their work, in the workbench and by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = ["Notification", "NotificationPreference"]


class Notification(models.Model):
    class Event(models.TextChoices):
        ASSIGNED = "assigned", "A claim is assigned to me"
        RETURNED = "returned", "A verdict of mine is returned"
        APPROVAL = "approval", "A verdict waits for my approval"
        VOTE = "vote", "A panel vote waits for me"
        PUBLISHED = "published", "A fact-check of mine is published"
        CORRECTION = "correction", "A fact-check of mine is opened for correction"
        MENTION = "mention", "A comment mentions me"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=16, choices=Event)
    # One event, whoever it reaches (e.g. "assigned:claim:12:v3"): a job run twice finds its
    # notices already there and neither stores nor sends them again.
    key = models.CharField(max_length=200)
    claim = models.ForeignKey("claims.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.message}"


def _all_events() -> list[str]:
    return list(Notification.Event.values)


class NotificationPreference(models.Model):
    """Which notices a person also wants by e-mail (all of them until they choose)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_events = models.JSONField(default=_all_events, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {', '.join(self.email_events) or 'no e-mail'}"
