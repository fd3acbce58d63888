"""A published fact-check as schema.org ClaimReview, and as one item of the partner API.

Plain functions over a `FactCheck` loaded with `FactCheck.objects.for_partners()` (and,
for `fact_check_item`, the superseded versions prefetched as `claim.corrections`): the
public page, the API and the webhooks all build their output here, so they never disagree.
Nothing here names a person of ours: reviewers and editors stay internal.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse

from ..models import FactCheck, Verdict

SCHEMA_ORG = "https://schema.org"
BEST_RATING = 5
WORST_RATING = 1


def iso(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as partners and search engines expect."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def page_url(slug: str) -> str:
    """The canonical public address of a fact-check."""
    return urljoin(settings.PUBLIC_BASE_URL, reverse("public:fact_check", args=[slug]))


def publisher() -> dict[str, Any]:
    return {"@type": "Organization", "name": settings.PUBLISHER_NAME, "url": settings.PUBLISHER_URL}


def review_rating(verdict: Verdict) -> dict[str, Any]:
    """The verdict's rating. Labels outside the numeric scale ("Misleading") carry only
    their name, which search engines accept."""
    rating = verdict.rating
    if rating is None:
        return {"@type": "Rating", "alternateName": "Unrated"}
    if rating.value is None:
        return {"@type": "Rating", "alternateName": rating.label}
    return {
        "@type": "Rating",
        "ratingValue": rating.value,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": rating.label,
    }


def claim_review(fact_check: FactCheck) -> dict[str, Any] | None:
    """The fact-check in ClaimReview form, or None once it is retracted."""
    verdict = fact_check.verdict
    if fact_check.status != FactCheck.Status.PUBLISHED or verdict is None:
        return None
    claim = fact_check.claim
    item: dict[str, Any] = {"@type": "Claim"}
    speaker = claim.speaker
    if speaker is not None:
        author: dict[str, Any] = {
            "@type": "Organization" if speaker.kind == speaker.Kind.ORGANISATION else "Person",
            "name": speaker.name,
        }
        if speaker.role:
            author["jobTitle"] = speaker.role
        if speaker.wikidata_id:
            author["sameAs"] = f"https://www.wikidata.org/wiki/{speaker.wikidata_id}"
        item["author"] = author
    article = claim.article
    said_at = (article.published_at if article is not None else None) or claim.created_at
    item["datePublished"] = iso(said_at)
    if article is not None and article.url:
        appearance: dict[str, Any] = {"@type": "CreativeWork", "url": article.url}
        if article.title:
            appearance["headline"] = article.title
        if article.outlet:
            appearance["publisher"] = {"@type": "Organization", "name": article.outlet}
        item["appearance"] = [appearance]
    return {
        "@context": SCHEMA_ORG,
        "@type": "ClaimReview",
        "url": page_url(claim.slug),
        "claimReviewed": claim.text,
        "itemReviewed": item,
        "author": publisher(),
        "reviewRating": review_rating(verdict),
        "headline": verdict.headline,
        "datePublished": iso(fact_check.first_published_at),
        "dateModified": iso(fact_check.changed_at),
    }


def _speaker(claim) -> dict[str, Any] | None:
    speaker = claim.speaker
    if speaker is None:
        return None
    return {"id": speaker.pk, "name": speaker.name, "slug": speaker.slug}


def _article(claim) -> dict[str, Any] | None:
    article = claim.article
    if article is None:
        return None
    return {
        "url": article.url or None,
        "title": article.title,
        "outlet": article.outlet,
        "published_at": iso(article.published_at),
    }


def _evidence(verdict: Verdict) -> list[dict[str, Any]]:
    keep = ("url", "title", "publisher", "excerpt", "stance", "source_kind", "archived_url")
    return [{name: str(entry.get(name) or "") for name in keep} for entry in verdict.evidence_snapshot or []]


def _rating(verdict: Verdict) -> dict[str, Any] | None:
    rating = verdict.rating
    if rating is None:
        return None
    return {"label": rating.label, "slug": rating.slug, "value": rating.value}


def correction_item(verdict: Verdict) -> dict[str, Any]:
    return {
        "version": verdict.revision,
        "date_published": iso(verdict.published_at),
        "rating": verdict.rating.label if verdict.rating is not None else None,
        "headline": verdict.headline,
    }


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


def fact_check_item(fact_check: FactCheck) -> dict[str, Any]:
    """One fact-check as the partner API and webhooks show it. A retracted one is a
    tombstone: its id, "retracted" and when, so a partner can delete its copy."""
    if fact_check.status != FactCheck.Status.PUBLISHED or fact_check.verdict is None:
        return {
            "id": fact_check.claim_id,
            "status": FactCheck.Status.RETRACTED.value,
            "date_modified": iso(fact_check.changed_at),
            "retracted_at": iso(fact_check.retracted_at or fact_check.changed_at),
            **dict.fromkeys(TOMBSTONE_FIELDS),
        }
    verdict, claim = fact_check.verdict, fact_check.claim
    corrections = getattr(claim, "corrections", None)
    if corrections is None:  # not prefetched: a single item (webhook, detail)
        corrections = list(
            claim.verdicts.filter(state=Verdict.State.SUPERSEDED).select_related("rating").order_by("-revision")
        )
    return {
        "id": fact_check.claim_id,
        "status": FactCheck.Status.PUBLISHED.value,
        "date_modified": iso(fact_check.changed_at),
        "retracted_at": None,
        "url": page_url(claim.slug),
        "version": verdict.revision,
        "date_published": iso(fact_check.first_published_at),
        "claim": {"text": claim.text, "speaker": _speaker(claim), "article": _article(claim)},
        "rating": _rating(verdict),
        "headline": verdict.headline,
        "analysis": verdict.analysis,
        "evidence": _evidence(verdict),
        "corrections": [correction_item(v) for v in corrections],
        "claim_review": claim_review(fact_check),
    }
