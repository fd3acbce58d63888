"""Verdicts: the rating scale, each version of a claim's verdict, and how it is approved.

Transitions of `Verdict.state` happen only in `claims.workflow`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .claims import Claim

__all__ = ["Rating", "VerdictQuerySet", "Verdict", "ApprovalPolicy", "VerdictVote"]


class Rating(models.Model):
    """One step of the verdict scale. `value` is the ClaimReview ratingValue; labels such
    as "Misleading" that sit outside the numeric scale have none."""

    label = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    textual = models.BooleanField(
        default=False,
        db_default=False,
        help_text="A label outside the numeric scale (e.g. Misleading): it has no value on purpose.",
    )
    colour = models.CharField(max_length=7, default="#777777", help_text="Hex colour for charts.")

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label


class VerdictQuerySet(models.QuerySet["Verdict"]):
    def published(self) -> VerdictQuerySet:
        return self.filter(state=Verdict.State.PUBLISHED)


class Verdict(models.Model):
    """One version of a claim's verdict. A correction is a new row with the next revision;
    the earlier one becomes superseded and stays readable."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    revision = models.PositiveSmallIntegerField(default=1)
    rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.PROTECT)
    headline = models.CharField(max_length=300, blank=True)
    analysis = models.TextField(blank=True)
    rating_explanation = models.CharField(
        max_length=500,
        blank=True,
        default="",
        db_default="",
        help_text="Why this rating, in a sentence. Empty: the rating scale's explanation.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_verdicts")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_verdicts",
    )
    # Whoever last saved the text; like the author, they cannot approve it (four eyes).
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=16, choices=State, default=State.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The evidence list as it stood when this version was published.
    evidence_snapshot = models.JSONField(default=list, blank=True, editable=False)
    # The claim as checked when this version was published (statement, date, appearance):
    # public pages, ClaimReview and the API read it, so later edits wait for approval.
    claim_snapshot = models.JSONField(null=True, blank=True, editable=False)
    # How the panel voted ({"size", "for", "against", "public"}) when it was published.
    panel = models.JSONField(null=True, blank=True, editable=False)
    # What this version changed from the one it replaced (a correction), in words.
    changes = models.JSONField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = VerdictQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "-revision"]
        permissions = [("approve_verdict", "Can approve and publish verdicts")]
        constraints = [
            models.UniqueConstraint(fields=["claim", "revision"], name="verdict_unique_revision"),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(state="published"),
                name="verdict_one_published_per_claim",
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(state__in=["draft", "submitted", "returned"]),
                name="verdict_one_open_per_claim",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} — {self.rating or 'no rating'} (r{self.revision}, {self.state})"


class ApprovalPolicy(models.Model):
    """How many editors must approve a verdict, and whether they vote on its rating (a
    PolitiFact-style panel: three editors, two carry). One row, editable in the admin;
    without it the settings decide. The author never counts among the approvers."""

    approvals_required = models.PositiveSmallIntegerField(
        default=1, help_text="Editors other than the author who must approve (a panel's size)."
    )
    vote_on_rating = models.BooleanField(
        default=False, help_text="Each approver votes a rating; the majority's rating is published."
    )
    show_panel_publicly = models.BooleanField(
        default=False, help_text='Say on the public page "rated by a panel of 3 editors, 2 to 1".'
    )
    min_evidence = models.PositiveSmallIntegerField(
        default=1, help_text="Pieces of evidence a claim needs before its verdict can be published."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "approval policy"
        constraints = [
            models.CheckConstraint(condition=Q(approvals_required__gte=1), name="policy_at_least_one_approval"),
        ]

    def __str__(self) -> str:
        if self.vote_on_rating:
            return f"A panel of {self.approvals_required} editors votes on the rating"
        return f"{self.approvals_required} approving editor{'s' if self.approvals_required != 1 else ''}"

    @classmethod
    def current(cls) -> ApprovalPolicy:
        """The saved policy, or one read from the settings when none was saved."""
        saved = cls.objects.order_by("pk").first()
        if saved is not None:
            return saved
        return cls(
            approvals_required=max(1, settings.APPROVALS_REQUIRED),
            vote_on_rating=settings.APPROVAL_VOTE_ON_RATING,
            show_panel_publicly=settings.APPROVAL_PANEL_PUBLIC,
            min_evidence=settings.PUBLICATION_MIN_EVIDENCE,
        )


class VerdictVote(models.Model):
    """One editor's approval of a submitted verdict (with the rating they voted, on a
    panel). Votes of a round that ended in a return are kept, marked withdrawn."""

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="votes")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    withdrawn = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["verdict", "editor"], condition=Q(withdrawn=False), name="vote_one_per_editor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.editor} voted {self.rating or 'approve'} on {self.verdict_id}"
