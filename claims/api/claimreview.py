"""A published fact-check as schema.org ClaimReview, and as one item of the partner API.

Plain functions over the rows of `FactCheck.objects.for_partners()` (dicts keyed by ORM
path): the public page, the API and the webhooks all build their output here, so they
never disagree. Rows carry nothing about our people, so nothing here can leak them.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from ..models import Claim, Evidence, FactCheck, Speaker, Verdict

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


# The claim as checked, frozen with each published version ---------------------------------


def claim_statement(claim: Claim) -> str:
    """What the fact-check says was claimed: the statement written by the fact-checker, else
    the quote inside the sentence (without the attribution and quotation marks), else the
    sentence as found."""
    if claim.statement.strip():
        return claim.statement.strip()
    quote = claim.quote if claim.quote_id else None
    if quote is not None and quote.text.strip() and quote.text.strip() in claim.text and quote.text != claim.text:
        return quote.text.strip()
    return claim.text.strip().strip('“”"').strip()


def claim_snapshot(claim: Claim) -> dict[str, Any]:
    """The claim as the public record shows it (statement, date, where it appeared), frozen
    into a verdict when it is published. The article is the default date and appearance;
    an internal article (pasted, embargoed) is never named."""
    article = claim.article if claim.article_id else None
    public_article = article if article is not None and not article.internal else None
    day = claim.claim_date
    if day is None and article is not None and article.published_at is not None:
        day = timezone.localdate(article.published_at)
    appearance = None
    if claim.appearance_url:
        same = public_article is not None and public_article.url == claim.appearance_url
        appearance = {
            "url": claim.appearance_url,
            "title": public_article.title if same else "",
            "outlet": public_article.outlet if same else "",
        }
    elif public_article is not None and public_article.url:
        appearance = {"url": public_article.url, "title": public_article.title, "outlet": public_article.outlet}
    return {
        "statement": claim_statement(claim),
        "sentence": claim.text,
        "date": day.isoformat() if day else None,
        "appearance": appearance,
        "first_appearance_url": claim.first_appearance_url or None,
    }


def evidence_entry(evidence: Evidence) -> dict[str, Any]:
    """One piece of evidence as frozen with a published version."""
    return {
        "url": evidence.url,
        "title": evidence.title,
        "publisher": evidence.publisher,
        "excerpt": evidence.excerpt,
        "stance": evidence.stance,
        "source_kind": evidence.source_kind,
        "accessed_at": evidence.accessed_at.isoformat(),
        "archived_url": evidence.archived_url,
    }


def changes_between(previous: Verdict, verdict: Verdict) -> list[str]:
    """What a correction changed, in words, for partners and the public page."""
    changes = []
    if previous.rating_id != verdict.rating_id:
        changes.append(f"Rating changed from {previous.rating or 'unrated'} to {verdict.rating or 'unrated'}.")
    if previous.headline != verdict.headline:
        changes.append("Headline revised.")
    if previous.analysis != verdict.analysis:
        changes.append("Analysis revised.")
    before, after = previous.claim_snapshot or {}, verdict.claim_snapshot or {}
    if before and before.get("statement") != after.get("statement"):
        changes.append("The claim as checked was reworded.")
    if before and (before.get("date"), before.get("appearance")) != (after.get("date"), after.get("appearance")):
        changes.append("The claim's date or where it appeared was corrected.")
    old = {e["url"]: _evidence(e) for e in previous.evidence_snapshot or []}
    new = {e["url"]: _evidence(e) for e in verdict.evidence_snapshot or []}
    added, removed = len(new.keys() - old.keys()), len(old.keys() - new.keys())
    edited = sum(1 for url in new.keys() & old.keys() if new[url] != old[url])
    for count, verb in ((added, "added"), (removed, "removed"), (edited, "revised")):
        if count:
            changes.append(f"{count} source{'s' if count != 1 else ''} {verb}.")
    return changes


def claim_review_preview(*, verdict: Verdict, snapshot: dict[str, Any]) -> dict[str, Any]:
    """The ClaimReview `verdict` would go out as if it were approved now (for the gates)."""
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


def with_corrections(rows: list[Row]) -> list[Row]:
    """Attach each published row's earlier versions (newest first), in one query, made only
    when a row has been corrected (its revision is above 1)."""
    ids = [row["claim_id"] for row in rows if row["status"] == PUBLISHED and (row["verdict__revision"] or 1) > 1]
    found: dict[int, list[Row]] = {pk: [] for pk in ids}
    if ids:
        earlier = (
            Verdict.objects.filter(claim_id__in=ids, state=Verdict.State.SUPERSEDED)
            .order_by("claim_id", "-revision")
            .values_list("claim_id", "revision", "published_at", "rating__label", "headline", "changes")
        )
        for claim_id, revision, published_at, rating, headline, changes in earlier:
            found[claim_id].append(
                {
                    "version": revision,
                    "date_published": iso(published_at),
                    "rating": rating,
                    "headline": headline,
                    "changes": changes or [],
                }
            )
    for row in rows:
        row["corrections"] = found.get(row["claim_id"], [])
    return rows


def load(pk: int) -> Row | None:
    """One fact-check's row, with its corrections (for a webhook or a page)."""
    row = FactCheck.objects.for_partners().filter(pk=pk).first()
    return with_corrections([row])[0] if row is not None else None


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


def _evidence(entry: dict[str, Any]) -> dict[str, str]:
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
        "evidence": [_evidence(entry) for entry in row["verdict__evidence_snapshot"] or []],
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
