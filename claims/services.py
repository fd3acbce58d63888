"""Writes other than the claim workflow: submitting and ingesting articles, speakers.

Views, the admin, the API, tasks and commands all call these functions.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import trafilatura
from charset_normalizer import from_bytes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from .models import Article, Claim, Origin, Quote, Speaker, SpeakerAlias, normalize_name

log = logging.getLogger(__name__)


# Article text ---------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Normalise line ends and drop NUL characters (PostgreSQL text cannot hold them)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


def content_hash(text: str) -> str:
    """Identical articles hash alike whatever their spacing or case."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest()


def check_size(data: str | bytes) -> None:
    size = len(data.encode() if isinstance(data, str) else data)
    limit = settings.ARTICLE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"The article is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB.",
            code="too_large",
        )


DETECTION_SAMPLE_BYTES = 256 * 1024


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes of unknown encoding to text: the declared charset, then UTF-8, then detection.
    Refuses binary files rather than storing garbage."""
    if b"\x00" in data[:4096]:
        raise ValidationError("This file is binary, not text or HTML.", code="binary")
    for encoding in (declared, "utf-8"):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    # Detection on a sample: on a whole 10 MB file it takes seconds.
    best = from_bytes(data[:DETECTION_SAMPLE_BYTES]).best()
    if best is None:
        raise ValidationError("The file's characters are in no encoding we recognise.", code="encoding")
    return data.decode(best.encoding, errors="replace").replace("\x00", "")


# Fewer words than this, taken from a web page, is a menu or an error page, not an article.
MIN_ARTICLE_WORDS = 12


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str = ""
    byline: str = ""
    outlet: str = ""
    language: str = ""
    published_at: datetime.datetime | None = None
    canonical_url: str = ""


def html_to_article(html: str, *, url: str = "") -> Extracted:
    """Main text and metadata of an HTML page, by trafilatura; the metadata cleaned by
    `claims.metadata` (publication moment, title without the site's name, byline)."""
    from .metadata import byline_clean, page_published_at, title_trim

    doc = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, include_images=False
    )
    text = clean_text(doc.text or "") if doc is not None else ""
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise ValidationError(
            "No article text was found in this HTML (it may be a menu, an index or an empty page).",
            code="no_article",
        )
    canonical = doc.url or ""
    sitename = (doc.sitename or "").strip()
    return Extracted(
        text=text,
        title=title_trim(doc.title or "", sitename=sitename, url=canonical or url)[:500],
        byline=byline_clean(doc.author or "")[:300],
        outlet=sitename[:200],
        language=(doc.language or "")[:16],
        published_at=page_published_at(html, url=canonical or url),
        canonical_url=_canonical(canonical),
    )


def _canonical(url: str) -> str:
    """The page's own address, normalised like a submitted one, or "" when it is not one."""
    try:
        return normalize_url(url) if url and len(url) <= 2000 else ""
    except ValidationError:
        return ""
HEADLINE_MAX_CHARS = 150


def headline_of(text: str) -> str:
    """The first line of a pasted text when it reads like a headline (short, a few words,
    not a sentence ending in a full stop, and followed by more text); else ""."""
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    words = first.split()
    if not rest.strip() or not 2 <= len(words) <= 25 or len(first) > HEADLINE_MAX_CHARS:
        return ""
    if first.endswith((".", ",", ";", ":")) or first[0] in "\"'“‘«-–—":
        return ""
    return first


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith("<") and (
        "<html" in head or "<body" in head or "<p" in head or "<!doctype" in head or "<div" in head
    )


def normalize_url(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(f"{url[:200]!r} is not a valid http(s) address.", code="invalid_url") from None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


# Submitting and ingesting ---------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    article: Article
    created: bool
    retried: bool = False

    @property
    def message(self) -> str:
        if self.retried:
            return f"Article #{self.article.pk} had failed; trying it again."
        if self.created:
            return f"Article #{self.article.pk} queued for processing."
        return f"Already in the workbench as article #{self.article.pk} ({self.article.get_status_display()})."


def article_submit(
    *,
    url: str = "",
    text: str = "",
    html: str | bytes = "",
    title: str = "",
    by: Any = None,
) -> Submission:
    """Save a new article from a URL, pasted text or an HTML document, and queue its job.

    The same URL or the same text submitted again returns the article already there.
    Raises ValidationError, with a message in words, for input that cannot become an article.
    """
    from . import tasks  # the tasks import services

    if sum(bool(x) for x in (url.strip(), text.strip(), html)) != 1:
        raise ValidationError("Give exactly one of: a URL, the article's text, or an HTML file.", code="one_source")
    fields: dict[str, Any] = {"title": title.strip()[:500], "submitted_by": by}
    if url.strip():
        fields["url"] = normalize_url(url)
        existing = Article.objects.filter(url=fields["url"]).first()
        if existing:
            if existing.status == Article.Status.FAILED:  # submitting it again means: try again
                article_retry(article=existing)
                return Submission(existing, created=False, retried=True)
            return Submission(existing, created=False)
    else:
        if isinstance(html, bytes):
            check_size(html)
            html = decode_bytes(html)
        source = (html or text).replace("\x00", "")  # PostgreSQL text cannot hold NUL
        check_size(source)
        if html or looks_like_html(source):
            # Turned into text by the ingest job: trafilatura takes seconds on a big page,
            # which a web request must not wait for. The job also refuses a duplicate.
            fields["raw_html"] = source
        else:
            fields["body"] = clean_text(source)
            fields["title"] = fields["title"] or headline_of(fields["body"])
            if not fields["body"]:
                raise ValidationError("The article's text is empty.", code="empty")
            fields["content_hash"] = content_hash(fields["body"])
            existing = Article.objects.filter(content_hash=fields["content_hash"]).first()
            if existing:
                return Submission(existing, created=False)
    try:
        with transaction.atomic():
            article = Article.objects.create(**fields)
            tasks.enqueue(tasks.ingest_article, article.pk)
    except IntegrityError:  # the same article submitted at the same moment
        existing = (
            Article.objects.filter(url=fields.get("url") or None).first()
            or Article.objects.filter(content_hash=fields.get("content_hash") or None).first()
        )
        if existing is None:
            raise
        return Submission(existing, created=False)
    return Submission(article, created=True)


def _set_status(article: Article, status: str, error: str = "", **fields) -> None:
    article.status, article.error, article.status_changed_at = status, error, timezone.now()
    for name, value in fields.items():
        setattr(article, name, value)
    article.save(update_fields=["status", "error", "status_changed_at", *fields])


def article_fail(*, article_id: int, message: str) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is not None and article.status != Article.Status.READY:
        _set_status(article, Article.Status.FAILED, message)


def article_retry(*, article: Article) -> Article:
    """Start a failed article's job again from the beginning, with a fresh count of attempts."""
    from . import tasks

    if article.status != Article.Status.FAILED:
        raise ValidationError(
            f"Article #{article.pk} has not failed ({article.get_status_display().lower()}); nothing to retry.",
            code="not_failed",
        )
    with transaction.atomic():
        _set_status(article, Article.Status.PENDING, attempts=0)
        tasks.enqueue(tasks.ingest_article, article.pk)
    return article


def article_note_retry(*, article_id: int, message: str, delay: int) -> None:
    """Show that a transient failure will be retried, without ending the job."""
    Article.objects.filter(pk=article_id).update(
        error=f"{message} Trying again in {delay} seconds.", status_changed_at=timezone.now()
    )


def article_ingest(*, article_id: int) -> None:
    """Fetch the article if it has no text yet, store its text and metadata, extract.

    Safe to run again: a finished article is left alone, and an article interrupted half-way
    (its worker killed) starts over. Raises FetchError or ValidationError for the task to
    retry or record.
    """
    from .fetch import fetch

    article = Article.objects.filter(pk=article_id).first()
    if article is None or article.status in (Article.Status.READY, Article.Status.FAILED):
        return
    if article.attempts >= settings.ARTICLE_MAX_ATTEMPTS:
        # Keep the last attempt's reason: "gave up" alone does not say what went wrong.
        last = article.error.split(" Trying again in ")[0]
        _set_status(article, Article.Status.FAILED, f"Gave up after {article.attempts} attempts. {last}".strip())
        return
    article.attempts += 1  # saved with the stage's status: one write per stage
    if not article.body:
        if article.raw_html:  # pasted or uploaded HTML, kept as it came
            source = article.raw_html
            extracted = html_to_article(source, url=article.url)
        else:
            _set_status(article, Article.Status.FETCHING, attempts=article.attempts)
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
        _set_status(article, Article.Status.EXTRACTING, attempts=article.attempts)
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
    from .models import SourceItem

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
    Returns the ids of the new claims (queued for matching against earlier claims).
    """
    from . import tasks
    from .extraction import EXTRACTOR_VERSION, extract
    from .language import language_detect

    language = language_detect(text=article.body, declared=article.language)
    result = extract(article.body, language=language)
    speakers = speakers_resolve(result.speakers)
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
    claims = bulk_create_with_history(
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
        ],
        Claim,
        default_change_reason="extracted",
    )
    article.extractor_version = EXTRACTOR_VERSION
    article.inconsistencies = [i.to_dict() for i in result.inconsistencies]
    _set_status(
        article,
        Article.Status.READY,
        extractor_version=article.extractor_version,
        inconsistencies=article.inconsistencies,
        language=language,
    )
    ids = [c.pk for c in claims]
    if ids:
        tasks.enqueue(tasks.match_claims, ids)
    return ids


def _untouched_items_delete(article: Article) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Delete the article's machine-made quotes and claims that no person has touched, and
    return the spans of the quotes and claims that stay. An article with neither (its first
    extraction, nearly always) costs two queries instead of five."""
    if not (Quote.objects.filter(article=article).exists() or Claim.objects.filter(article=article).exists()):
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


def article_requeue_stuck() -> int:
    """Queue again the articles whose job has not moved for a while (lost with a broker
    outage or a dead worker). Returns how many were queued."""
    from . import tasks

    cutoff = timezone.now() - settings.ARTICLE_STUCK_AFTER
    stuck = list(
        Article.objects.filter(
            status__in=[Article.Status.PENDING, Article.Status.FETCHING, Article.Status.EXTRACTING],
            status_changed_at__lt=cutoff,
        ).values_list("pk", flat=True)[:1000]
    )
    Article.objects.filter(pk__in=stuck).update(status_changed_at=timezone.now())
    for pk in stuck:
        tasks.enqueue(tasks.ingest_article, pk)
    return len(stuck)


def article_rerun_extraction(*, article: Article) -> None:
    """Queue the extraction again (after an extractor upgrade, say)."""
    from . import tasks

    if not article.body:
        raise ValidationError(f"Article #{article.pk} has no text yet.", code="no_text")
    _set_status(article, Article.Status.EXTRACTING)
    tasks.enqueue(tasks.extract_article, article.pk)


def overdue_reminders_send() -> int:
    """Email each reviewer the open claims past their due date. Returns emails sent."""
    from django.core.mail import send_mass_mail

    today = timezone.localdate()
    overdue = (
        Claim.objects.filter(status__in=Claim.OPEN_STATUSES, due_date__lt=today, assignee__isnull=False)
        .exclude(assignee__email="")
        .select_related("assignee")
        .order_by("assignee_id", "due_date")
    )
    by_person: dict[Any, list[Claim]] = {}
    for claim in overdue:
        by_person.setdefault(claim.assignee, []).append(claim)
    messages = [
        (
            f"{len(claims)} overdue claim(s) in your queue",
            "\n".join(f"- due {c.due_date:%d %b}: {c.text[:120]}" for c in claims),
            None,
            [person.email],
        )
        for person, claims in by_person.items()
    ]
    return send_mass_mail(messages, fail_silently=False) if messages else 0


# Speakers --------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "speaker"
    slug, n = base, 2
    while Speaker.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def speaker_create(*, name: str, aliases: list[str] = (), **fields) -> Speaker:
    """A new speaker, with its name and aliases registered for later matching.

    Raises IntegrityError if the name is already someone's alias (or is being made one by a
    concurrent transaction). Other aliases someone else holds are skipped.
    """
    speaker = Speaker.objects.create(name=name, slug=_unique_slug(name), **fields)
    SpeakerAlias.objects.create(speaker=speaker, alias=name)
    if speaker.kind == Speaker.Kind.PERSON and len(name.split()) > 1:
        aliases = [*aliases, name.split()[-1]]  # later articles often say only the surname
    _aliases_add(speaker, [a for a in aliases if normalize_name(a) != normalize_name(name)])
    return speaker


def _aliases_add(speaker: Speaker, aliases: list[str]) -> None:
    """Record aliases for `speaker`, skipping any that already belong to someone (also when
    another job is adding them at this moment: no error, no wait for a retry)."""
    rows = {normalize_name(a): SpeakerAlias(speaker=speaker, alias=a[:200]) for a in aliases if normalize_name(a)}
    for key, row in rows.items():
        row.normalized = key  # bulk_create skips save(), which sets it
    SpeakerAlias.objects.bulk_create(rows.values(), ignore_conflicts=True)


def _name_keys(found_speaker) -> list[str]:
    """Normalised names to look an extracted speaker up by. A surname alone ("Stoltenberg")
    finds the person whose surname alias it is; a different full name never does."""
    return [k for k in (normalize_name(n) for n in (found_speaker.name, *found_speaker.aliases)) if k]


def _speaker_by_alias(keys: list[str]) -> Speaker | None:
    alias = SpeakerAlias.objects.filter(normalized__in=keys).select_related("speaker").first()
    return alias.speaker if alias else None


def speakers_resolve(found: list) -> dict[str, Speaker]:
    """Database speakers for the extractor's speakers, by name: a name or alias already known
    links to that person ("Stoltenberg" to the existing Jens Stoltenberg); others are created.
    New aliases are recorded unless they already belong to someone."""
    names = {k for sp in found for k in _name_keys(sp)}
    known = {
        a.normalized: a.speaker for a in SpeakerAlias.objects.filter(normalized__in=names).select_related("speaker")
    }
    resolved: dict[str, Speaker] = {}
    for sp in found:
        keys = _name_keys(sp)
        speaker = next((known[k] for k in keys if k in known), None)
        if speaker is None:
            speaker = _speaker_by_alias(keys)  # another job may have just made them
        if speaker is None:
            try:
                with transaction.atomic():
                    speaker = speaker_create(
                        name=sp.name[:200],
                        aliases=[a[:200] for a in sp.aliases],
                        kind=Speaker.Kind.ORGANISATION if sp.type == "organisation" else Speaker.Kind.PERSON,
                        role=(getattr(sp, "title", "") or "")[:200],
                        organisation=(getattr(sp, "organisation", "") or "")[:200],
                    )
            except IntegrityError:  # created at this moment by another job: use theirs
                speaker = _speaker_by_alias(keys)
                if speaker is None:
                    raise
        else:
            _aliases_add(speaker, [a for a in (sp.name, *sp.aliases) if normalize_name(a) not in known])
        known.update({k: speaker for k in keys if k not in known})
        resolved[sp.name] = speaker
        for alias in sp.aliases:
            resolved.setdefault(alias, speaker)
    return resolved


@transaction.atomic
def speaker_merge(*, keep: Speaker, others: list[Speaker], by: Any = None) -> Speaker:
    """Fold `others` into `keep`: their quotes, claims and aliases move; they are deleted."""
    ids = [s.pk for s in others if s.pk != keep.pk]
    if not ids:
        raise ValidationError("Choose at least one other speaker to merge.", code="nothing_to_merge")
    Quote.objects.filter(speaker_id__in=ids).update(speaker=keep)
    Claim.objects.filter(speaker_id__in=ids).update(speaker=keep)
    SpeakerAlias.objects.filter(speaker_id__in=ids).update(speaker=keep)
    for other in Speaker.objects.filter(pk__in=ids):
        if not SpeakerAlias.objects.filter(normalized=normalize_name(other.name)).exists():
            SpeakerAlias.objects.create(speaker=keep, alias=other.name)
        for name in ("role", "organisation", "wikidata_id"):
            if not getattr(keep, name) and getattr(other, name):
                setattr(keep, name, getattr(other, name))
        other._history_user = by
        other._change_reason = f"merged into {keep.name} (#{keep.pk})"
        other.delete()
    keep._history_user = by
    keep._change_reason = "merged other speakers in"
    keep.save()
    return keep
