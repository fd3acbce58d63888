"""What a published version freezes: the claim as checked (statement, date, appearance),
the evidence list, and, for a correction, what changed from the version it replaces."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ..models import Claim, Evidence, Verdict
from .claimreview import evidence_fields


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
        same = public_article if public_article is not None and public_article.url == claim.appearance_url else None
        appearance = {
            "url": claim.appearance_url,
            "title": same.title if same else "",
            "outlet": same.outlet if same else "",
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
    old = {e["url"]: evidence_fields(e) for e in previous.evidence_snapshot or []}
    new = {e["url"]: evidence_fields(e) for e in verdict.evidence_snapshot or []}
    added, removed = len(new.keys() - old.keys()), len(old.keys() - new.keys())
    edited = sum(1 for url in new.keys() & old.keys() if new[url] != old[url])
    for count, verb in ((added, "added"), (removed, "removed"), (edited, "revised")):
        if count:
            changes.append(f"{count} source{'s' if count != 1 else ''} {verb}.")
    return changes
