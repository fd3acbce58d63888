"""Other fact-checkers' work: importing their ClaimReview JSON-LD and linking it to our claims.

An import run reads one source (an uploaded file, a feed URL or a fact-check page; the
shapes it reads are in `claims.external.claimreview_read`). Each item is checked on its
own (`claims.external.claimreview_fields`); the good ones are stored (keyed by their
review URL, so a second import updates them) and every refused one is reported with its
position and the reason. Only a source that cannot be read at all (not JSON, not UTF-8,
too large, unreachable) fails the run.

Imported fact-checks are then matched to our claims the way our own claims are matched to
each other (see `claims.matching`), and new claims are matched to them in turn.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .. import jobs
from ..fetch import FetchError
from ..matching import CLAIMS, CLOSED, EXTERNAL, MIN_SCORE, PER_CLAIM, candidates_find, similar_to
from ..models import Claim, ClaimReviewImport, ExternalFactCheck, ExternalMatch
from ..roles import Actor
from .claimreview_fields import Refused, claimreview_fields
from .claimreview_read import Skipped, SourceError, claimreview_parse, page_base_url, source_decode, source_fetch

log = logging.getLogger(__name__)

BATCH = 500  # rows per upsert


# Storing --------------------------------------------------------------------------------


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    ids: list[int] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0


def claimreview_store(*, items: list[Any], source: ClaimReviewImport | None = None, base_url: str = "") -> Outcome:
    """Check each item and upsert the good ones by review URL, in one transaction. Nodes of
    a page's graph that are not ClaimReview are counted as skipped; items are numbered
    without them."""
    outcome = Outcome()
    good: dict[str, dict[str, Any]] = {}
    first_at: dict[str, int] = {}
    outcome.skipped = sum(isinstance(item, Skipped) for item in items)
    items = [item for item in items if not isinstance(item, Skipped)]
    for index, item in enumerate(items, 1):
        try:
            fields = claimreview_fields(item, base_url=base_url)
            if fields["review_url"] in good:
                raise Refused(f"Item {first_at[fields['review_url']]} has the same url; that one was kept.")
        except Refused as exc:
            given = item.get("url") if isinstance(item, dict) else None
            # No lone surrogate in the report.
            url = given[:2000].encode("utf-8", "replace").decode() if isinstance(given, str) else ""
            outcome.refused.append({"index": index, "url": url, "reason": str(exc)})
            continue
        good[fields["review_url"]] = fields
        first_at[fields["review_url"]] = index
    urls = list(good)
    now = timezone.now()
    updatable = [f for f in next(iter(good.values()), {}) if f != "review_url"] + ["source", "updated_at"]
    with transaction.atomic():
        for start in range(0, len(urls), BATCH):
            chunk = urls[start : start + BATCH]
            existing = set(ExternalFactCheck.objects.filter(review_url__in=chunk).values_list("review_url", flat=True))
            outcome.updated += len(existing)
            outcome.created += len(chunk) - len(existing)
            ExternalFactCheck.objects.bulk_create(
                [ExternalFactCheck(**good[u], source=source, imported_at=now, updated_at=now) for u in chunk],
                update_conflicts=True,
                unique_fields=["review_url"],
                update_fields=updatable,
            )
            outcome.ids += ExternalFactCheck.objects.filter(review_url__in=chunk).values_list("pk", flat=True)
    return outcome


# Runs -----------------------------------------------------------------------------------


def claimreview_import_create(
    *, by: Actor | None = None, data: bytes | None = None, filename: str = "", source_url: str = "", queue: bool = True
) -> ClaimReviewImport:
    """Record an import of an uploaded file (`data`) or of a feed URL and (unless `queue` is
    false) queue its job. A file that cannot be read at all makes a failed run at once."""
    run = ClaimReviewImport(created_by=by, filename=filename[:255], source_url=source_url)
    if data is not None:
        run.filename = run.filename or "upload.json"
        try:
            run.payload = source_decode(data)
        except SourceError as exc:
            run.status, run.error, run.finished_at = ClaimReviewImport.Status.FAILED, str(exc), timezone.now()
    run.save()
    if queue and run.status == ClaimReviewImport.Status.QUEUED:
        jobs.enqueue("import_claimreview", run.pk)
    return run


def claimreview_import_fail(*, run_id: int, message: str) -> None:
    ClaimReviewImport.objects.filter(pk=run_id).update(
        status=ClaimReviewImport.Status.FAILED, error=message, finished_at=timezone.now()
    )


def claimreview_import_run(*, run_id: int, retry_transient: bool = False) -> ClaimReviewImport | None:
    """Do one import run: read its source, store the good items, report the refused ones,
    match what was stored to our claims. A finished (done or failed) run is left alone, so
    the job is safe to run twice. With `retry_transient`, a timeout or server error while
    fetching is raised for the job to retry instead of failing the run."""
    started = ClaimReviewImport.objects.filter(
        pk=run_id, status__in=[ClaimReviewImport.Status.QUEUED, ClaimReviewImport.Status.RUNNING]
    ).update(status=ClaimReviewImport.Status.RUNNING)
    if not started:
        return None
    run = ClaimReviewImport.objects.get(pk=run_id)
    try:
        text = source_fetch(run.source_url) if run.source_url and not run.payload else run.payload
        items = claimreview_parse(text, base_url=run.source_url)
    except FetchError as exc:
        if exc.transient and retry_transient:
            ClaimReviewImport.objects.filter(pk=run_id).update(error=f"{exc} Trying again shortly.")
            raise
        claimreview_import_fail(run_id=run_id, message=f"The feed could not be fetched: {exc}")
        return ClaimReviewImport.objects.get(pk=run_id)
    except SourceError as exc:
        claimreview_import_fail(run_id=run_id, message=str(exc))
        return ClaimReviewImport.objects.get(pk=run_id)
    return _import_finish(run, items, base_url=run.source_url or page_base_url(text))


def _import_finish(run: ClaimReviewImport, items: list[Any], *, base_url: str) -> ClaimReviewImport:
    outcome = claimreview_store(items=items, source=run, base_url=base_url)
    external_match_fact_checks(external_ids=outcome.ids)
    run.status, run.error, run.finished_at = ClaimReviewImport.Status.DONE, "", timezone.now()
    run.total, run.created, run.updated = len(items) - outcome.skipped, outcome.created, outcome.updated
    run.refused, run.report, run.skipped = len(outcome.refused), outcome.refused, outcome.skipped
    run.save(
        update_fields=["status", "error", "finished_at", "total", "created", "updated", "refused", "report", "skipped"]
    )
    return run


def claimreview_import_items(*, items: list[Any], source_url: str, filename: str = "") -> ClaimReviewImport:
    """Import items already read (by a monitored source's poll) as one run, reported and
    matched like any other; the source's text is not kept."""
    run = ClaimReviewImport.objects.create(
        source_url=source_url, filename=filename[:255], status=ClaimReviewImport.Status.RUNNING
    )
    return _import_finish(run, items, base_url=source_url)


# Matching -------------------------------------------------------------------------------

# Both directions use claims.matching's ranked lookup: imported fact-checks against our open
# claims, and new claims against imported fact-checks.
OPEN_CLAIMS = f"AND x.status NOT IN {CLOSED!r}"


def _link(pairs: list[tuple[int, int, float]]) -> int:
    links = [ExternalMatch(claim_id=c, external_id=e, score=round(min(1.0, s), 3)) for c, e, s in pairs]
    ExternalMatch.objects.bulk_create(links, ignore_conflicts=True, batch_size=BATCH)
    return len(links)


def external_match_fact_checks(*, external_ids: list[int]) -> int:
    """Link imported fact-checks to our claims that say much the same thing."""
    if not external_ids:
        return 0
    sources = ExternalFactCheck.objects.filter(pk__in=external_ids).values_list("pk", "claim_reviewed")
    found = []
    with connection.cursor() as cursor:
        for pk, text in sources:
            hits = candidates_find(text=text, target=CLAIMS, where=OPEN_CLAIMS, cursor=cursor)
            found += [(hit.id, pk, hit.score) for hit in hits[:PER_CLAIM] if hit.score >= MIN_SCORE]
    return _link(found)


def external_match_claims(*, claim_ids: list[int]) -> int:
    """Link new claims to imported fact-checks of much the same statement."""
    if not claim_ids or not ExternalFactCheck.objects.exists():
        return 0
    claims = list(Claim.objects.filter(pk__in=claim_ids).values_list("pk", "article_id", "text"))
    return _link(similar_to(claims, target=EXTERNAL))
