"""Quote, speaker and claim extraction from article text. Pure Python, no Django.

Usage::

    from claims.extraction import extract
    result = extract(text)  # Extraction: quotes, claims, speakers, inconsistencies
    result.to_dict()  # the JSON contract of DESIGN.md (plus a few extra keys)

How it reads an article, in one left-to-right pass:

- ``text``: paragraphs (titles and photo captions flagged), pairs of quotation marks,
  sentences that never split inside a quotation.
- ``speakers``/``names``: every capitalised name is registered as it is met, with its
  title and aliases, so "he", "the official" or a bare surname resolve to what a reader
  has seen so far.
- ``quotes``/``reported``: per sentence, speech verbs and "according to" find who speaks
  and the reported clause; quotations get the speaker named after them, before them, or
  the previous speaker; a paragraph after an introducing colon is a block quotation.
- ``numbers``/``claims``: quantity expressions parsed to value and unit; sentences scored
  for check-worthiness; the same quantity stated differently is an inconsistency.

The rules are general English news conventions (lists in ``lexicon``), nothing tuned to
particular articles. Every regex is bounded, so time stays linear in the text length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from . import lexicon as L
from .claims import inconsistencies, make_claim
from .models import Claim, Extraction, Inconsistency, Quantity, Quote, Speaker
from .numbers import find_quantities
from .quotes import CUE_RE, RawQuote, SentenceQuotes
from .speakers import Registry
from .text import blank_boilerplate, merge_spanning, normalise_marks, paragraphs, quote_marks, sentences
from .transcript import read_transcript, turns

EXTRACTOR_VERSION = "2.0.0"
CLAIM_THRESHOLD = 0.4
MIN_CLAIM_CHARS = 20  # shorter than any checkable sentence
MARKS_ONLY_MIN_WORDS = 3  # in a language we do not read, shorter quoted bits are names or terms
DASHES = "–—-"
BY_RE = re.compile(r"\bby\s+[^,;:]{2,80}:$")

__all__ = [
    "EXTRACTOR_VERSION",
    "marks_only",
    "Claim",
    "Extraction",
    "Inconsistency",
    "Quantity",
    "Quote",
    "Speaker",
    "extract",
]


def _marks_inside(text: str, start: int, end: int) -> bool:
    return any(text.find(m, start, end) >= 0 for m in '"“”«»')


def _block_paragraphs(text: str, paras: list) -> dict[int, int | None]:
    """Paragraphs that are block quotations: {index: signature paragraph index or None}."""
    out: dict[int, int | None] = {}
    for i in range(len(paras) - 1):
        p, q = paras[i], paras[i + 1]
        if text[p.end - 1] != ":" or i in out:
            continue
        if len(text[q.start : q.end].split()) < 5 or text[q.end - 1] == ":":
            continue
        sig = None
        if i + 2 < len(paras):
            r = paras[i + 2]
            if text[r.start] in DASHES and r.end - r.start <= 80:
                sig = i + 2
        if text[q.start] in '"“«' and (text[q.end - 1] not in '"”»' or _marks_inside(text, q.start + 1, q.end - 1)):
            continue  # '"We will win," she added.': ordinary quotations, read sentence by sentence
        intro = text[max(p.start, p.end - 300) : p.end]
        # "Other classes included:" introduces a list, not a quotation: require a speech
        # verb, a "by X", a signature line, or marks around the paragraph
        if sig is None and text[q.start] not in '"“«' and not (CUE_RE.search(intro) or BY_RE.search(intro)):
            continue
        out[i + 1] = sig
    return out


def extract(text: str, *, language: str | None = None) -> Extraction:
    """Quotes, speakers, check-worthy claims and inconsistencies of one article.

    ``language`` (ISO 639-1, detected by the caller) other than a supported one gives only
    the quotations between marks, with no speaker guesses and no claims: the word lists
    are English, and guessing with them on other languages makes things up.
    """
    if not isinstance(text, str):
        raise TypeError("extract() takes the article text as a str")
    if language and language.lower() not in L.SUPPORTED_LANGUAGES:
        return marks_only(text, language.lower())
    found = turns(text)
    if found is not None:  # a debate, interview or hearing: "SPEAKER: words"
        return read_transcript(text, found, threshold=CLAIM_THRESHOLD, min_chars=MIN_CLAIM_CHARS)
    return extract_with(text, Registry())


def marks_only(text: str, language: str) -> Extraction:
    """The quotations between marks of a text in a language the rules do not read."""
    norm = normalise_marks(text)
    quotes = []
    for m in quote_marks(norm, paragraphs(norm)):
        fragment = text[m.start : m.end]
        if not m.single and len(fragment.split()) >= MARKS_ONLY_MIN_WORDS:
            quotes.append(Quote(fragment, m.start, m.end, None, True, None, 0.4, rule="marks-only"))
    return Extraction(quotes, [], [], [], language=language, supported=False)


PARAGRAPH_BREAK_RE = re.compile(r"\s*\n\s*[\"“«„]?")


def _paragraph_pieces(text: str, r: RawQuote) -> list[tuple[int, int]]:
    """A quotation running over paragraphs (each reopened with a mark), as one quote per
    paragraph: as annotated, and as an article page shows them."""
    if not r.direct or "\n" not in text[r.start : r.end]:
        return [(r.start, r.end)]
    pieces, start = [], r.start
    for m in PARAGRAPH_BREAK_RE.finditer(text, r.start, r.end):
        if m.start() > start:
            pieces.append((start, m.start()))
        start = m.end()
    if r.end > start:
        pieces.append((start, r.end))
    return pieces


def extract_with(text: str, reg: Registry) -> Extraction:
    """extract() with a given speaker registry (training reads the decisions it records)."""
    original, text = text, blank_boilerplate(normalise_marks(text))
    paras = paragraphs(text)
    blocks = _block_paragraphs(text, paras)
    signatures = {v for v in blocks.values() if v is not None}
    para_starts = [p.start for p in paras]
    marks = [m for m in quote_marks(text, paras) if bisect_right(para_starts, m.start) - 1 not in blocks]
    sents = merge_spanning(sentences(text, paras, [(m.start, m.end) for m in marks]), marks)
    mark_starts = [m.start for m in marks]
    reg.quoted = [(m.start, m.end) for m in marks]
    sq = SentenceQuotes(text, reg)
    raw: list[RawQuote] = []
    last_sentence_of: dict[int, tuple[int, int]] = {}
    block_done: set[int] = set()
    sent_quotes: list[list[RawQuote]] = []
    for k, (s, e, pi) in enumerate(sents):
        if not paras[pi].headline or pi in blocks:
            reg.observe(text, k, s, e)  # a title's capitalised words are not names
        found: list[RawQuote] = []
        if pi in blocks:
            if pi not in block_done:
                block_done.add(pi)
                para = paras[pi]
                qs, qe = para.start, para.end
                if text[qs] in '"“«' and text[qe - 1] in '"”»':
                    qs, qe = qs + 1, qe - 1
                sig = blocks[pi]
                sig_text = text[paras[sig].start : paras[sig].end].lstrip(DASHES + " ") if (sig is not None) else None
                intro = last_sentence_of.get(pi - 1, (paras[pi - 1].start, paras[pi - 1].end))
                found.append(sq.block(k, qs, qe, intro, sig_text))
        elif pi not in signatures:
            lo = bisect_left(mark_starts, s)
            hi = bisect_left(mark_starts, e)
            found = sq.run(k, s, e, pi, paras[pi], marks[lo:hi])
        last_sentence_of[pi] = (s, e)
        raw.extend(found)
        sent_quotes.append(found)

    sq.resolve_headlines(len(sents) - 1)
    used: set[int] = set()
    quotes: list[Quote] = []
    seen: set[tuple[int, int, bool]] = set()
    for r in sorted(raw, key=lambda r: (r.start, r.end)):
        key = (r.start, r.end, r.direct)
        if key in seen:
            continue
        seen.add(key)
        if r.entity is not None:
            used.add(id(r.entity))
        for start, end in _paragraph_pieces(original, r):
            quotes.append(
                Quote(
                    original[start:end],
                    start,
                    end,
                    r.entity.name if r.entity else None,
                    r.direct,
                    r.cue,
                    r.confidence,
                    r.partial,
                    r.attribution,
                    kind=r.kind,
                    source_start=r.source[0] if r.source[0] >= 0 else None,
                    source_end=r.source[1] if r.source[0] >= 0 else None,
                    cue_start=r.cue_span[0] if r.cue_span[0] >= 0 else None,
                    cue_end=r.cue_span[1] if r.cue_span[0] >= 0 else None,
                    rule=r.rule,
                    speaker_rule=reg.decisions.get(r.source[0], "name" if r.entity else "none"),
                )
            )

    all_qty = find_quantities(original)
    q_starts = [q.start for q in all_qty]
    claims: list[Claim] = []
    for k, (s, e, pi) in enumerate(sents):
        if paras[pi].headline and pi not in blocks or pi in signatures or e - s < MIN_CLAIM_CHARS:
            continue
        lo, hi = bisect_left(q_starts, s), bisect_left(q_starts, e)
        qty = all_qty[lo:hi]
        rq = sent_quotes[k]
        reported = [r for r in rq if not r.direct]
        speaker_ent = next((r.entity for r in rq if r.entity is not None), None)
        in_quote = pi in blocks or any(r.direct and not r.partial for r in rq) and not reported
        claim = make_claim(original, s, e, qty, speaker_ent.name if speaker_ent else None, bool(reported), in_quote)
        if claim.score >= CLAIM_THRESHOLD:
            claims.append(claim)
    return Extraction(quotes, claims, reg.speakers(used), inconsistencies(original, all_qty))
