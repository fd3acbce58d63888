"""Monitored sources: feeds, news sitemaps and ClaimReview feeds polled for new work.

`reading` says what a source's answer lists (no database, no requests); `polling` asks each
source when its time comes, submits what it lists and records the source's health. Callers
import from `claims.sources`.
"""

from __future__ import annotations

from .polling import Poll, backoff, source_pause, source_poll, sources_poll_due
from .reading import Entry, SourceUnreadable, feed_entries, item_url, listing_links, sitemap_entries

__all__ = [
    "Entry",
    "Poll",
    "SourceUnreadable",
    "backoff",
    "feed_entries",
    "item_url",
    "listing_links",
    "sitemap_entries",
    "source_pause",
    "source_poll",
    "sources_poll_due",
]
