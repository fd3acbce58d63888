"""The workbench's data: articles, speakers, quotes, claims and their verdicts.

Writes with rules live in `workflow` (claim and verdict states) and `services` (the rest);
reusable reads are QuerySet methods here.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

EDITOR_GROUP = "Editor"
REVIEWER_GROUP = "Reviewer"
PARTNER_GROUP = "Partner"


def normalize_name(name: str) -> str:
    """Fold a person's or body's name for matching: no accents, case, punctuation or runs
    of spaces. "Jens  Stoltenberg." and "jens stoltenberg" normalise alike."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w ]+", " ", folded).split())


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


class Speaker(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.PERSON)
    role = models.CharField(max_length=200, blank=True, help_text='E.g. "Finance Minister".')
    organisation = models.CharField(max_length=200, blank=True)
    wikidata_id = models.CharField(max_length=20, blank=True, help_text='Wikidata item, e.g. "Q57286".')
    page_hidden = models.BooleanField(
        default=False, db_default=False, help_text="Hide this speaker's public page (it answers 404)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SpeakerAlias(models.Model):
    """One way an article names a speaker. Normalised aliases are unique, so one name can
    only ever point at one person."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        verbose_name_plural = "speaker aliases"
        ordering = ["alias"]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs) -> None:
        self.normalized = normalize_name(self.alias)
        super().save(*args, **kwargs)


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


class ClaimQuerySet(models.QuerySet["Claim"]):
    def with_related(self) -> ClaimQuerySet:
        return self.select_related("speaker", "article", "assignee")

    def queue_for(self, user) -> ClaimQuerySet:
        """The open claims assigned to `user`, soonest due and most urgent first."""
        return (
            self.with_related()
            .filter(assignee=user, status__in=Claim.OPEN_STATUSES)
            .order_by(F("due_date").asc(nulls_last=True), "-priority", "created_at")
        )


class Claim(models.Model):
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
    history = HistoricalRecords(excluded_fields=["updated_at"])

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


from .models_external import *  # noqa: E402,F403
from .models_notifications import *  # noqa: E402,F403
from .models_partner import *  # noqa: E402,F403
from .models_sources import *  # noqa: E402,F403
