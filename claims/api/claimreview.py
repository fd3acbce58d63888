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

from ..models import FactCheck, Speaker, Verdict

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


def with_corrections(rows: list[Row]) -> list[Row]:
    """Attach each published row's earlier versions (newest first), in one query, made only
    when a row has been corrected (its revision is above 1)."""
    ids = [row["claim_id"] for row in rows if row["status"] == PUBLISHED and (row["verdict__revision"] or 1) > 1]
    found: dict[int, list[Row]] = {pk: [] for pk in ids}
    if ids:
        earlier = (
            Verdict.objects.filter(claim_id__in=ids, state=Verdict.State.SUPERSEDED)
            .order_by("claim_id", "-revision")
            .values_list("claim_id", "revision", "published_at", "rating__label", "headline")
        )
        for claim_id, revision, published_at, rating, headline in earlier:
            found[claim_id].append(
                {"version": revision, "date_published": iso(published_at), "rating": rating, "headline": headline}
            )
    for row in rows:
        row["corrections"] = found.get(row["claim_id"], [])
    return rows


def load(pk: int) -> Row | None:
    """One fact-check's row, with its corrections (for a webhook or a page)."""
    row = FactCheck.objects.for_partners().filter(pk=pk).first()
    return with_corrections([row])[0] if row is not None else None


def review_rating(row: Row) -> dict[str, Any]:
    """The verdict's rating. Labels outside the numeric scale ("Misleading") carry only
    their name, which search engines accept."""
    label, value = row["verdict__rating__label"], row["verdict__rating__value"]
    if label is None:
        return {"@type": "Rating", "alternateName": "Unrated"}
    if value is None:
        return {"@type": "Rating", "alternateName": label}
    return {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": label,
    }


def claim_review(row: Row, url: str | None = None) -> dict[str, Any] | None:
    """The fact-check in ClaimReview form, or None once it is retracted. `url` is its
    page's address, when the caller has it already."""
    if row["status"] != PUBLISHED or row["verdict_id"] is None:
        return None
    item: dict[str, Any] = {"@type": "Claim"}
    if row["claim__speaker_id"] is not None:
        kind = "Organization" if row["claim__speaker__kind"] == Speaker.Kind.ORGANISATION else "Person"
        author: dict[str, Any] = {"@type": kind, "name": row["claim__speaker__name"]}
        if row["claim__speaker__role"]:
            author["jobTitle"] = row["claim__speaker__role"]
        if row["claim__speaker__wikidata_id"]:
            author["sameAs"] = f"https://www.wikidata.org/wiki/{row['claim__speaker__wikidata_id']}"
        item["author"] = author
    item["datePublished"] = iso(row["claim__article__published_at"] or row["claim__created_at"])
    if row["claim__article_id"] is not None and row["claim__article__url"]:
        appearance: dict[str, Any] = {"@type": "CreativeWork", "url": row["claim__article__url"]}
        if row["claim__article__title"]:
            appearance["headline"] = row["claim__article__title"]
        if row["claim__article__outlet"]:
            appearance["publisher"] = {"@type": "Organization", "name": row["claim__article__outlet"]}
        item["appearance"] = [appearance]
    return {
        "@context": SCHEMA_ORG,
        "@type": "ClaimReview",
        "url": url or page_url(row["claim__slug"]),
        "claimReviewed": row["claim__text"],
        "itemReviewed": item,
        "author": publisher(),
        "reviewRating": review_rating(row),
        "headline": row["verdict__headline"],
        "datePublished": iso(row["first_published_at"]),
        "dateModified": iso(row["changed_at"]),
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
    "corrections",
    "claim_review",
)


def _evidence(entry: dict[str, Any]) -> dict[str, str]:
    return {key: entry.get(key) or "" for key in _EVIDENCE_KEYS}


def fact_check_item(row: Row) -> dict[str, Any]:
    """One fact-check as the partner API and webhooks show it. A retracted one is a
    tombstone: its id, "retracted" and when, so a partner can delete its copy."""
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
    if row["claim__article_id"] is not None:
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
    return {
        "id": row["claim_id"],
        "status": PUBLISHED,
        "date_modified": iso(row["changed_at"]),
        "retracted_at": None,
        "url": url,
        "version": row["verdict__revision"],
        "date_published": iso(row["first_published_at"]),
        "claim": {"text": row["claim__text"], "speaker": speaker, "article": article},
        "rating": rating,
        "headline": row["verdict__headline"],
        "analysis": row["verdict__analysis"],
        "evidence": [_evidence(entry) for entry in row["verdict__evidence_snapshot"] or []],
        "corrections": row["corrections"],
        "claim_review": claim_review(row, url),
    }


def fact_check_summary(row: Row) -> dict[str, Any]:
    """A line in a speaker's list of fact-checks."""
    return {
        "id": row["claim_id"],
        "url": page_url(row["claim__slug"]),
        "claim": row["claim__text"],
        "rating": row["verdict__rating__label"],
        "headline": row["verdict__headline"],
        "date_published": iso(row["first_published_at"]),
        "date_modified": iso(row["changed_at"]),
    }
