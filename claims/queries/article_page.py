"""The article page: its text cut into segments marked by quote, claim and speaker."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ..models import Article, Claim, Quote, Speaker


@dataclass(frozen=True)
class Segment:
    """A run of article text under the same marks: the quote (and its speaker's colour)
    and the claim covering it, if any, or the quote whose source it names ("said Ann
    Lee": who said it, shown in the same colour)."""

    text: str
    quote: Quote | None
    claim: Claim | None
    colour: int | None
    source_of: Quote | None = None


SPEAKER_COLOURS = 12


def speaker_colour(speaker_id: int) -> int:
    """A speaker's colour slot, the same on every page: derived from the speaker (not from
    the order they appear in), so a person reads in one colour everywhere. Speakers made
    together (one article's) have neighbouring ids and so different colours."""
    return speaker_id % SPEAKER_COLOURS


@dataclass(frozen=True)
class Legend:
    speakers: list[tuple[Speaker, int, int]]  # speaker, colour, quotes
    unattributed: int  # quotes with no speaker


def article_marks(article: Article) -> tuple[list[Segment], Legend, list[Claim], list[Quote]]:
    """The body cut into segments at every quote and claim boundary, the legend (speakers
    with their colour and quote count, and the quotes nobody is named for), the claims and
    the quotes. Two queries."""
    quotes = list(article.quotes.select_related("speaker").order_by("start"))
    claims = list(article.claims.select_related("speaker").exclude(start=None).order_by("start"))
    body = article.body
    counts: dict[int, int] = {}
    speakers: dict[int, Speaker] = {}
    items: list[Quote | Claim] = [*quotes, *claims]
    for item in items:
        speaker = item.speaker  # loaded with the item: no query
        if speaker is not None and speaker.pk not in speakers:
            speakers[speaker.pk] = speaker
        if isinstance(item, Quote) and item.speaker_id is not None:
            counts[item.speaker_id] = counts.get(item.speaker_id, 0) + 1
    valid_quotes = [q for q in quotes if 0 <= q.start < q.end <= len(body)]
    # (claim, start, end): claims without a span were left out by the query.
    valid_claims = [
        (c, c.start, c.end)
        for c in claims
        if c.start is not None and c.end is not None and 0 <= c.start < c.end <= len(body)
    ]
    # where a quote's source is written ("said Ann Lee"), when the extractor found it
    sources = [
        (q, q.source_start, q.source_end)
        for q in valid_quotes
        if q.speaker_id is not None
        and q.source_start is not None
        and q.source_end is not None
        and 0 <= q.source_start < q.source_end <= len(body)
    ]
    cuts = sorted(
        {0, len(body), *(q.start for q in valid_quotes), *(q.end for q in valid_quotes)}
        | {start for _, start, _ in valid_claims}
        | {end for _, _, end in valid_claims}
        | {start for _, start, _ in sources}
        | {end for _, _, end in sources}
    )
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        quote = next((q for q in valid_quotes if q.start <= start and end <= q.end), None)
        claim = next((c for c, c_start, c_end in valid_claims if c_start <= start and end <= c_end), None)
        source_of = None
        if quote is None:
            source_of = next((q for q, s_start, s_end in sources if s_start <= start and end <= s_end), None)
        owner = quote or source_of or claim
        colour = speaker_colour(owner.speaker_id) if owner is not None and owner.speaker_id is not None else None
        segments.append(Segment(body[start:end], quote, claim, colour, source_of))
    legend = Legend(
        speakers=[(speakers[pk], speaker_colour(pk), counts.get(pk, 0)) for pk in speakers],
        unattributed=sum(1 for q in quotes if q.speaker_id is None),
    )
    return segments, legend, claims, quotes


def recent_articles(limit: int = 10) -> QuerySet[Article]:
    """The latest submissions, for the submit page."""
    return Article.objects.only("pk", "title", "url", "status", "created_at", "error")[:limit]


def articles_for_progress() -> QuerySet[Article]:
    """Articles with only what the progress box shows (it is polled while a job runs)."""
    return Article.objects.only("pk", "status", "error", "status_changed_at", "attempts")


def articles_for_page() -> QuerySet[Article]:
    return Article.objects.select_related("submitted_by")


def legend_speakers(legend: Legend) -> QuerySet[Speaker]:
    """The speakers the article names, to offer when a person marks a claim by hand."""
    known = [speaker.pk for speaker, _, _ in legend.speakers]
    return Speaker.objects.filter(pk__in=known) if known else Speaker.objects.none()
