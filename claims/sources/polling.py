"""Polling monitored sources: feeds, news sitemaps and ClaimReview feeds.

One periodic job (`tasks.poll_due_sources`) queues a poll of each source whose time has
come. A poll asks with the validators of the last answer (ETag, Last-Modified), so an
unchanged source costs one small request. Feed and sitemap items go through
`services.article_submit`, the path a person's submission takes; an item is taken once per
source, an article already in the workbench (same URL or canonical URL) is linked rather
than fetched again, and the same text reached by another address is merged at ingestion
(`services.article_ingest`). ClaimReview feeds go through `external`'s import. What an
answer says (feed, sitemap and listing-page reading) is in `sources.reading`.

A source that cannot be read backs off: each failure in a row doubles the wait, up to a day,
and the source says why and until when.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import external, jobs, services
from ..fetch import FetchError, fetch, fetch_if_changed
from ..models import Article, Source, SourceItem
from .reading import MAX_BYTES, Entry, SourceUnreadable, feed_entries, item_url, listing_links, sitemap_entries

log = logging.getLogger(__name__)

MAX_ITEMS = 500  # per poll: a feed listing more is read from its top
MAX_CHILD_SITEMAPS = 5  # per poll of a sitemap index, the most recently changed first
# Fact-check pages read per poll of a listing page: with the listing, at most 16 requests of
# FETCH_TIMEOUT_SECONDS each, within the poll job's time limit (claims.tasks.poll_source).
MAX_LISTING_PAGES = 15
MAX_FAILED_SHOWN = 50
MAX_BACKOFF = datetime.timedelta(days=1)
FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
SITEMAP_ACCEPT = "application/xml,text/xml;q=0.9,*/*;q=0.5"
CLAIMREVIEW_ACCEPT = external.ACCEPT + ",text/html;q=0.8"


@dataclass
class Poll:
    """What one poll did: the figures shown as the source's health."""

    requests: int = 0
    not_modified: bool = False
    seen: int = 0
    new: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    skipped: int = 0


def _read(source: Source, poll: Poll) -> list[Entry] | None:
    """The source's entries, or None when it has not changed since the last poll."""
    accept = FEED_ACCEPT if source.kind == Source.Kind.FEED else SITEMAP_ACCEPT
    page = fetch_if_changed(
        source.url, etag=source.etag, last_modified=source.last_modified, accept=accept, max_bytes=MAX_BYTES
    )
    poll.requests += 1
    if page.not_modified:
        return None
    source.etag, source.last_modified = page.etag[:300], page.last_modified[:100]
    if source.kind == Source.Kind.FEED:
        kind = f"{page.content_type}; charset={page.charset}" if page.charset else page.content_type
        return feed_entries(page.content, base_url=page.url, content_type=kind)
    entries, children = sitemap_entries(page.content)
    for url in _children_to_read(source, children):
        poll.requests += 1
        try:
            child = fetch(urljoin(page.url, url), accept=SITEMAP_ACCEPT, max_bytes=MAX_BYTES)
            entries += sitemap_entries(child.content)[0]
        except (FetchError, SourceUnreadable) as exc:
            poll.failed.append({"url": url[:2000], "reason": f"This sitemap could not be read: {exc}"})
    return entries


def _children_to_read(source: Source, children: list[tuple[str, datetime.datetime | None]]) -> list[str]:
    """The sitemaps of an index to read in this poll, moving `source.sitemap_cursor` on.

    The first poll reads the most recently changed ones (an index also lists years of
    archives); later polls read those changed since the cursor, oldest first, so a burst of
    changes is read over several polls and none is lost. Sitemaps without a date are read
    when the index changed and the poll has room for them."""
    dated = sorted((when, url) for url, when in children if when is not None)
    undated = [url for url, when in children if when is None]
    cursor = source.sitemap_cursor
    if cursor is None:
        chosen = [url for _, url in dated[-MAX_CHILD_SITEMAPS:]]
        source.sitemap_cursor = dated[-1][0] if dated else None
    else:
        changed = [(when, url) for when, url in dated if when > cursor]
        taken = changed[:MAX_CHILD_SITEMAPS]
        chosen = [url for _, url in taken]
        if taken:
            source.sitemap_cursor = taken[-1][0]
        if len(changed) > len(taken):
            source.etag = source.last_modified = ""  # the index is read again next time
    return chosen + undated[: max(0, MAX_CHILD_SITEMAPS - len(chosen))]


def _take(source: Source, entries: list[Entry], poll: Poll) -> None:
    """Submit the entries this source has not listed before."""
    urls: dict[str, Entry] = {}
    for entry in entries[:MAX_ITEMS]:
        try:
            urls.setdefault(item_url(entry.url), entry)
        except ValidationError as exc:
            poll.failed.append({"url": entry.url[:2000], "reason": " ".join(exc.messages)})
    poll.seen = len(urls) + len(poll.failed)
    known = set(SourceItem.objects.filter(source=source, url__in=list(urls)).values_list("url", flat=True))
    fresh = [url for url in urls if url not in known]
    if not fresh:
        return
    # Already in the workbench, by its address or the address its page names as its own.
    existing: dict[str, int] = {}
    for pk, url, canonical in Article.objects.filter(Q(url__in=fresh) | Q(canonical_url__in=fresh)).values_list(
        "pk", "url", "canonical_url"
    ):
        existing.setdefault(url, pk)
        existing.setdefault(canonical, pk)
    linked = []
    for url in fresh:
        entry = urls[url]
        if url in existing:
            linked.append(SourceItem(source=source, url=url, article_id=existing[url]))
            continue
        try:
            # The item is recorded with its article before the ingestion job can start, so
            # the job knows the article came from a source.
            with transaction.atomic():
                submission = services.article_submit(url=url, title=entry.title)
                if submission.created:
                    Article.objects.filter(pk=submission.article.pk).update(
                        outlet=source.outlet, language=source.language, published_at=entry.published_at
                    )
                SourceItem.objects.get_or_create(source=source, url=url, defaults={"article": submission.article})
        except ValidationError as exc:
            poll.failed.append({"url": url, "reason": " ".join(exc.messages)})
            continue
        poll.new += submission.created
    SourceItem.objects.bulk_create(linked, ignore_conflicts=True)


def _read_claimreview(source: Source, poll: Poll) -> None:
    """A ClaimReview feed: JSON-LD, a DataFeed, a page carrying ClaimReview, or a
    fact-checker's listing page whose linked fact-check pages carry it."""
    page = fetch_if_changed(
        source.url,
        etag=source.etag,
        last_modified=source.last_modified,
        accept=CLAIMREVIEW_ACCEPT,
        max_bytes=external.MAX_BYTES,
    )
    poll.requests += 1
    if page.not_modified:
        poll.not_modified = True
        return
    source.etag, source.last_modified = page.etag[:300], page.last_modified[:100]
    text = external.source_decode(page.content)
    try:
        items = external.claimreview_parse(text, base_url=page.url)
    except external.SourceError:
        if not external.is_page(text):
            raise
        items = _listing_items(source, text, page.url, poll)
    run = external.claimreview_import_items(items=items, source_url=page.url, filename=source.name)
    poll.seen, poll.new, poll.skipped = run.total, run.created, poll.skipped + run.skipped
    poll.failed += [{"url": r.get("url", ""), "reason": r.get("reason", "")} for r in run.report]


def _listing_items(source: Source, html: str, base_url: str, poll: Poll) -> list:
    """The ClaimReview of the fact-check pages a listing links to that this source has not
    read before (each page read once; a page without ClaimReview counts as skipped)."""
    links = listing_links(html, base_url=base_url)
    if not links:
        raise SourceUnreadable("The page has no ClaimReview and links to no fact-check pages.")
    known = set(SourceItem.objects.filter(source=source, url__in=links).values_list("url", flat=True))
    items, read = [], []
    for url in [link for link in links if link not in known][:MAX_LISTING_PAGES]:
        poll.requests += 1
        try:
            page = fetch(url, max_bytes=external.MAX_BYTES)
            items += external.claimreview_parse(external.source_decode(page.content), base_url=page.url)
        except FetchError as exc:
            poll.failed.append({"url": url, "reason": str(exc)})
            if exc.transient:
                continue  # tried again at the next poll
        except external.SourceError:
            poll.skipped += 1
        read.append(SourceItem(source=source, url=url))
    SourceItem.objects.bulk_create(read, ignore_conflicts=True)
    return items


def source_poll(*, source_id: int) -> Poll | None:
    """Poll one source now and record its health. Returns None when the source is gone or
    paused. Never raises for what the source answers: failures are recorded and backed off."""
    source = Source.objects.filter(pk=source_id, active=True).first()
    if source is None:
        return None
    poll = Poll()
    now = timezone.now()
    source.last_polled_at = now
    try:
        if source.kind == Source.Kind.CLAIMREVIEW:
            _read_claimreview(source, poll)
        else:
            entries = _read(source, poll)
            if entries is None:
                poll.not_modified = True
            else:
                _take(source, entries, poll)
    except (FetchError, SourceUnreadable, external.SourceError) as exc:
        _record_failure(source, str(exc), now)
        return poll
    except SoftTimeLimitExceeded:
        _record_failure(source, "The poll took longer than its time limit and was stopped.", now)
        return poll
    except Exception:  # a parser's bug: recorded, never silent
        log.exception("polling source %s failed", source_id)
        _record_failure(source, "An internal error stopped this poll; it has been logged.", now)
        return poll
    source.failures, source.last_error, source.last_success_at = 0, "", now
    source.next_poll_at = now + datetime.timedelta(minutes=source.interval_minutes)
    if poll.not_modified:
        source.items_seen = source.items_new = source.items_failed = 0
        source.failed_items = []
        source.last_status = "Not changed since the last poll."
    else:
        source.items_seen, source.items_new, source.items_failed = poll.seen, poll.new, len(poll.failed)
        source.failed_items = poll.failed[:MAX_FAILED_SHOWN]
        source.last_status = _summary(poll)
    source.save()
    return poll


def _summary(poll: Poll) -> str:
    text = f"{poll.seen} items read, {poll.new} new, {len(poll.failed)} failed"
    if poll.skipped:
        text += f", {poll.skipped} other nodes skipped"
    return text + "."


def backoff(*, interval_minutes: int, failures: int) -> datetime.timedelta:
    """The wait after `failures` failed polls in a row: the interval, doubled per failure
    after the first, at most a day."""
    wait = datetime.timedelta(minutes=interval_minutes) * 2 ** min(failures - 1, 10)
    return min(wait, max(MAX_BACKOFF, datetime.timedelta(minutes=interval_minutes)))


def _record_failure(source: Source, reason: str, now: datetime.datetime) -> None:
    source.failures += 1
    wait = backoff(interval_minutes=source.interval_minutes, failures=source.failures)
    source.next_poll_at = now + wait
    times = "once" if source.failures == 1 else f"{source.failures} times in a row"
    backing = " (backing off)" if wait > datetime.timedelta(minutes=source.interval_minutes) else ""
    source.last_error = (
        f"{reason} The poll failed {times}; next try at {source.next_poll_at:%Y-%m-%d %H:%M} UTC{backing}."
    )
    source.last_status = "Failed."
    source.items_seen = source.items_new = source.items_failed = 0
    source.failed_items = []
    source.save()


def sources_poll_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Claim the sources that are due (moving their next poll one interval on, so the next
    run of the periodic job does not queue them again) and return their ids to poll."""
    now = now or timezone.now()
    due = list(Source.objects.due(now).values_list("pk", "interval_minutes"))
    ids = []
    for pk, minutes in due:
        # Only one runner claims a source, however many beat ticks overlap.
        claimed = Source.objects.filter(pk=pk, next_poll_at__lte=now).update(
            next_poll_at=now + datetime.timedelta(minutes=minutes)
        )
        if claimed:
            ids.append(pk)
            jobs.enqueue("poll_source", pk)
    return ids


def source_pause(*, source: Source, active: bool) -> None:
    """Pause or resume polling; a resumed source is polled at the next tick."""
    source.active = active
    fields = ["active"]
    if active:
        source.next_poll_at, source.failures = timezone.now(), 0
        fields += ["next_poll_at", "failures"]
    source.save(update_fields=fields)
