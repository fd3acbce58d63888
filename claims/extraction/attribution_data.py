"""What the attribution trainer learns from: for each annotated article, the decisions
the extractor takes (which earlier entity a pronoun means, whether a word is a cue, where a
forward content ends), recorded by running it and labelled from the annotation."""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left

from . import extract_with
from .attribution import FUNCTION_CONTEXT, WORD_RE, cue_candidates, cue_features
from .lexicon import SPEECH_VERBS
from .speakers import Registry
from .text import merge_spanning, normalise_marks, paragraphs, quote_marks, sentences

CUE_MIN_COUNT = 5  # a word is in the cue vocabulary when annotated as a cue this often
CUE_MIN_SHARE = 0.1  # ... and in at least this share of its uses


def _norm(name: str | None) -> str:
    name = unicodedata.normalize("NFKD", name or "")
    name = "".join(c for c in name if not unicodedata.combining(c))
    name = re.sub(r"['’]s\b", "", name.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", name)).strip()


def same_person(pred: str, gold: str) -> bool:
    p, g = _norm(pred), _norm(gold)
    if not p or not g:
        return False
    return p == g or p.split()[-1] == g.split()[-1]


Group = list[tuple[list[str], int]]


def pronoun_groups(gold: dict) -> list[Group]:
    """One group of (features, label) per annotated pronoun source the rules met."""
    sources = [
        (q["source_start"], q["source_end"], q["speaker_resolved"])
        for q in gold.get("quotes", [])
        if q.get("source_kind") == "pronoun" and q.get("speaker_resolved") and q.get("source_start") is not None
    ]
    reg = Registry()  # with the installed cue and content-end decisions; no pronoun decision yet
    reg.recorder = []
    extract_with(gold["text"], reg)
    groups, seen = [], set()
    for pos, _, cands in reg.recorder:
        if pos in seen:
            continue
        hit = next((name for s, e, name in sources if s <= pos < e), None)
        if hit is None or not cands:
            continue
        seen.add(pos)
        groups.append([(feats, int(same_person(name, hit))) for name, feats in cands])
    return groups


def cue_vocabulary(golds: list[dict]) -> list[str]:
    """Lower-case words annotated as (part of) a cue often enough, and in a fair share of their uses."""
    as_cue: dict[str, int] = {}
    seen: dict[str, int] = {}
    for g in golds:
        text = normalise_marks(g["text"])
        # a use inside quotation marks is never offered to the cue decision (the rules read
        # quotations), so it does not count against a word: "think" is mostly quoted speech
        marks = quote_marks(text, paragraphs(text))
        starts = [m.start for m in marks]
        for m in WORD_RE.finditer(text):
            w = m.group(0)
            k = bisect_left(starts, m.start() + 1) - 1
            if k >= 0 and marks[k].start <= m.start() < marks[k].end:
                continue
            if w.islower():
                seen[w] = seen.get(w, 0) + 1
        spans = {(q["cue_start"], q["cue_end"]) for q in g["quotes"] if q.get("cue_start") is not None}
        for a, b in spans:
            for m in WORD_RE.finditer(text, a, b):
                w = m.group(0).lower()
                as_cue[w] = as_cue.get(w, 0) + 1
    # only words printed in lower case (no names, no weekdays), and no function words that
    # merely accompany a cue ("has said", "according to")
    return sorted(
        w
        for w, n in as_cue.items()
        if n >= CUE_MIN_COUNT
        and w.isalpha()
        and seen.get(w, 0) >= CUE_MIN_COUNT
        and n >= CUE_MIN_SHARE * seen[w]
        and (w not in FUNCTION_CONTEXT or w in SPEECH_VERBS)
    )


def cue_rows(gold: dict, vocab: frozenset[str]) -> list[tuple[list[str], int]]:
    """(features, is a cue) of every cue-vocabulary word outside quotation marks."""
    text = normalise_marks(gold["text"])
    paras = paragraphs(text)
    marks = quote_marks(text, paras)
    sents = merge_spanning(sentences(text, paras, [(m.start, m.end) for m in marks]), marks)
    cues = sorted({(q["cue_start"], q["cue_end"]) for q in gold["quotes"] if q.get("cue_start") is not None})
    rows = []
    starts = [m.start for m in marks]
    for s, e, _ in sents:
        here = marks[bisect_left(starts, s) : bisect_left(starts, e)]
        for a, b, _ in cue_candidates(text, s, e, here, vocab):
            feats = cue_features(text, s, e, a, b, bool(here), vocab)
            rows.append((feats, int(any(ca < b and a < cb for ca, cb in cues))))
    return rows


END_SLACK = 2  # characters: an annotated end this close to a boundary is that boundary
_EDGE = " \t\n.,;:!?…" + "\"”’'»“‘«"


def _lstrip_at(text: str, i: int, limit: int) -> int:
    while i < limit and text[i] in _EDGE:
        i += 1
    if text.startswith("that ", i):
        i += 5
    return i


def _rstrip_at(text: str, i: int, limit: int) -> int:
    while i > limit and text[i - 1] in _EDGE:
        i -= 1
    return i


EndGroup = tuple[list[tuple[int, list[str], int | None]], int, int, int]


def end_groups(gold: dict) -> list[EndGroup]:
    """Per forward content span the extractor found that starts where an annotated content
    starts: (rows of (end, features, is the annotated end), span start, span end, annotated
    end). Boundaries past the annotated end have no label (None): the extractor stops at
    the first accepted boundary, so in training they are never read; validation reads
    them to see where a span would stop."""
    text = gold["text"]
    starts: dict[int, list[int]] = {}
    for q in gold.get("quotes", []):
        if q.get("direct"):
            continue
        a, b = q.get("core_start", q["start"]), q.get("core_end", q["end"])
        a = _lstrip_at(text, a, b)
        starts.setdefault(a, []).append(_rstrip_at(text, b, a))
    reg = Registry()
    reg.end_recorder = []
    extract_with(text, reg)
    out = []
    for cs, ce, found in reg.end_recorder:
        a = _lstrip_at(text, cs, ce)
        ends = next((starts[x] for x in (a, a - 1, a + 1, a - 2, a + 2) if x in starts), None)
        if not ends or not found:
            continue
        fitting = [g for g in ends if g <= ce + END_SLACK]
        ge = max(fitting) if fitting else max(ends)
        rows: list[tuple[int, list[str], int | None]] = []
        passed = False
        for end, feats in found:
            hit = abs(end - ge) <= END_SLACK
            passed = passed or end > ge + END_SLACK
            rows.append((end, feats, None if passed else int(hit)))
            passed = passed or hit
        out.append((rows, cs, ce, ge))
    return out


def end_matches(decision: dict, groups: list[EndGroup], threshold: float) -> int:
    """Spans whose end, as the extractor would cut them, gives IoU >= 0.5 with the annotation."""
    w, b = decision["weights"], decision["bias"]
    cut_z = math.log(threshold / (1 - threshold))
    good = 0
    for rows, cs, ce, ge in groups:
        stop = next((end for end, feats, _ in rows if b + sum(w.get(f, 0.0) for f in feats) >= cut_z), None)
        if stop is None:
            stop = ce  # no boundary accepted: the rule's end
        union = max(stop, ge) - cs
        good += union > 0 and max(0, min(stop, ge) - cs) / union >= 0.5
    return good


def content_counts(gold: dict) -> tuple[int, int, int]:
    """(contents matched, predicted, annotated) of the extractor as installed, over one
    article: a predicted span matches an annotated content (without its marks and leading
    "that") at character IoU >= 0.5, one to one, best overlap first. A partial quotation
    left unmatched inside an annotated content is not counted as predicted: the project's
    rules quote such a fragment besides the statement it is part of."""
    text = gold["text"]
    annotated = [(q.get("core_start", q["start"]), q.get("core_end", q["end"])) for q in gold.get("quotes", [])]
    raw = [(q["start"], q["end"]) for q in gold.get("quotes", [])]
    quotes = extract_with(text, Registry()).quotes
    pairs = []
    for gi, (a, b) in enumerate(annotated):
        for pi, q in enumerate(quotes):
            inter = min(b, q.end) - max(a, q.start)
            if inter > 0:
                iou = inter / (max(b, q.end) - min(a, q.start))
                if iou >= 0.5:
                    pairs.append((iou, gi, pi))
    taken_g: set[int] = set()
    taken_p: set[int] = set()
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in taken_g and pi not in taken_p:
            taken_g.add(gi)
            taken_p.add(pi)
    nested = sum(
        1
        for pi, q in enumerate(quotes)
        if pi not in taken_p
        and q.partial
        and any(min(q.end, b) - max(q.start, a) >= 0.9 * max(1, q.end - q.start) for a, b in raw)
    )
    return len(taken_p), len(quotes) - nested, len(annotated)
