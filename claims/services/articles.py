"""Articles: submitting one (a URL, pasted text or HTML), its status, and the retries and
re-runs of its jobs. What the jobs do (reading the article, storing what the extractor
found) is in `services.ingestion`.

Jobs are named to `claims.jobs`, so this module does not import the tasks that call it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import jobs
from ..models import Article
from ..roles import Actor
from .article_text import (
    check_size,
    clean_text,
    content_hash,
    decode_bytes,
    headline_of,
    looks_like_html,
    normalize_url,
)


@dataclass(frozen=True)
class Submission:
    article: Article
    created: bool
    retried: bool = False

    @property
    def message(self) -> str:
        if self.retried:
            return f"Article #{self.article.pk} had failed; trying it again."
        if self.created:
            return f"Article #{self.article.pk} queued for processing."
        return f"Already in the workbench as article #{self.article.pk} ({self.article.get_status_display()})."


def article_submit(
    *,
    url: str = "",
    text: str = "",
    html: str | bytes = "",
    title: str = "",
    by: Actor | None = None,
) -> Submission:
    """Save a new article from a URL, pasted text or an HTML document, and queue its job.

    The same URL or the same text submitted again returns the article already there.
    Raises ValidationError, with a message in words, for input that cannot become an article.
    """

    if sum(bool(x) for x in (url.strip(), text.strip(), html)) != 1:
        raise ValidationError("Give exactly one of: a URL, the article's text, or an HTML file.", code="one_source")
    fields: dict[str, Any] = {"title": title.strip()[:500], "submitted_by": by}
    if url.strip():
        fields["url"] = normalize_url(url)
        existing = Article.objects.filter(url=fields["url"]).first()
        if existing:
            if existing.status == Article.Status.FAILED:  # submitting it again means: try again
                article_retry(article=existing)
                return Submission(existing, created=False, retried=True)
            return Submission(existing, created=False)
    else:
        if isinstance(html, bytes):
            check_size(html)
            html = decode_bytes(html)
        source = (html or text).replace("\x00", "")  # PostgreSQL text cannot hold NUL
        check_size(source)
        if html or looks_like_html(source):
            # Turned into text by the ingest job: trafilatura takes seconds on a big page,
            # which a web request must not wait for. The job also refuses a duplicate.
            fields["raw_html"] = source
        else:
            fields["body"] = clean_text(source)
            fields["title"] = fields["title"] or headline_of(fields["body"])
            if not fields["body"]:
                raise ValidationError("The article's text is empty.", code="empty")
            fields["content_hash"] = content_hash(fields["body"])
            existing = Article.objects.filter(content_hash=fields["content_hash"]).first()
            if existing:
                return Submission(existing, created=False)
    try:
        with transaction.atomic():
            article = Article.objects.create(**fields)
            jobs.enqueue("ingest_article", article.pk)
    except IntegrityError:  # the same article submitted at the same moment
        existing = (
            Article.objects.filter(url=fields.get("url") or None).first()
            or Article.objects.filter(content_hash=fields.get("content_hash") or None).first()
        )
        if existing is None:
            raise
        return Submission(existing, created=False)
    return Submission(article, created=True)


def article_set_status(article: Article, status: str, error: str = "", **fields) -> None:
    """Move the article to `status`, with the error a person reads (if any), saving only the
    status fields and `fields`; the re-queue of stuck articles reads `status_changed_at`."""
    article.status, article.error, article.status_changed_at = status, error, timezone.now()
    for name, value in fields.items():
        setattr(article, name, value)
    article.save(update_fields=["status", "error", "status_changed_at", *fields])


def article_fail(*, article_id: int, message: str) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is not None and article.status != Article.Status.READY:
        article_set_status(article, Article.Status.FAILED, message)


def article_retry(*, article: Article) -> Article:
    """Start a failed article's job again from the beginning, with a fresh count of attempts."""

    if article.status != Article.Status.FAILED:
        raise ValidationError(
            f"Article #{article.pk} has not failed ({article.get_status_display().lower()}); nothing to retry.",
            code="not_failed",
        )
    with transaction.atomic():
        article_set_status(article, Article.Status.PENDING, attempts=0)
        jobs.enqueue("ingest_article", article.pk)
    return article


def article_note_retry(*, article_id: int, message: str, delay: int) -> None:
    """Show that a transient failure will be retried, without ending the job."""
    Article.objects.filter(pk=article_id).update(
        error=f"{message} Trying again in {delay} seconds.", status_changed_at=timezone.now()
    )


def article_requeue_stuck() -> int:
    """Queue again the articles whose job has not moved for a while (lost with a broker
    outage or a dead worker). Returns how many were queued."""

    cutoff = timezone.now() - settings.ARTICLE_STUCK_AFTER
    stuck = list(
        Article.objects.filter(
            status__in=[Article.Status.PENDING, Article.Status.FETCHING, Article.Status.EXTRACTING],
            status_changed_at__lt=cutoff,
        ).values_list("pk", flat=True)[:1000]
    )
    Article.objects.filter(pk__in=stuck).update(status_changed_at=timezone.now())
    for pk in stuck:
        jobs.enqueue("ingest_article", pk)
    return len(stuck)


def article_rerun_extraction(*, article: Article) -> None:
    """Queue the extraction again (after an extractor upgrade, say)."""

    if not article.body:
        raise ValidationError(f"Article #{article.pk} has no text yet.", code="no_text")
    article_set_status(article, Article.Status.EXTRACTING)
    jobs.enqueue("extract_article", article.pk)
