"""Reading other fact-checkers' ClaimReview as they publish it.

A source (an uploaded file, a feed, a fact-check page) becomes a list of items: a single
ClaimReview, a list of them, an `@graph`, a schema.org DataFeed, JSON Lines, an API
response that wraps its list under `data`, `items` or `results`, or an HTML page whose
JSON-LD, microdata and RDFa are read with extruct. Nodes of a page's graph that are not
ClaimReview (the article, its breadcrumbs, the publisher) are skipped, not refused.

Each item is then checked on its own (`claimreview_fields`, in `external.claimreview_fields`).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..fetch import fetch

MAX_BYTES = 20 * 1024 * 1024
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
class BadLine:
    """A line of a JSON Lines text that is not JSON: refused alone when its item is checked."""

    reason: str


def _json_lines(text: str) -> list[Any] | None:
    """The items of a JSON Lines text, or None when it is not one. A line that is not JSON
    becomes a `BadLine` so it is refused alone."""
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
        except ValueError as exc:  # a JSONDecodeError, or a number too long to convert
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            items.append(BadLine(f"line {n} is not valid JSON ({reason})"))
        except RecursionError:
            items.append(BadLine(f"line {n} is nested too deeply"))
    return items


def node_types(node: dict) -> set[str]:
    """A node's schema.org types, however written (`ClaimReview`, `schema:ClaimReview`, a URL)."""
    kind = node.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].removeprefix("schema:") for k in kinds}


@dataclass(frozen=True)
class Skipped:
    """A node of a page's graph that is not a ClaimReview (a NewsArticle, a BreadcrumbList):
    counted as skipped, not refused."""

    kinds: str


# Keys under which an API response wraps its list of items.
WRAPPERS = ("data", "items", "results")
# Where another node of a page holds its ClaimReview (a NewsArticle's review, a page's mainEntity).
NESTING = ("mainEntity", "review", "hasPart", "subjectOf", "about")


def _nested_reviews(node: dict, depth: int = 0) -> list[dict]:
    found = []
    for key in NESTING:
        value = node.get(key)
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict):
                if "ClaimReview" in node_types(child):
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
    kinds = node_types(node)
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
        nested: list[Any] = _nested_reviews(node)
        return nested or [Skipped(", ".join(sorted(kinds)))]
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
    if not any(not isinstance(item, Skipped) for item in items):
        raise SourceError("The HTML page has no ClaimReview in its JSON-LD, microdata or RDFa.")
    return items


def claimreview_parse(text: str, *, base_url: str = "") -> list[Any]:
    """The items of a source, in order (not yet checked); nodes of a page's graph that are
    not ClaimReview come back as `Skipped`. Raises SourceError when the text is neither
    JSON, JSON Lines nor an HTML page."""
    if is_page(text):
        return _page_items(text, base_url or page_base_url(text))
    try:
        document = json.loads(text)
    except RecursionError:
        raise SourceError("The file is not valid JSON: it is nested too deeply. Nothing was imported.") from None
    except ValueError as exc:
        document = _json_lines(text)
        if document is None:
            decoding = exc if isinstance(exc, json.JSONDecodeError) else None
            where = f" (line {decoding.lineno}, column {decoding.colno})" if decoding and decoding.lineno else ""
            message = getattr(exc, "msg", str(exc))
            raise SourceError(f"The file is not valid JSON{where}: {message}. Nothing was imported.") from None
    items = _unwrap(document)
    if not items:
        raise SourceError("The file holds no ClaimReview items.")
    return items
