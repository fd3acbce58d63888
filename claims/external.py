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

import html
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .fetch import FetchError, fetch
from .matching import CLOSED, PER_CLAIM, RECENT_ON_SQLITE, THRESHOLD, _words, similar_rows, similar_sql
from .models import Claim, ClaimReviewImport, ExternalFactCheck, ExternalMatch

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
BATCH = 500  # rows per upsert
ACCEPT = "application/ld+json,application/json,application/x-ndjson;q=0.9,text/html;q=0.8,text/plain;q=0.5"
FEED_TYPES = ("json", "jsonl", "ndjson", "jsonlines", "text/plain", "application/octet-stream", "html")


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
        raise SourceError(
            f"The address gave {page.content_type}, not JSON-LD or an HTML page: is it the feed's address?"
        )
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
    return {str(k).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].removeprefix("schema:") for k in kinds}


@dataclass(frozen=True)
class _Skipped:
    """A node of a page's graph that is not a ClaimReview (a NewsArticle, a BreadcrumbList):
    counted as skipped, not refused."""

    kinds: str


# Keys under which an API response wraps its list of items.
WRAPPERS = ("data", "items", "results", "claims", "claimReviews")
# Where another node of a page holds its ClaimReview (a NewsArticle's review, a page's mainEntity).
NESTING = ("mainEntity", "review", "hasPart", "subjectOf", "about")


def _nested_reviews(node: dict, depth: int = 0) -> list[dict]:
    found = []
    for key in NESTING:
        for child in node.get(key) if isinstance(node.get(key), list) else [node.get(key)]:
            if isinstance(child, dict):
                if "ClaimReview" in _types(child):
                    found.append(child)
                elif depth < 2:
                    found += _nested_reviews(child, depth + 1)
    return found


def _unwrap(node: Any, depth: int = 0, in_graph: bool = False) -> list[Any]:
    """Items from the containers ClaimReview arrives in: lists, @graph, DataFeed, DataFeedItem,
    an API response's `data`/`items`/`results`. In a page's graph, other nodes are skipped."""
    if depth > 6:
        return [node]
    if isinstance(node, list):
        return [item for child in node for item in _unwrap(child, depth + 1, in_graph)]
    if not isinstance(node, dict):
        return [node]
    kinds = _types(node)
    if "@graph" in node and "ClaimReview" not in kinds:
        return _unwrap(node["@graph"], depth + 1, in_graph=True)
    if "DataFeed" in kinds:
        return _unwrap(node.get("dataFeedElement", []), depth + 1, in_graph)
    if "DataFeedItem" in kinds or ("item" in node and "@type" not in node):
        return _unwrap(node.get("item"), depth + 1, in_graph)
    if "@type" not in node:
        for key in WRAPPERS:
            if isinstance(node.get(key), list | dict):
                return _unwrap(node[key], depth + 1, in_graph)
    if in_graph and kinds and "ClaimReview" not in kinds:
        return _nested_reviews(node) or [_Skipped(", ".join(sorted(kinds)))]
    return [node]


def is_page(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith("<") and ("<html" in head or "<!doctype" in head or "<head" in head or "<body" in head)


SCHEMA = re.compile(r"^https?://schema\.org/")


def _rdfa_tree(nodes: list[dict]) -> list[dict]:
    """extruct's RDFa (expanded JSON-LD, one flat node per subject) as nested schema.org
    objects with short keys, the shape the checks below read."""
    by_id = {n["@id"]: n for n in nodes if isinstance(n, dict) and "@id" in n}
    referenced: set[str] = set()

    def value(v: Any, depth: int) -> Any:
        if isinstance(v, dict) and "@value" in v:
            return v["@value"]
        if isinstance(v, dict) and "@id" in v:
            target = by_id.get(v["@id"])
            if target is None or "@type" not in target or depth > 6:
                return v["@id"]
            referenced.add(v["@id"])
            return compact(target, depth + 1)
        return v

    def compact(node: dict, depth: int = 0) -> dict:
        out: dict[str, Any] = {}
        for key, values in node.items():
            if key == "@type":
                out[key] = [SCHEMA.sub("", t) for t in (values if isinstance(values, list) else [values])]
            elif SCHEMA.match(key):
                items = [value(v, depth) for v in (values if isinstance(values, list) else [values])]
                out[SCHEMA.sub("", key)] = items[0] if len(items) == 1 else items
        return out

    typed = [n for n in nodes if isinstance(n, dict) and "@type" in n]
    compacted = [compact(n) for n in typed]
    return [c for c, n in zip(compacted, typed, strict=True) if n.get("@id") not in referenced]


def page_base_url(text: str) -> str:
    """The address a page names as its own (canonical link or og:url), to resolve its
    relative links when it was uploaded rather than fetched."""
    for pattern in (
        r"<link[^>]+rel=[\"']?canonical[\"']?[^>]*href=[\"']([^\"'>\s]+)",
        r"<link[^>]+href=[\"']([^\"'>\s]+)[\"'][^>]*rel=[\"']?canonical",
        r"<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"']([^\"'>\s]+)",
    ):
        found = re.search(pattern, text[:200_000], re.I)
        if found and urlsplit(found.group(1)).scheme in ("http", "https"):
            return html.unescape(found.group(1))
    return ""


def _page_items(text: str, base_url: str) -> list[Any]:
    """The structured data of an HTML page, read with extruct: JSON-LD, microdata, RDFa."""
    import extruct

    try:
        data = extruct.extract(
            text, base_url=base_url or None, syntaxes=["json-ld", "microdata", "rdfa"], uniform=True, errors="ignore"
        )
    except Exception as exc:  # extruct surfaces its parsers' own errors
        raise SourceError(f"The HTML page could not be read ({exc.__class__.__name__}).") from None
    nodes = data.get("json-ld", []) + data.get("microdata", []) + _rdfa_tree(data.get("rdfa", []))
    items = _unwrap(nodes, in_graph=True)
    if not any(not isinstance(item, _Skipped) for item in items):
        raise SourceError("The HTML page has no ClaimReview in its JSON-LD, microdata or RDFa.")
    return items


def claimreview_parse(text: str, *, base_url: str = "") -> list[Any]:
    """The items of a source, in order (not yet checked); nodes of a page's graph that are
    not ClaimReview come back as `_Skipped`. Raises SourceError when the text is neither
    JSON, JSON Lines nor an HTML page."""
    if is_page(text):
        return _page_items(text, base_url or page_base_url(text))
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


def _unescape(text: str) -> str:
    """HTML entities decoded, twice at most (`&amp;#039;` was escaped twice)."""
    for _ in range(2):
        if "&" not in text:
            break
        text = html.unescape(text)
    return text


def _text(value: Any, limit: int) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName") or ""
    # A name given as a list is the name then what the person is (["Name", "mayor of X"]).
    value = _first(value)
    return " ".join(_unescape(str(value)).split())[:limit] if isinstance(value, str | int | float) else ""


def _names(value: Any, limit: int) -> str:
    """Every name in a value that may be one person or a list of them, joined."""
    values = value if isinstance(value, list) else [value]
    if values and all(isinstance(v, str) for v in values):
        values = values[:1]  # a list of strings is one name and its description
    names = []
    for one in values:
        name = _text(one, limit)
        if name and name not in names:
            names.append(name)
    return ", ".join(names)[:limit]


HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d+)?(?:[/?#]|$)", re.I)


class BadUrl(Exception):
    """An address that cannot be made absolute; the message says why."""


def _absolute(value: str, base_url: str) -> str:
    """An http(s) address from what a publisher wrote: as is, with https:// added to a
    bare host name ("example.org/check"), or resolved against the page it came from."""
    value = _unescape(value.strip())
    parts = urlsplit(value)
    if parts.scheme in ("http", "https"):
        url = value
    elif parts.scheme:
        raise BadUrl(f"{value[:100]!r} is not an http(s) address")
    elif value.startswith("//"):
        url = "https:" + value
    elif HOST.match(value):
        url = "https://" + value
    elif base_url:
        url = urljoin(base_url, value)
    else:
        raise BadUrl(f"{value[:100]!r} is relative and there is no page address to resolve it against")
    parts = urlsplit(url)
    if not parts.netloc or len(url) > 2000:
        raise BadUrl(f"{value[:100]!r} is not an http(s) address")
    return url


def _web_url(value: Any, base_url: str = "") -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or ""
    value = _first(value)
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        return _absolute(value, base_url)
    except BadUrl:
        return ""


def _appearances(reviewed: dict, base_url: str) -> list[str]:
    """Every address where the claim was made: appearance (one or several), firstAppearance,
    and the reviewed claim's own url or mainEntityOfPage (a post, a video)."""
    found: list[str] = []
    for key in ("firstAppearance", "appearance", "url", "mainEntityOfPage", "sameAs"):
        values = reviewed.get(key)
        for value in values if isinstance(values, list) else [values]:
            url = _web_url(value, base_url)
            if url and url not in found:
                found.append(url)
    return found[:50]


def _publisher(item: dict) -> Any:
    """The organisation that published the review: `publisher`, else an `author` that is
    not a person, else the organisation an author works for; a journalist named as the
    author is not the publisher."""
    if _text(item.get("publisher"), 300):
        return _first(item.get("publisher"))
    authors = item.get("author") if isinstance(item.get("author"), list) else [item.get("author")]
    for author in authors:
        if isinstance(author, dict) and "Person" not in _types(author) and _text(author, 300):
            return author
    for author in authors:
        if isinstance(author, dict):
            for key in ("worksFor", "affiliation", "memberOf"):
                if _text(author.get(key), 300):
                    return _first(author.get(key))
    return next((a for a in authors if _text(a, 300)), None)


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


def claimreview_fields(item: Any, *, base_url: str = "") -> dict[str, Any]:
    """The ExternalFactCheck fields of one ClaimReview item, or Refused with the reason.
    Relative addresses are resolved against `base_url` (the page or feed it came from)."""
    if isinstance(item, _BadLine):
        raise Refused(item.reason[0].upper() + item.reason[1:] + ".")
    if not isinstance(item, dict):
        raise Refused("It is not a JSON object.")
    kinds = _types(item)
    if "ClaimReview" not in kinds:
        raise Refused(f"Its @type is {', '.join(sorted(kinds))}, not ClaimReview." if kinds else "It has no @type.")
    raw_url = _first(item.get("url"))
    if not raw_url or not isinstance(raw_url, str):
        raise Refused(
            f"Its url {str(raw_url)[:100]!r} is not an http(s) address." if raw_url else "It has no url (its page)."
        )
    try:
        url = _absolute(raw_url, base_url)
    except BadUrl as exc:
        raise Refused(f"Its url {exc}.") from None
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
    publisher = _publisher(item)
    publisher_name = _text(publisher, 300)
    if not publisher_name:
        raise Refused("It has no author (the name of the organisation that published it).")
    if "\\u0000" in json.dumps(item):
        raise Refused("It contains a NUL character, which cannot be stored.")
    reviewed = _first(item.get("itemReviewed"))
    reviewed = reviewed if isinstance(reviewed, dict) else {}
    appearances = _appearances(reviewed, base_url)
    return {
        "review_url": url,
        "publisher_name": publisher_name,
        "publisher_url": _web_url(publisher.get("url"), base_url) if isinstance(publisher, dict) else "",
        "claim_reviewed": claim,
        "claimant": _names(reviewed.get("author"), 300),
        "claim_date": _date(reviewed.get("datePublished")),
        "appearance_url": appearances[0] if appearances else "",
        "appearances": appearances,
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
    skipped: int = 0


def claimreview_store(*, items: list[Any], source: ClaimReviewImport | None = None, base_url: str = "") -> Outcome:
    """Check each item and upsert the good ones by review URL, in one transaction. Nodes of
    a page's graph that are not ClaimReview are counted as skipped; items are numbered
    without them."""
    outcome = Outcome()
    good: dict[str, dict[str, Any]] = {}
    first_at: dict[str, int] = {}
    outcome.skipped = sum(isinstance(item, _Skipped) for item in items)
    items = [item for item in items if not isinstance(item, _Skipped)]
    for index, item in enumerate(items, 1):
        try:
            fields = claimreview_fields(item, base_url=base_url)
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

# Both directions use claims.matching's query: imported fact-checks against our open claims,
# and new claims against imported fact-checks.
TO_CLAIMS = similar_sql(
    source="claims_externalfactcheck",
    source_text="claim_reviewed",
    target="claims_claim",
    target_text="text",
    where=f"AND x.status NOT IN {CLOSED!r}",
)
TO_EXTERNAL = similar_sql(
    source="claims_claim", source_text="text", target="claims_externalfactcheck", target_text="claim_reviewed"
)


def _similar_plain(sources: list[tuple[int, str]], targets: list[tuple[int, str]]) -> list[tuple]:
    """Word overlap (Jaccard), as `claims.matching` does on SQLite."""
    target_words = [(pk, _words(text)) for pk, text in targets]
    found = []
    for pk, text in sources:
        words = _words(text)
        scored = []
        for other, other_words in target_words:
            if words and other_words:
                score = len(words & other_words) / len(words | other_words)
                if score >= THRESHOLD:
                    scored.append((pk, other, score))
        found += sorted(scored, key=lambda row: -row[2])[:PER_CLAIM]
    return found


def _link(pairs: list[tuple[int, int, float]]) -> int:
    links = [ExternalMatch(claim_id=c, external_id=e, score=round(min(1.0, s), 3)) for c, e, s in pairs]
    ExternalMatch.objects.bulk_create(links, ignore_conflicts=True, batch_size=BATCH)
    return len(links)


def external_match_fact_checks(*, external_ids: list[int]) -> int:
    """Link imported fact-checks to our claims that say much the same thing."""
    if not external_ids:
        return 0
    if connection.vendor == "postgresql":
        found = similar_rows(
            TO_CLAIMS, ids=external_ids, source="claims_externalfactcheck", source_text="claim_reviewed"
        )
    else:
        recent = Claim.objects.exclude(status__in=CLOSED).order_by("-pk").values_list("pk", "text")
        sources = ExternalFactCheck.objects.filter(pk__in=external_ids).values_list("pk", "claim_reviewed")
        found = _similar_plain(list(sources), list(recent[:RECENT_ON_SQLITE]))
    return _link([(claim, external, score) for external, claim, score in found])


def external_match_claims(*, claim_ids: list[int]) -> int:
    """Link new claims to imported fact-checks of much the same statement."""
    if not claim_ids or not ExternalFactCheck.objects.exists():
        return 0
    if connection.vendor == "postgresql":
        found = similar_rows(TO_EXTERNAL, ids=claim_ids, source="claims_claim", source_text="text")
    else:
        recent = ExternalFactCheck.objects.order_by("-pk").values_list("pk", "claim_reviewed")
        sources = Claim.objects.filter(pk__in=claim_ids).values_list("pk", "text")
        found = _similar_plain(list(sources), list(recent[:RECENT_ON_SQLITE]))
    return _link(found)
