"""Ingesting an article, the work of its two jobs: reading it (fetch, text, metadata, the
same article under another address) and storing what the extractor found (speakers,
quotes, candidate claims), replacing machine-made items no person has touched.

Jobs are named to `claims.jobs`, so this module does not import the tasks that call it."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Q
from django.utils import timezone

from .. import jobs
from ..audit import audit_create_many
from ..extraction import EXTRACTOR_VERSION, extract
from ..extraction.models import Extraction
from ..extraction.models import Speaker as FoundSpeaker
from ..fetch import fetch
from ..language import language_detect
from ..models import Article, Claim, Origin, Quote, SourceItem
from .article_text import (
    Extracted,
    check_size,
    clean_text,
    content_hash,
    decode_bytes,
    html_to_article,
    looks_like_html,
)
from .articles import article_set_status
from .speakers import speakers_resolve


def article_ingest(*, article_id: int) -> None:
    """Fetch the article if it has no text yet, store its text and metadata, extract.

    Safe to run again: a finished article is left alone, and an article interrupted half-way
    (its worker killed) starts over. Raises FetchError or ValidationError for the task to
    retry or record.
    """
    article = Article.objects.filter(pk=article_id).first()
    if article is None or article.status in (Article.Status.READY, Article.Status.FAILED):
        return
    if article.attempts >= settings.ARTICLE_MAX_ATTEMPTS:
        # Keep the last attempt's reason: "gave up" alone does not say what went wrong.
        last = article.error.split(" Trying again in ")[0]
        article_set_status(article, Article.Status.FAILED, f"Gave up after {article.attempts} attempts. {last}".strip())
        return
    article.attempts += 1  # saved with the stage's status: one write per stage
    if not article.body:
        if article.raw_html:  # pasted or uploaded HTML, kept as it came
            source = article.raw_html
            extracted = html_to_article(source, url=article.url)
        else:
            article_set_status(article, Article.Status.FETCHING, attempts=article.attempts)
            page = fetch(article.url)
            check_size(page.content)
            source = decode_bytes(page.content, page.charset)
            if page.content_type == "text/plain" or not (page.content_type.endswith("html") or looks_like_html(source)):
                extracted = Extracted(text=clean_text(source))
                if not extracted.text:
                    raise ValidationError("The page is empty.", code="empty")
            else:
                extracted = html_to_article(source, url=page.url)
        digest = content_hash(extracted.text)
        twin = _twin(article, digest, extracted.canonical_url)
        if twin is not None:
            if _merge_monitored(article, twin):
                return
            same = "Same text as" if twin.content_hash == digest else "The page names as its own the address of"
            raise ValidationError(f"{same} article #{twin.pk} ({twin}), already in the workbench.", code="duplicate")
        article.body, article.content_hash = extracted.text, digest
        article.canonical_url = extracted.canonical_url
        article.raw_html = "" if extracted.text == clean_text(source) else source
        article.title = article.title or extracted.title
        article.byline = extracted.byline
        # A monitored source's outlet and language, set on submission, stand; the page's
        # own publication moment comes before the one its feed gave.
        article.outlet = article.outlet or extracted.outlet
        article.language = article.language or extracted.language
        article.published_at = extracted.published_at or article.published_at
        article.status, article.error, article.status_changed_at = Article.Status.EXTRACTING, "", timezone.now()
        article.save()
    else:
        article_set_status(article, Article.Status.EXTRACTING, attempts=article.attempts)
    article_extract(article=article)


def _twin(article: Article, digest: str, canonical: str) -> Article | None:
    """Another article with the same text, or at the address this page names as its own."""
    others = Article.objects.exclude(pk=article.pk)
    twin = others.filter(content_hash=digest).first()
    # A canonical link to a site's home page (a common misconfiguration) says nothing.
    if twin is None and canonical and canonical != article.url and urlsplit(canonical).path.strip("/"):
        twin = others.filter(Q(url=canonical) | Q(canonical_url=canonical)).first()
    return twin


def _merge_monitored(article: Article, twin: Article) -> bool:
    """An article that only a monitored source brought in (nobody submitted it) and that
    turns out to be `twin` under another address is folded into it: its source items point
    at the twin and the row goes. Returns False for a person's submission, which is told."""
    if article.submitted_by_id is not None or not article.source_items.exists():
        return False
    with transaction.atomic():
        SourceItem.objects.filter(article=article).update(article=twin)
        article.delete()
    return True


STORED_QUOTE_KINDS = ("speech", "belief")


@transaction.atomic
def article_extract(*, article: Article) -> list[int]:
    """Run the extractor on the article and store speakers, quotes and candidate claims.

    Safe to re-run: machine-made items that no person has touched are replaced; anything a
    person made, edited or moved along the workflow is kept, and not extracted twice.
    Returns the ids of the new claims (the most check-worthy queued for matching against
    earlier claims, the rest matched when first shown).
    """
    language = language_detect(text=article.body, declared=article.language)
    result = extract(article.body, language=language)
    speakers = speakers_resolve(_speakers_stored(result))
    kept_quotes, kept_claims = _untouched_items_delete(article)

    quotes = Quote.objects.bulk_create(
        Quote(
            article=article,
            speaker=speakers.get(q.speaker or ""),
            text=q.text,
            start=q.start,
            end=q.end,
            direct=q.direct,
            partial=q.partial,
            cue=(q.cue or "")[:50],
            attribution=(q.attribution or "")[:300],
            kind=q.kind,
            source_start=q.source_start,
            source_end=q.source_end,
            cue_start=q.cue_start,
            cue_end=q.cue_end,
            confidence=min(1.0, max(0.0, q.confidence)),
            origin=Origin.MACHINE,
        )
        for q in result.quotes
        # speech and beliefs are worth a reviewer's eye; other attributions (intentions,
        # evidence, noun objects) stay in the extractor's output only
        if q.end > q.start and (q.start, q.end) not in kept_quotes and q.kind in STORED_QUOTE_KINDS
    )
    kinds = set(Claim.Kind.values)
    claims = audit_create_many(
        _matched_later_marked(
            [
                Claim(
                    article=article,
                    speaker=speakers.get(c.speaker or ""),
                    text=c.text,
                    start=c.start,
                    end=c.end,
                    quote=_containing(quotes, c.start, c.end),
                    kind=c.kind if c.kind in kinds else Claim.Kind.OTHER,
                    score=round(min(1.0, max(0.0, c.score)), 3),
                    score_reasons=list(c.reasons),
                    numbers=[q.to_dict() for q in c.quantities],
                    origin=Origin.MACHINE,
                )
                for c in result.claims
                if c.end > c.start and (c.start, c.end) not in kept_claims
            ]
        ),
        reason="extracted",
    )
    article.extractor_version = EXTRACTOR_VERSION
    article.inconsistencies = [i.to_dict() for i in result.inconsistencies]
    article_set_status(
        article,
        Article.Status.READY,
        extractor_version=article.extractor_version,
        inconsistencies=article.inconsistencies,
        language=language,
    )
    ids = [c.pk for c in claims]
    matched_now = [c.pk for c in claims if not c.matches_pending]
    if matched_now:
        jobs.enqueue("match_claims", matched_now)
    return ids


def _speakers_stored(result: Extraction) -> list[FoundSpeaker]:
    """The extractor's speakers that a stored quote or claim names: an attribution kept only in
    the extractor's output ("Detectives in Harwick named a man") makes no speaker record."""
    named = {q.speaker for q in result.quotes if q.kind in STORED_QUOTE_KINDS} | {c.speaker for c in result.claims}
    return [sp for sp in result.speakers if sp.name in named or named.intersection(sp.aliases)]


def _matched_later_marked(claims: list[Claim]) -> list[Claim]:
    """`claims`, those past the MATCH_AT_INGEST most check-worthy marked to be matched when
    first shown (claims.matching.claims_match_pending): a lookup per claim made matching
    most of the pipeline's cost, and most of a long article's claims are never opened."""
    by_worth = sorted(claims, key=lambda claim: (-claim.score, claim.start or 0))
    for claim in by_worth[max(settings.MATCH_AT_INGEST, 0) :]:
        claim.matches_pending = True
    return claims


def _untouched_items_delete(article: Article) -> tuple[set[tuple[int, int]], set[tuple[int | None, int | None]]]:
    """Delete the article's machine-made quotes and claims that no person has touched, and
    return the spans of the quotes and claims that stay. An article with neither (its first
    extraction, nearly always) costs one query instead of five."""
    items = Exists(Quote.objects.filter(article=article)) | Exists(Claim.objects.filter(article=article))
    if not Article.objects.filter(items, pk=article.pk).exists():
        return set(), set()
    untouched_quotes = Quote.objects.filter(article=article, origin=Origin.MACHINE, touched_at__isnull=True)
    untouched_quotes.delete()
    untouched_claims = Claim.objects.filter(
        article=article, origin=Origin.MACHINE, status=Claim.Status.CANDIDATE, version=1
    ).filter(evidence__isnull=True, comments__isnull=True, verdicts__isnull=True)
    Claim.objects.filter(pk__in=list(untouched_claims.values_list("pk", flat=True))).delete()
    kept_quotes = set(Quote.objects.filter(article=article).values_list("start", "end"))
    kept_claims = set(Claim.objects.filter(article=article).values_list("start", "end"))
    return kept_quotes, kept_claims


def _containing(quotes: list[Quote], start: int, end: int) -> Quote | None:
    """The quote a claim was taken from: the one whose span holds most of the claim."""
    best, overlap = None, 0
    for quote in quotes:
        shared = min(end, quote.end) - max(start, quote.start)
        if shared > overlap and shared >= (end - start) / 2:
            best, overlap = quote, shared
    return best
