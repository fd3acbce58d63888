"""Other fact-checkers' work: importing their ClaimReview JSON-LD and linking it to our claims.

An import run reads one source (an uploaded file or a feed URL): a single ClaimReview, a
list of them, an `@graph`, a schema.org DataFeed, or JSON Lines. Each item is checked on
its own; the good ones are stored (keyed by their review URL, so a second import updates
them) and every refused one is reported with its position and the reason. Only a source
that cannot be read at all (not JSON, not UTF-8, too large, unreachable) fails the run.

Imported fact-checks are then matched to our claims the way our own claims are matched to
each other (see `claims.matching`), and new claims are matched to them in turn.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .fetch import FetchError, fetch
from .matching import CLAIMS, CLOSED, EXTERNAL, MIN_SCORE, PER_CLAIM, candidates_find, similar_to
from .models import Claim, ClaimReviewImport, ExternalFactCheck, ExternalMatch

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
BATCH = 500  # rows per upsert
ACCEPT = "application/ld+json,application/json,application/x-ndjson;q=0.9,text/plain;q=0.5"
FEED_TYPES = ("json", "jsonl", "ndjson", "jsonlines", "text/plain", "application/octet-stream")


class SourceError(Exception):
    """The source as a whole cannot be read; the message is for the editor who gave it."""


# Reading a source -----------------------------------------------------------------------


def source_decode(data: bytes) -> str:
    """The text of an uploaded or fetched source, refused when too large or not UTF-8."""
    if len(data) > MAX_BYTES:
        raise SourceError(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is {MAX_BYTES / 1_048_576:.0f} MB. "
            "Split it into smaller files."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read). Save it as UTF-8 and upload it again."
        ) from None
    if "\x00" in text:
        raise SourceError("The file contains NUL bytes: it is not a JSON text file.")
    return text


def source_fetch(url: str) -> str:
    """A feed's text, fetched with the project's SSRF-safe fetcher (JSON is UTF-8 text)."""
    page = fetch(url, accept=ACCEPT, max_bytes=MAX_BYTES)
    if page.content_type and not any(kind in page.content_type for kind in FEED_TYPES):
        raise SourceError(f"The address gave {page.content_type}, not JSON-LD: is it the feed's address?")
    return source_decode(page.content)


@dataclass(frozen=True)
class _BadLine:
    reason: str


def _json_lines(text: str) -> list[Any] | None:
    """The items of a JSON Lines text, or None when it is not one. A line that is not JSON
    becomes a `_BadLine` so it is refused alone."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) < 2:
        return None
    try:
        json.loads(lines[0][1])
    except ValueError:
        return None
    items: list[Any] = []
    for n, line in lines:
        try:
            items.append(json.loads(line))
        except ValueError as exc:
            items.append(_BadLine(f"line {n} is not valid JSON ({exc.msg})"))
    return items


def _types(node: dict) -> set[str]:
    kind = node.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1].removeprefix("schema:") for k in kinds}


def _unwrap(node: Any, depth: int = 0) -> list[Any]:
    """Items from the containers ClaimReview arrives in: lists, @graph, DataFeed, DataFeedItem."""
    if depth > 4:
        return [node]
    if isinstance(node, list):
        return [item for child in node for item in _unwrap(child, depth + 1)]
    if not isinstance(node, dict):
        return [node]
    if "@graph" in node and "ClaimReview" not in _types(node):
        return _unwrap(node["@graph"], depth + 1)
    if "DataFeed" in _types(node):
        return _unwrap(node.get("dataFeedElement", []), depth + 1)
    if "DataFeedItem" in _types(node) or ("item" in node and "@type" not in node):
        return _unwrap(node.get("item"), depth + 1)
    return [node]


def claimreview_parse(text: str) -> list[Any]:
    """The items of a source, in order (not yet checked). Raises SourceError when the text
    is not JSON or JSON Lines."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        document = _json_lines(text)
        if document is None:
            line = getattr(exc, "lineno", None)
            where = f" (line {line}, column {exc.colno})" if line else ""
            message = getattr(exc, "msg", str(exc))
            raise SourceError(f"The file is not valid JSON{where}: {message}. Nothing was imported.") from None
    items = _unwrap(document)
    if not items:
        raise SourceError("The file holds no ClaimReview items.")
    return items


# Checking one item ----------------------------------------------------------------------


class Refused(Exception):
    """One item cannot be imported; the message says why, in words."""


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _text(value: Any, limit: int) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName") or ""
    return " ".join(str(value).split())[:limit] if isinstance(value, str | int | float) else ""


def _web_url(value: Any) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or ""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    parts = urlsplit(value)
    return value if parts.scheme in ("http", "https") and parts.netloc and len(value) <= 2000 else ""


def _date(value: Any) -> date | None:
    """ISO dates or datetimes, and the date part of anything that starts with one."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        moment = parse_datetime(value)
        return moment.date() if moment else parse_date(value[:10])
    except ValueError:
        return None


def _number(value: Any) -> int | None:
    try:
        number = round(float(value))
    except (TypeError, ValueError, OverflowError):
        return None
    return number if -32768 <= number <= 32767 else None


def claimreview_fields(item: Any) -> dict[str, Any]:
    """The ExternalFactCheck fields of one ClaimReview item, or Refused with the reason."""
    if isinstance(item, _BadLine):
        raise Refused(item.reason[0].upper() + item.reason[1:] + ".")
    if not isinstance(item, dict):
        raise Refused("It is not a JSON object.")
    kinds = _types(item)
    if "ClaimReview" not in kinds:
        raise Refused(f"Its @type is {', '.join(sorted(kinds))}, not ClaimReview." if kinds else "It has no @type.")
    raw_url = item.get("url")
    url = _web_url(raw_url)
    if not url:
        raise Refused(
            f"Its url {str(raw_url)[:100]!r} is not an http(s) address." if raw_url else "It has no url (its page)."
        )
    claim = _text(item.get("claimReviewed"), 100_000)
    if not claim:
        raise Refused("It has no claimReviewed (the text of the claim).")
    rating = _first(item.get("reviewRating"))
    rating = rating if isinstance(rating, dict) else {}
    value, best = _number(rating.get("ratingValue")), _number(rating.get("bestRating"))
    label = _text(rating.get("alternateName"), 200)
    if not label and value is not None:
        label = f"{value} of {best}" if best is not None else str(value)
    if not label:
        raise Refused("It has no reviewRating with an alternateName or a ratingValue.")
    author = _first(item.get("author"))
    publisher = _text(author, 300)
    if not publisher:
        raise Refused("It has no author (the name of the organisation that published it).")
    if "\\u0000" in json.dumps(item):
        raise Refused("It contains a NUL character, which cannot be stored.")
    reviewed = _first(item.get("itemReviewed"))
    reviewed = reviewed if isinstance(reviewed, dict) else {}
    return {
        "review_url": url,
        "publisher_name": publisher,
        "publisher_url": _web_url(author.get("url")) if isinstance(author, dict) else "",
        "claim_reviewed": claim,
        "claimant": _text(reviewed.get("author"), 300),
        "claim_date": _date(reviewed.get("datePublished")),
        "appearance_url": _web_url(reviewed.get("appearance") or reviewed.get("firstAppearance")),
        "rating_label": label,
        "rating_value": value,
        "best_rating": best,
        "worst_rating": _number(rating.get("worstRating")),
        "headline": _text(item.get("headline") or item.get("name"), 500),
        "review_date": _date(item.get("datePublished") or item.get("dateModified")),
        "language": _text(item.get("inLanguage"), 16),
        "data": item,
    }


# Storing --------------------------------------------------------------------------------


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    ids: list[int] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)


def claimreview_store(*, items: list[Any], source: ClaimReviewImport | None = None) -> Outcome:
    """Check each item and upsert the good ones by review URL, in one transaction."""
    outcome = Outcome()
    good: dict[str, dict[str, Any]] = {}
    first_at: dict[str, int] = {}
    for index, item in enumerate(items, 1):
        try:
            fields = claimreview_fields(item)
            if fields["review_url"] in good:
                raise Refused(f"Item {first_at[fields['review_url']]} has the same url; that one was kept.")
        except Refused as exc:
            url = item.get("url") if isinstance(item, dict) and isinstance(item.get("url"), str) else ""
            outcome.refused.append({"index": index, "url": url[:2000], "reason": str(exc)})
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
    *, by=None, data: bytes | None = None, filename: str = "", source_url: str = "", queue: bool = True
) -> ClaimReviewImport:
    """Record an import of an uploaded file (`data`) or of a feed URL and (unless `queue` is
    false) queue its job. A file that cannot be read at all makes a failed run at once."""
    from . import tasks

    run = ClaimReviewImport(created_by=by, filename=filename[:255], source_url=source_url)
    if data is not None:
        run.filename = run.filename or "upload.json"
        try:
            run.payload = source_decode(data)
        except SourceError as exc:
            run.status, run.error, run.finished_at = ClaimReviewImport.Status.FAILED, str(exc), timezone.now()
    run.save()
    if queue and run.status == ClaimReviewImport.Status.QUEUED:
        tasks.enqueue(tasks.import_claimreview, run.pk)
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
        items = claimreview_parse(text)
    except FetchError as exc:
        if exc.transient and retry_transient:
            ClaimReviewImport.objects.filter(pk=run_id).update(error=f"{exc} Trying again shortly.")
            raise
        claimreview_import_fail(run_id=run_id, message=f"The feed could not be fetched: {exc}")
        return ClaimReviewImport.objects.get(pk=run_id)
    except SourceError as exc:
        claimreview_import_fail(run_id=run_id, message=str(exc))
        return ClaimReviewImport.objects.get(pk=run_id)
    outcome = claimreview_store(items=items, source=run)
    external_match_fact_checks(external_ids=outcome.ids)
    run.status, run.error, run.finished_at = ClaimReviewImport.Status.DONE, "", timezone.now()
    run.total, run.created, run.updated = len(items), outcome.created, outcome.updated
    run.refused, run.report = len(outcome.refused), outcome.refused
    run.save(update_fields=["status", "error", "finished_at", "total", "created", "updated", "refused", "report"])
    return run


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
