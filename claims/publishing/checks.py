"""The checks before publication: the ClaimReview a verdict would go out as, and what is
wrong (blocks it) or worth a look (warnings) in it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from ..models import Verdict
from .claimreview import BEST_RATING, PUBLISHED, WORST_RATING, Row, claim_review


def claim_review_preview(*, verdict: Verdict, snapshot: dict[str, Any]) -> dict[str, Any] | None:
    """The ClaimReview `verdict` would go out as if it were approved now (for the gates);
    None for a verdict not saved yet, which has nothing to publish."""
    claim = verdict.claim
    speaker = claim.speaker if claim.speaker_id else None
    rating = verdict.rating
    now = timezone.now()
    row: Row = {
        "status": PUBLISHED,
        "verdict_id": verdict.pk,
        "verdict__headline": verdict.headline,
        "verdict__claim_snapshot": snapshot,
        "verdict__rating_explanation": verdict.rating_explanation,
        "verdict__rating__label": rating.label if rating else None,
        "verdict__rating__value": rating.value if rating else None,
        "verdict__rating__description": rating.description if rating else "",
        "claim__text": claim.text,
        "claim__slug": claim.slug or f"{slugify(claim.text)[:100].rstrip('-') or 'claim'}-{claim.pk}",
        "claim__speaker_id": claim.speaker_id,
        "claim__speaker__kind": speaker.kind if speaker else None,
        "claim__speaker__name": speaker.name if speaker else None,
        "claim__speaker__role": speaker.role if speaker else "",
        "claim__speaker__wikidata_id": speaker.wikidata_id if speaker else "",
        "first_published_at": getattr(getattr(claim, "fact_check", None), "first_published_at", None) or now,
        "changed_at": now,
    }
    return claim_review(row)


def claim_review_check(review: dict[str, Any] | None, *, textual: bool = False) -> tuple[list[str], list[str]]:
    """Check a ClaimReview before it goes out: (errors, warnings). Errors are what search
    engines and partners reject (required fields, a rating that is neither on the numeric
    scale nor declared textual, a page outside our domain); warnings what they show badly."""
    if not review:
        return ["There is no ClaimReview to publish."], []
    errors: list[str] = []
    warnings: list[str] = []
    if review.get("@type") != "ClaimReview":
        errors.append("The ClaimReview has no @type ClaimReview.")
    for key, what in (("url", "url (the public page)"), ("datePublished", "datePublished")):
        if not review.get(key):
            errors.append(f"The ClaimReview has no {what}.")
    claimed = (review.get("claimReviewed") or "").strip()
    if not claimed:
        errors.append("The ClaimReview has no claimReviewed: write the statement as checked.")
    elif len(claimed) > settings.CLAIM_REVIEWED_MAX_CHARS:
        warnings.append(
            f"claimReviewed is {len(claimed)} characters; search snippets show about "
            f"{settings.CLAIM_REVIEWED_MAX_CHARS}. A shorter statement as checked reads better."
        )
    if not (review.get("author") or {}).get("name"):
        errors.append("The ClaimReview has no author (the publisher's name).")
    item = review.get("itemReviewed") or {}
    if item.get("@type") != "Claim":
        errors.append("The ClaimReview has no itemReviewed Claim.")
    else:
        if not item.get("author"):
            warnings.append("No speaker: the claim's author is left out.")
        if not item.get("datePublished"):
            warnings.append("No date for the claim: give the claim's date (or the article's).")
        if not item.get("appearance"):
            warnings.append("No appearance: give the address where the claim appeared.")
    rating = review.get("reviewRating") or {}
    label = (rating.get("alternateName") or "").strip()
    if not label or label == "Unrated":
        errors.append("The rating has no alternateName (its label): choose a rating.")
    value = rating.get("ratingValue")
    if value is None:
        if not textual:
            errors.append(
                f"The rating “{label or '?'}” has no number and is not declared textual: give it a value "
                "or mark it textual in the rating scale."
            )
    elif not isinstance(value, int | float) or not (
        rating.get("worstRating", WORST_RATING) <= value <= rating.get("bestRating", BEST_RATING)
    ):
        errors.append(f"The rating's value {value!r} is not on the scale {WORST_RATING} to {BEST_RATING}.")
    host = (urlsplit(review.get("url") or "").hostname or "").lower()
    home = (urlsplit(settings.PUBLISHER_URL).hostname or "").lower()
    if review.get("url") and not (host == home or host.endswith("." + home)):
        errors.append(f"The page address {review['url']} is not on the publisher's domain ({home}).")
    return errors, warnings
