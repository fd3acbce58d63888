"""The claim page's "already checked?" block: why a stored match matched, and whether it
is confident enough to call a likely duplicate."""

from __future__ import annotations

from django import template

from .. import retrieval
from ..matching import LIKELY

register = template.Library()


def _texts(match) -> tuple[str, str]:
    earlier = getattr(match, "earlier", None)
    if earlier is not None:  # compared as claims.matching compares them
        return match.claim.text, f"{earlier.text} {earlier.statement}"
    other = f"{match.external.claim_reviewed} {match.external.headline}"
    return match.claim.text, other


@register.filter
def match_reasons(match) -> tuple[str, ...]:
    """In words, what the claim and its match share (words, figures, wording)."""
    return retrieval.match_reasons(*_texts(match))


@register.filter
def likely_duplicate(match) -> bool:
    return match.score >= LIKELY
