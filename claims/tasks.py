"""Celery jobs, all of them: thin wrappers that take ids and call one service each. The
domain sends them by name through `claims.jobs`, so it never imports this module.

Jobs are enqueued on commit, acknowledged late and handed back to the queue when their
worker dies (settings), so every job here must be safe to run twice.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError
from django.utils import timezone

from . import external, matching, notifications, services, sources
from .fetch import FetchError
from .models import Article, WebhookDelivery
from .publishing import webhooks

log = logging.getLogger(__name__)


def _retry_or_fail(task, article_id: int, exc: Exception) -> None:
    """After an unexpected error in an article's job: run again after a database clash (a
    concurrent job made the same new speaker, the database restarted; the transaction rolled
    back whole, so it is safe), else record the failure on the article and re-raise."""
    if isinstance(exc, IntegrityError | OperationalError):
        if task.request.retries < settings.FETCH_MAX_RETRIES:
            raise task.retry(countdown=1 + task.request.retries) from None
        message = "The database kept refusing this article; try again later."
    else:
        log.exception("%s(%s) failed", task.name, article_id)
        message = "An internal error stopped the processing of this article; it has been logged."
    services.article_fail(article_id=article_id, message=message)
    raise exc


def _backoff(retries: int) -> int:
    return min(600, 10 * 3**retries)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def ingest_article(self, article_id: int) -> None:
    try:
        services.article_ingest(article_id=article_id)
    except FetchError as exc:
        if exc.transient and self.request.retries < settings.FETCH_MAX_RETRIES:
            delay = _backoff(self.request.retries)
            services.article_note_retry(article_id=article_id, message=str(exc), delay=delay)
            raise self.retry(countdown=delay) from None
        services.article_fail(article_id=article_id, message=str(exc))
    except ValidationError as exc:
        services.article_fail(article_id=article_id, message=" ".join(exc.messages))
    except SoftTimeLimitExceeded:
        limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
        services.article_fail(
            article_id=article_id,
            message=f"Processing this article took longer than {limit} seconds; it may be too big or too complex.",
        )
    except Exception as exc:
        _retry_or_fail(self, article_id, exc)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def extract_article(self, article_id: int) -> None:
    article = Article.objects.filter(pk=article_id, status=Article.Status.EXTRACTING).first()
    if article is None:
        return
    try:
        services.article_extract(article=article)
    except Exception as exc:
        _retry_or_fail(self, article_id, exc)


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,), retry_backoff=True)
def match_claims(claim_ids: list[int]) -> int:
    with matching.analysing():
        external.external_match_claims(claim_ids=claim_ids)
        return matching.claims_match(claim_ids=claim_ids)


@shared_task
def requeue_stuck_articles() -> int:
    return services.article_requeue_stuck()


@shared_task
def remind_overdue() -> int:
    return services.overdue_reminders_send()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def import_claimreview(self, run_id: int) -> None:
    retry = self.request.retries < settings.FETCH_MAX_RETRIES
    try:
        external.claimreview_import_run(run_id=run_id, retry_transient=retry)
    except FetchError:  # transient: the run stays running and says it will try again
        raise self.retry(countdown=_backoff(self.request.retries)) from None
    except Exception:
        log.exception("import_claimreview(%s) failed", run_id)
        message = "An internal error stopped this import; it has been logged."
        external.claimreview_import_fail(run_id=run_id, message=message)
        raise


@shared_task
def poll_due_sources() -> int:
    """Every minute (beat): queue a poll of each monitored source whose time has come."""
    return len(sources.sources_poll_due())


# A poll may read a listing and up to 15 linked pages, or a sitemap index and 5 sitemaps.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    soft_time_limit=300,
    time_limit=330,
)
def poll_source(source_id: int) -> None:
    sources.source_poll(source_id=source_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,), retry_backoff=True)
def deliver_notifications(
    event: str,
    claim_id: int,
    actor_id: int | None,
    key: str,
    recipient_ids: list[int] | None = None,
    comment_id: int | None = None,
) -> int:
    return notifications.notifications_deliver(
        event=event, claim_id=claim_id, actor_id=actor_id, key=key, recipient_ids=recipient_ids, comment_id=comment_id
    )


def _seconds_until(moment: datetime.datetime | None) -> int:
    return max(1, int((moment - timezone.now()).total_seconds())) if moment else 1


# Registered under its first name (see `claims.jobs.REGISTERED_AS`): messages already in the
# broker, the `webhooks` queue route and the beat schedule name it so.
@shared_task(
    name="claims.webhooks.deliver_webhook", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None
)
def deliver_webhook(self, delivery_id: int) -> None:
    try:
        done = webhooks.webhook_attempt(delivery_id=delivery_id)
    except SoftTimeLimitExceeded:
        reason = "The attempt ran into the job's time limit."
        retry_at = webhooks.webhook_interrupted(delivery_id=delivery_id, reason=reason)
        if retry_at is not None:
            raise self.retry(countdown=_seconds_until(retry_at)) from None
        return
    if done:
        return
    retry_at = WebhookDelivery.objects.filter(pk=delivery_id).values_list("next_attempt_at", flat=True).first()
    raise self.retry(countdown=_seconds_until(retry_at))


@shared_task(name="claims.webhooks.requeue_webhooks")
def requeue_webhooks() -> int:
    return webhooks.webhooks_requeue_due()
