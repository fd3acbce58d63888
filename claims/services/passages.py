"""Claims a person makes by hand, by selecting or typing a passage of an article (the
extractor's claims are stored by `articles.article_extract`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import roles
from ..audit import audit_save
from ..errors import NotAllowed
from ..models import Article, Claim, Origin, Speaker
from ..roles import Actor


@transaction.atomic
def claim_create_from_passage(
    *,
    article: Article,
    by: Actor,
    text: str,
    start: int | None,
    end: int | None,
    kind: str = Claim.Kind.OTHER,
    speaker: Speaker | None = None,
) -> Claim:
    """A candidate claim typed or selected by a person in an article.

    The span must be the text in the body; when no span is given (keyboard users type the
    passage), the first occurrence of the text is used.
    """
    if not roles.is_staff_member(by):
        raise NotAllowed("Only reviewers and editors can add claims.")
    text = text.strip()
    body = article.body
    if start is None or end is None or body[start:end].strip() != text:
        found = body.find(text) if text else -1
        if found == -1:
            raise ValidationError(
                "That passage is not in the article's text; select it in the article.", code="not_in_article"
            )
        start, end = found, found + len(text)
    else:
        # Trim the selection to the text (selections often catch a space at either end).
        start = start + (len(body[start:end]) - len(body[start:end].lstrip()))
        end = start + len(text)
    quote = article.quotes.filter(start__lte=start, end__gte=end).first()
    claim = Claim(
        article=article,
        text=text,
        start=start,
        end=end,
        kind=kind,
        speaker=speaker or (quote.speaker if quote else None),
        quote=quote,
        origin=Origin.HUMAN,
    )
    audit_save(claim, by, "entered by hand")
    return claim
