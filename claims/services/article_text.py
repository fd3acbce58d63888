"""Article text: decoding, cleaning and size checks; HTML to text and metadata (trafilatura);
URLs normalised so one page submitted twice is one article."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit, urlunsplit

import trafilatura
from charset_normalizer import from_bytes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from trafilatura.settings import Document

from ..metadata import byline_clean, page_published_at, title_trim


def clean_text(text: str) -> str:
    """Normalise line ends and drop NUL characters (PostgreSQL text cannot hold them)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


def content_hash(text: str) -> str:
    """Identical articles hash alike whatever their spacing or case."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest()


def check_size(data: str | bytes) -> None:
    size = len(data.encode() if isinstance(data, str) else data)
    limit = settings.ARTICLE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"The article is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB.",
            code="too_large",
        )


DETECTION_SAMPLE_BYTES = 256 * 1024


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes of unknown encoding to text: the declared charset, then UTF-8, then detection.
    Refuses binary files rather than storing garbage."""
    if b"\x00" in data[:4096]:
        raise ValidationError("This file is binary, not text or HTML.", code="binary")
    for encoding in (declared, "utf-8"):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    # Detection on a sample: on a whole 10 MB file it takes seconds.
    best = from_bytes(data[:DETECTION_SAMPLE_BYTES]).best()
    if best is None:
        raise ValidationError("The file's characters are in no encoding we recognise.", code="encoding")
    return data.decode(best.encoding, errors="replace").replace("\x00", "")


# Fewer words than this, taken from a web page, is a menu or an error page, not an article.
MIN_ARTICLE_WORDS = 12


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str = ""
    byline: str = ""
    outlet: str = ""
    language: str = ""
    published_at: datetime.datetime | None = None
    canonical_url: str = ""


def html_to_article(html: str, *, url: str = "") -> Extracted:
    """Main text and metadata of an HTML page, by trafilatura; the metadata cleaned by
    `claims.metadata` (publication moment, title without the site's name, byline)."""
    doc = cast(
        "Document | None",  # a dict only when asked for one (as_dict)
        trafilatura.bare_extraction(
            html, url=url or None, with_metadata=True, include_comments=False, include_images=False
        ),
    )
    text = clean_text(doc.text or "") if doc is not None else ""
    if doc is None or len(text.split()) < MIN_ARTICLE_WORDS:
        raise ValidationError(
            "No article text was found in this HTML (it may be a menu, an index or an empty page).",
            code="no_article",
        )
    canonical = doc.url or ""
    sitename = (doc.sitename or "").strip()
    return Extracted(
        text=text,
        title=title_trim(doc.title or "", sitename=sitename, url=canonical or url)[:500],
        byline=byline_clean(doc.author or "")[:300],
        outlet=sitename[:200],
        language=(doc.language or "")[:16],
        published_at=page_published_at(html, url=canonical or url),
        canonical_url=_canonical(canonical),
    )


def _canonical(url: str) -> str:
    """The page's own address, normalised like a submitted one, or "" when it is not one."""
    try:
        return normalize_url(url) if url and len(url) <= 2000 else ""
    except ValidationError:
        return ""


HEADLINE_MAX_CHARS = 150


def headline_of(text: str) -> str:
    """The first line of a pasted text when it reads like a headline (short, a few words,
    not a sentence ending in a full stop, and followed by more text); else ""."""
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    words = first.split()
    if not rest.strip() or not 2 <= len(words) <= 25 or len(first) > HEADLINE_MAX_CHARS:
        return ""
    if first.endswith((".", ",", ";", ":")) or first[0] in "\"'“‘«-–—":
        return ""
    return first


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith("<") and (
        "<html" in head or "<body" in head or "<p" in head or "<!doctype" in head or "<div" in head
    )


def normalize_url(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(f"{url[:200]!r} is not a valid http(s) address.", code="invalid_url") from None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))
