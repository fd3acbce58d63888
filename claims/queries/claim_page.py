"""The claim page: the claim with what surrounds it, its verdicts and its place in the article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from ..models import (
    Claim,
    ClaimMatch,
    Comment,
    Evidence,
    ExternalMatch,
    Verdict,
    VerdictVote,
)


def figures_stated_differently(claim: Claim) -> list[dict[str, Any]]:
    """The article's inconsistencies (one quantity stated differently, e.g. 68%, 67.6% and
    67.65%) that touch this claim: one of their mentions lies in the claim's span."""
    if claim.article is None or claim.start is None:
        return []
    return [
        item
        for item in claim.article.inconsistencies
        if any(claim.start <= m.get("start", -1) < claim.end for m in item.get("mentions", []))
    ]


def claim_for_page(pk: int) -> Claim:
    """A claim with everything its page shows, fetched in a fixed number of queries."""
    published = Verdict.objects.published().select_related("rating")
    return (
        Claim.objects.with_related()
        .select_related("quote", "duplicate_of")
        .prefetch_related(
            Prefetch(
                "verdicts",
                queryset=Verdict.objects.select_related(
                    "rating", "author", "approver", "last_edited_by"
                ).prefetch_related(Prefetch("votes", queryset=VerdictVote.objects.select_related("editor", "rating"))),
            ),
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
            Prefetch(
                "matches",
                queryset=ClaimMatch.objects.select_related("earlier__speaker")
                .prefetch_related(Prefetch("earlier__verdicts", queryset=published, to_attr="published"))
                .order_by("-score"),
            ),
            Prefetch("external_matches", queryset=ExternalMatch.objects.select_related("external").order_by("-score")),
        )
        .get(pk=pk)
    )


def open_verdict(claim: Claim) -> Verdict | None:
    """The verdict being worked on (draft, submitted or returned), from the prefetch."""
    open_states = (Verdict.State.DRAFT, Verdict.State.SUBMITTED, Verdict.State.RETURNED)
    return next((v for v in claim.verdicts.all() if v.state in open_states), None)


def published_verdict(claim: Claim) -> Verdict | None:
    return next((v for v in claim.verdicts.all() if v.state == Verdict.State.PUBLISHED), None)


CONTEXT_CHARS = 600


@dataclass(frozen=True)
class Context:
    """A window of the article around the claim: text before, the claim's span, after."""

    before: str
    span: str
    after: str
    cut_before: bool
    cut_after: bool


def claim_context(claim: Claim, chars: int = CONTEXT_CHARS) -> Context | None:
    article = claim.article
    if article is None or claim.start is None or claim.end is None or claim.end > len(article.body):
        return None
    body = article.body
    first = max(0, claim.start - chars)
    last = min(len(body), claim.end + chars)
    # Start and end on a paragraph or at least a word boundary so the window reads well.
    paragraph = body.rfind("\n", first, claim.start)
    if paragraph != -1:
        first = paragraph + 1
    elif first > 0:
        space = body.find(" ", first, claim.start)
        first = space + 1 if space != -1 else first
    paragraph = body.find("\n", claim.end, last)
    if paragraph != -1:
        last = paragraph
    elif last < len(body):
        space = body.rfind(" ", claim.end, last)
        last = space if space != -1 else last
    return Context(
        before=body[first : claim.start],
        span=body[claim.start : claim.end],
        after=body[claim.end : last],
        cut_before=first > 0,
        cut_after=last < len(body),
    )
