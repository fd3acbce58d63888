"""What a source's answer says: the items of an RSS or Atom feed, the pages of a sitemap
(or the sitemaps of an index), the fact-check links of a listing page, and an item's
address as stored. Plain reading: no database, no requests; `sources.polling` asks the
sources and stores what they list."""

from __future__ import annotations

import calendar
import datetime
import gzip
import io
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import lxml.html
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from lxml import etree

from .. import services

MAX_BYTES = 20 * 1024 * 1024
# Query parameters that only say which feed or campaign a link came from.
TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


class SourceUnreadable(Exception):
    """The source answered, but with something that is not what its kind says."""


@dataclass(frozen=True)
class Entry:
    url: str
    title: str = ""
    published_at: datetime.datetime | None = None


def _moment(parsed) -> datetime.datetime | None:
    """feedparser's dates are UTC struct_times."""
    return datetime.datetime.fromtimestamp(calendar.timegm(parsed), tz=datetime.UTC) if parsed else None


def feed_entries(content: bytes, *, base_url: str = "", content_type: str = "") -> list[Entry]:
    """The items of an RSS or Atom feed, in the feed's order (feedparser)."""
    headers = {"content-location": base_url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(content, response_headers=headers)
    if not parsed.entries and not parsed.version:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")() or "no feed items"
        raise SourceUnreadable(f"This is not an RSS or Atom feed ({reason}).")
    entries = []
    for item in parsed.entries:
        link = item.get("link") or ""
        if not link:
            links = [x.get("href") for x in item.get("links", []) if x.get("href")]
            link = links[0] if links else ""
        published = _moment(item.get("published_parsed") or item.get("updated_parsed"))
        entries.append(Entry(url=urljoin(base_url, link.strip()), title=item.get("title", ""), published_at=published))
    return entries


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def _xml(content: bytes) -> etree._Element:
    if content[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(content)) as packed:
                content = packed.read(MAX_BYTES + 1)
        except OSError as exc:
            raise SourceUnreadable(f"The gzip file cannot be read ({exc}).") from None
        if len(content) > MAX_BYTES:
            raise SourceUnreadable("The unpacked sitemap is larger than the limit.")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SourceUnreadable(f"This is not an XML sitemap ({exc.msg}).") from None


def _date(text: str | None) -> datetime.datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = parse_datetime(text) or parse_datetime(text[:10] + "T00:00:00+00:00")
    except ValueError:
        return None
    if moment and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def sitemap_entries(content: bytes) -> tuple[list[Entry], list[tuple[str, datetime.datetime | None]]]:
    """A sitemap's pages, or a sitemap index's sitemaps (with their lastmod), by lxml."""
    root = _xml(content)
    local = etree.QName(root).localname
    if local == "sitemapindex":
        children = []
        for node in root.iterfind(f"{{{SITEMAP_NS}}}sitemap"):
            loc = node.findtext(f"{{{SITEMAP_NS}}}loc")
            if loc:
                children.append((loc.strip(), _date(node.findtext(f"{{{SITEMAP_NS}}}lastmod"))))
        return [], children
    if local != "urlset":
        raise SourceUnreadable(f"This XML is a <{local}>, not a sitemap (<urlset> or <sitemapindex>).")
    entries = []
    for node in root.iterfind(f"{{{SITEMAP_NS}}}url"):
        loc = (node.findtext(f"{{{SITEMAP_NS}}}loc") or "").strip()
        if not loc:
            continue
        news = node.find(f"{{{NEWS_NS}}}news")
        title = news.findtext(f"{{{NEWS_NS}}}title", "") if news is not None else ""
        published = news.findtext(f"{{{NEWS_NS}}}publication_date") if news is not None else None
        when = _date(published) or _date(node.findtext(f"{{{SITEMAP_NS}}}lastmod"))
        entries.append(Entry(url=loc, title=" ".join(title.split()), published_at=when))
    return entries, []


def item_url(url: str) -> str:
    """An item's address as stored: normalised, without fragment and tracking parameters,
    so one story linked from two feeds with different campaign tags is one address."""
    url = services.normalize_url(url)
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith(TRACKING)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


# Paths of a listing page's links that are not fact-checks.
NOT_ARTICLES = re.compile(
    r"/(tags?|category|categories|author|authors|page|search|topics?|about|contact|login|feed|newsletter)(/|$)"
    r"|\.(jpe?g|png|gif|svg|webp|pdf|css|js|xml|rss|json)$",
    re.I,
)


def listing_links(html: str, *, base_url: str) -> list[str]:
    """The links of a fact-checker's listing page that look like articles: same site, an
    address ending in a slug or a number, not a tag, author or pagination page."""
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    host, found = urlsplit(base_url).hostname, []
    for href in tree.xpath("//a/@href"):
        url = urljoin(base_url, str(href).strip())
        parts = urlsplit(url)
        path = parts.path.rstrip("/")
        last = path.rsplit("/", 1)[-1]
        if parts.scheme not in ("http", "https") or parts.hostname != host or not path or NOT_ARTICLES.search(path):
            continue
        if last.count("-") < 2 and not any(ch.isdigit() for ch in last):
            continue
        try:
            url = item_url(url)
        except ValidationError:
            continue
        if url not in found and url != item_url(base_url):
            found.append(url)
    return found
