"""Checking one ClaimReview item, as `claimreview_read` found it in a source.

An item is refused with a reason in words, or turned into an ExternalFactCheck's fields:
the claimant however it is named, the publishing organisation rather than the journalist,
every appearance of the claim, text with its HTML entities decoded, and addresses made
absolute (https:// added to a bare host name, a relative one resolved against the page) or
refused with that reason.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.utils.dateparse import parse_date, parse_datetime

from .claimreview_read import BadLine, node_types


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
    author = item.get("author")
    authors = author if isinstance(author, list) else [author]
    for author in authors:
        if isinstance(author, dict) and "Person" not in node_types(author) and _text(author, 300):
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
    if isinstance(item, BadLine):
        raise Refused(item.reason[0].upper() + item.reason[1:] + ".")
    if not isinstance(item, dict):
        raise Refused("It is not a JSON object.")
    kinds = node_types(item)
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
    try:
        dumped = json.dumps(item, ensure_ascii=False)
        dumped.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused("It contains a lone surrogate (\\ud800 to \\udfff), which is not a character.") from None
    except RecursionError:
        raise Refused("It is nested too deeply.") from None
    if "\\u0000" in dumped:  # json escapes control characters even with ensure_ascii off
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
