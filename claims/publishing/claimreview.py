"""A published fact-check as schema.org ClaimReview, and as one item of the partner API.

Plain functions over the rows of `FactCheck.objects.for_partners()` (dicts keyed by ORM
path): the public page, the API and the webhooks all build their output here, so they
never disagree. Rows carry nothing about our people, so nothing here can leak them.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from ..models import FactCheck, Speaker

Row = dict[str, Any]

SCHEMA_ORG = "https://schema.org"
BEST_RATING = 5
WORST_RATING = 1
PUBLISHED = FactCheck.Status.PUBLISHED.value
RETRACTED = FactCheck.Status.RETRACTED.value


def iso(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as partners and search engines expect."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


_SLUG = "--slug--"


@functools.cache
def _constants() -> tuple[str, dict[str, Any]]:
    """The page address pattern and the publisher, read from settings once, not for every
    item: a page of 100 would otherwise spend more time in settings and URL resolution
    than reading the database. Reset when a setting changes (tests)."""
    pattern = urljoin(settings.PUBLIC_BASE_URL, reverse("public:fact_check", args=[_SLUG]))
    organisation = {"@type": "Organization", "name": settings.PUBLISHER_NAME, "url": settings.PUBLISHER_URL}
    return pattern, organisation


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    _constants.cache_clear()


def page_url(slug: str) -> str:
    """The canonical public address of a fact-check."""
    return _constants()[0].replace(_SLUG, slug)


def publisher() -> dict[str, Any]:
    """The publishing organisation (shared: do not modify it)."""
    return _constants()[1]


def rating_scale_url() -> str:
    return urljoin(settings.PUBLIC_BASE_URL, reverse("public:rating_scale"))


def review_rating(row: Row) -> dict[str, Any]:
    """The verdict's rating. Labels outside the numeric scale ("Misleading") are declared
    textual and carry their name; each carries an explanation: the verdict's own, else the
    scale's (the rating scale page explains every step)."""
    label, value = row["verdict__rating__label"], row["verdict__rating__value"]
    if label is None:
        return {"@type": "Rating", "alternateName": "Unrated"}
    rating: dict[str, Any] = {"@type": "Rating"}
    if value is not None:
        rating.update(ratingValue=value, bestRating=BEST_RATING, worstRating=WORST_RATING)
    rating["alternateName"] = label
    explanation = (row.get("verdict__rating_explanation") or row.get("verdict__rating__description") or "").strip()
    if explanation:
        rating["ratingExplanation"] = explanation
    return rating


def _claim_item(row: Row, snapshot: dict[str, Any]) -> dict[str, Any]:
    """itemReviewed: the claim, who made it, when and where (from the frozen snapshot)."""
    item: dict[str, Any] = {"@type": "Claim"}
    if row["claim__speaker_id"] is not None:
        kind = "Organization" if row["claim__speaker__kind"] == Speaker.Kind.ORGANISATION else "Person"
        author: dict[str, Any] = {"@type": kind, "name": row["claim__speaker__name"]}
        if row["claim__speaker__role"]:
            author["jobTitle"] = row["claim__speaker__role"]
        if row["claim__speaker__wikidata_id"]:
            author["sameAs"] = f"https://www.wikidata.org/wiki/{row['claim__speaker__wikidata_id']}"
        item["author"] = author
    if snapshot["date"]:
        item["datePublished"] = snapshot["date"]
    if snapshot["appearance"]:
        appearance: dict[str, Any] = {"@type": "CreativeWork", "url": snapshot["appearance"]["url"]}
        if snapshot["appearance"].get("title"):
            appearance["headline"] = snapshot["appearance"]["title"]
        if snapshot["appearance"].get("outlet"):
            appearance["publisher"] = {"@type": "Organization", "name": snapshot["appearance"]["outlet"]}
        item["appearance"] = [appearance]
    if snapshot.get("first_appearance_url"):
        item["firstAppearance"] = {"@type": "CreativeWork", "url": snapshot["first_appearance_url"]}
    return item


def frozen_claim(row: Row, zone: datetime.tzinfo | None = None) -> dict[str, Any]:
    """The claim as checked of the published version (statement, date, appearance).
    Versions published before claims were frozen fall back to the claim's own text and
    article, dated in `zone` (the current time zone when not given: a list passes it
    once rather than looking it up for each item)."""
    snapshot = row.get("verdict__claim_snapshot")
    if snapshot:
        return snapshot
    appearance = None
    if row.get("claim__article_id") is not None and row.get("claim__article__url"):
        appearance = {
            "url": row["claim__article__url"],
            "title": row.get("claim__article__title") or "",
            "outlet": row.get("claim__article__outlet") or "",
        }
    published = row.get("claim__article__published_at")
    return {
        "statement": row["claim__text"],
        "date": (published.astimezone(zone).date() if zone else timezone.localdate(published)).isoformat()
        if published
        else None,
        "appearance": appearance,
        "first_appearance_url": None,
    }


def claim_review(row: Row, url: str | None = None) -> dict[str, Any] | None:
    """The fact-check in ClaimReview form, or None once it is retracted. `url` is its
    page's address, when the caller has it already."""
    if row["status"] != PUBLISHED or row["verdict_id"] is None:
        return None
    return _claim_review(row, url, frozen_claim(row), iso(row["first_published_at"]), iso(row["changed_at"]))


def _claim_review(
    row: Row, url: str | None, snapshot: dict[str, Any], published: str | None, modified: str | None
) -> dict[str, Any]:
    """claim_review's body, given what an API item has already worked out (the frozen
    claim and the two dates: a page of 100 spent more on them than on the rest)."""
    return {
        "@context": SCHEMA_ORG,
        "@type": "ClaimReview",
        "url": url or page_url(row["claim__slug"]),
        "claimReviewed": snapshot["statement"],
        "itemReviewed": _claim_item(row, snapshot),
        "author": publisher(),
        "reviewRating": review_rating(row),
        "headline": row["verdict__headline"],
        "datePublished": published,
        "dateModified": modified,
    }


_EVIDENCE_KEYS = ("url", "title", "publisher", "excerpt", "stance", "source_kind", "archived_url")
TOMBSTONE_FIELDS = (
    "url",
    "version",
    "date_published",
    "claim",
    "rating",
    "headline",
    "analysis",
    "evidence",
    "changes",
    "corrections",
    "claim_review",
)


def evidence_fields(entry: dict[str, Any]) -> dict[str, str]:
    return {key: entry.get(key) or "" for key in _EVIDENCE_KEYS}


def fact_check_items(rows: list[Row]) -> list[dict[str, Any]]:
    """A page of `fact_check_item`s."""
    zone = timezone.get_current_timezone()
    return [fact_check_item(row, zone) for row in rows]


def fact_check_item(row: Row, zone: datetime.tzinfo | None = None) -> dict[str, Any]:
    """One fact-check as the partner API and webhooks show it. A retracted one is a
    tombstone: its id, "retracted" and when, so a partner can delete its copy. `zone`:
    see `frozen_claim`."""
    if row["status"] != PUBLISHED or row["verdict_id"] is None:
        return {
            "id": row["claim_id"],
            "status": RETRACTED,
            "date_modified": iso(row["changed_at"]),
            "retracted_at": iso(row["retracted_at"] or row["changed_at"]),
            **dict.fromkeys(TOMBSTONE_FIELDS),
        }
    speaker = None
    if row["claim__speaker_id"] is not None:
        speaker = {
            "id": row["claim__speaker_id"],
            "name": row["claim__speaker__name"],
            "slug": row["claim__speaker__slug"],
        }
    article = None
    if row["claim__article_id"] is not None and not row.get("claim__article__internal"):
        article = {
            "url": row["claim__article__url"] or None,
            "title": row["claim__article__title"],
            "outlet": row["claim__article__outlet"],
            "published_at": iso(row["claim__article__published_at"]),
        }
    rating = None
    if row["verdict__rating__label"] is not None:
        rating = {
            "label": row["verdict__rating__label"],
            "slug": row["verdict__rating__slug"],
            "value": row["verdict__rating__value"],
        }
    url = page_url(row["claim__slug"])
    snapshot = frozen_claim(row, zone)
    published, modified = iso(row["first_published_at"]), iso(row["changed_at"])
    return {
        "id": row["claim_id"],
        "status": PUBLISHED,
        "date_modified": modified,
        "retracted_at": None,
        "url": url,
        "version": row["verdict__revision"],
        "date_published": published,
        "claim": {
            "text": snapshot["statement"],
            "speaker": speaker,
            "article": article,
            "date": snapshot["date"],
            "appearance": (snapshot["appearance"] or {}).get("url"),
        },
        "rating": rating,
        "headline": row["verdict__headline"],
        "analysis": row["verdict__analysis"],
        "evidence": [evidence_fields(entry) for entry in row["verdict__evidence_snapshot"] or []],
        "changes": row.get("verdict__changes") or [],
        "corrections": row["corrections"],
        "claim_review": _claim_review(row, url, snapshot, published, modified),
    }


def fact_check_summary(row: Row) -> dict[str, Any]:
    """A line in a speaker's list of fact-checks."""
    return {
        "id": row["claim_id"],
        "url": page_url(row["claim__slug"]),
        "claim": frozen_claim(row)["statement"],
        "rating": row["verdict__rating__label"],
        "headline": row["verdict__headline"],
        "date_published": iso(row["first_published_at"]),
        "date_modified": iso(row["changed_at"]),
    }
