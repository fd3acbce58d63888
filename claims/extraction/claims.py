"""Check-worthy claims and internal inconsistencies.

A sentence is scored by what a fact-checker could verify in it: quantities, comparisons,
dates and places of events, predictions, and statements attributed to a named source.
Opinion markers, questions and very short sentences lower the score. These rules give the
claim its kind and a first score; the learnt model of ``checkworthy`` (which takes that
score as one of its features) gives the final score and its reasons.
"""

from __future__ import annotations

import math
import re

from . import checkworthy
from .models import Claim, Inconsistency, Quantity


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# Sentences are scored on their lower-cased word set: one tokenising pass, then set lookups.
COMPARISON = _words("""more less fewer greater higher lower larger smaller bigger than most least
    largest biggest smallest highest lowest worst best second third record compared doubled
    tripled halved surpassed exceed exceeds exceeded outnumber outnumbered increase increased
    increases decrease decreased decreases rose fell grew decline declined dropped jumped""")
SUPERLATIVE = _words("most worst best first second only than record largest biggest highest")
MONTHS = _words("""january february march april may june july august september october
    november december""")
RELATIVE_DAYS = _words("monday tuesday wednesday thursday friday saturday sunday yesterday today")
PERIODS = _words("week month year decade spring summer autumn fall winter quarter season")
LAST_NEXT = _words("last next")
PREDICTION = _words("will would expected forecast forecasts projected could plans plan")
EVENT = _words("""killed died hit sold built struck won lost began took held made has have had
    was were is are""")
OPINION = _words("i we our us my should must believe think hope feel perhaps maybe hopeful")
STATISTIC = _words("""dead death deaths killed injured injuries casualties victims passengers
    people rate percent share hospital cases infected""")
SUPERLATIVE_RE = re.compile(r"\bthe\s+[a-z]{3,}est\b")
TOKEN_RE = re.compile(r"[A-Za-z]+|\d[\d:.,/]*")
# where a word's "'s" runs into a capital ("it'sThe"), the two tokenisers cut differently
SPLIT_DIFFERS_RE = re.compile(r"[A-Za-z]'[a-z]++[A-Z]")
# both branches start with a digit: the lookahead first turns every other position away at once
YEAR_OR_TIME_RE = re.compile(r"(?=\d)(?:(?<![\d.,])(?:1[89]\d\d|20\d\d)s?(?![\d.,]\d|\w)|\b\d{1,2}:\d{2}\b)")
STAT_UNITS = frozenset({"%", "pp"})
WORD_RE = re.compile(r"[a-z]+")
TRAILING_PREP_RE = re.compile(r"\s+(?:by|of|to|at|from|is|was|as|about|around)$")
STOP = frozenset(
    """the a an of to in on at by for its it their his her and or that this
    with from as is are was were be will would has have had which who than more""".split()
)


def score_sentence(
    text: str, s: int, e: int, qty: list[Quantity], attributed: bool, in_quote: bool
) -> tuple[float, str]:
    sent = text[s:e]
    toks = TOKEN_RE.findall(sent)
    return _rule_score(sent, toks, [t.lower() for t in toks], qty, attributed, in_quote)


def _rule_tokens(sent: str, toks: list[str], low: list[str]) -> tuple[list[str], list[str]]:
    """This module's TOKEN_RE tokens (and lower case) of `sent`, derived from the model's
    tokens (checkworthy.TOKEN_RE, which also keeps "?", "!" and a word's "'s"/"n't"), so a
    sentence is tokenised once. Where the two would cut differently ("don'tX"), re-tokenise."""
    if "'" in sent:
        if SPLIT_DIFFERS_RE.search(sent):
            toks = TOKEN_RE.findall(sent)
            return toks, [t.lower() for t in toks]
        rt: list[str] = []
        rl: list[str] = []
        for t, w in zip(toks, low, strict=True):
            i = t.find("'")
            if i > 0:
                rt += (t[:i], t[i + 1 :])
                rl += (w[:i], w[i + 1 :])
            elif t != "?" and t != "!":
                rt.append(t)
                rl.append(w)
        return rt, rl
    if "?" in sent or "!" in sent:
        keep = [i for i, t in enumerate(toks) if t != "?" and t != "!"]
        return [toks[i] for i in keep], [low[i] for i in keep]
    return toks, low


def _rule_score(
    sent: str, toks: list[str], low: list[str], qty: list[Quantity], attributed: bool, in_quote: bool
) -> tuple[float, str]:
    """The rules' score and kind of `sent` from its TOKEN_RE tokens and their lower case."""
    words = set(low)
    score = 0.1
    digits = [q for q in qty if any(c.isdigit() for c in q.text)]
    if digits:
        score += 0.45
    elif qty:
        score += 0.3
    units = {q.unit for q in qty}
    if units - {""}:
        score += 0.1
    comparison = not words.isdisjoint(COMPARISON)
    if comparison:
        score += 0.1
    if not words.isdisjoint(SUPERLATIVE) or "est" in sent and "the" in sent and SUPERLATIVE_RE.search(sent):
        score += 0.1
    dated_loosely = False
    # the regex only where its characters occur: it is tried at every position otherwise
    maybe_dated = "1" in sent or "2" in sent or ":" in sent
    dated = (
        maybe_dated
        and YEAR_OR_TIME_RE.search(sent) is not None
        or not words.isdisjoint(MONTHS)
        and any(t in MONTHS for t in low if t != "may")
    )
    if dated:
        score += 0.3
    elif not words.isdisjoint(RELATIVE_DAYS) or not words.isdisjoint(LAST_NEXT) and not words.isdisjoint(PERIODS):
        score += 0.15
        dated_loosely = True
    event = not words.isdisjoint(EVENT) or any(w.endswith("ed") and len(w) > 3 for w in words)
    if event:
        score += 0.1
    prediction = not words.isdisjoint(PREDICTION)
    if prediction and (dated or dated_loosely or qty):
        score += 0.15  # a forecast with a date or a figure can be checked later
    if attributed:
        score += 0.05
    if not words.isdisjoint(OPINION) or "?" in sent or "I" in toks:
        score -= 0.2
    if in_quote and not qty:
        score -= 0.15
    n = len(toks)
    if n < 6:
        score -= 0.3
    if n > 70:
        score -= 0.1
    score = max(0.0, min(1.0, score))
    if units & STAT_UNITS or (digits and not words.isdisjoint(STATISTIC)):
        kind = "statistic"
    elif qty:
        kind = "quantity"
    elif comparison:
        kind = "comparison"
    elif prediction and not dated:
        kind = "prediction"
    elif dated or event:
        kind = "event"
    else:
        kind = "other"
    return score, kind


def _decimals(q: Quantity) -> int:
    m = re.search(r"\d[\d,]*(?:\.(\d+))?", q.text)
    return len(m.group(1)) if m and m.group(1) else 0


def _same_value(a: Quantity, b: Quantity) -> bool:
    """Do a and b state one value at different precision (68% / 67.65%)?"""
    if a.unit != b.unit or a.value == b.value or not a.unit:
        return False
    if max(abs(a.value), abs(b.value)) == 0:
        return False
    if abs(a.value - b.value) / max(abs(a.value), abs(b.value)) > 0.03:
        return False
    lo, hi = sorted((a, b), key=_decimals)
    d = _decimals(lo)
    f = 10**d
    return math.isclose(round(hi.value * f) / f, lo.value) or math.isclose(math.floor(hi.value * f) / f, lo.value)


def _stem(w: str) -> str:
    for suf in ("ing", "es", "s", "d"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def _context(text: str, q: Quantity) -> set[str]:
    """Content words just before a figure, crudely stemmed: what the figure is about."""
    words = WORD_RE.findall(text[max(0, q.start - 60) : q.start].lower())[-7:]
    return {_stem(w) for w in words if w not in STOP and len(w) >= 3}


def _subject(text: str, q: Quantity, shared: set[str]) -> str:
    """The words before the first mention, from the first shared word: "increase its defense budget"."""
    lo = max(0, q.start - 60)
    for m in WORD_RE.finditer(text.lower(), lo, q.start):
        if _stem(m.group(0)) in shared:
            phrase = " ".join(text[m.start() : q.start].split())
            return TRAILING_PREP_RE.sub("", phrase) or phrase
    return " ".join(sorted(shared))


def inconsistencies(text: str, qty: list[Quantity]) -> list[Inconsistency]:
    """Groups of mentions that state the same quantity with different figures."""
    cands = [q for q in qty if q.unit and any(c.isdigit() for c in q.text)][:2000]
    ctx = [_context(text, q) for q in cands]
    by_unit: dict[str, list[int]] = {}
    for i, q in enumerate(cands):
        by_unit.setdefault(q.unit, []).append(i)
    parent = list(range(len(cands)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    shared: dict[int, set[str]] = {}
    for idx in by_unit.values():
        idx = idx[:200]  # bounded: one unit rarely has more distinct mentions worth comparing
        for x, i in enumerate(idx):
            ci = ctx[i]
            for j in idx[x + 1 :]:
                if ci.isdisjoint(ctx[j]) or not _same_value(cands[i], cands[j]):
                    continue  # the pairs' test: no set built for the many that share no word
                common = ci & ctx[j]
                ri, rj = find(i), find(j)
                parent[rj] = ri
                shared[ri] = shared.get(ri, common) | shared.pop(rj, set()) | common
    groups: dict[int, list[int]] = {}
    for i in range(len(cands)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        mentions = [cands[i] for i in members]
        if len({m.text for m in mentions}) < 2:
            continue
        subject = _subject(text, mentions[0], shared.get(root, set())) or "quantity"
        out.append(Inconsistency(subject, mentions))
    return out


def make_claim(
    text: str,
    s: int,
    e: int,
    qty: list[Quantity],
    speaker: str | None,
    attributed: bool,
    in_quote: bool,
    *,
    role: str | None = None,
    repeat: bool = False,
) -> Claim:
    """A candidate claim for text[s:e], scored by the learnt model (the rules' score is one
    of its features; they score alone if the model file is missing). `role` is the speaker's
    part in a transcript ("moderator", "questioner", "speaker"); `repeat` marks a sentence
    the same text already said."""
    sent = text[s:e]
    toks = checkworthy.TOKEN_RE.findall(sent)  # one tokenising pass for the rules and the model
    low = [t.lower() for t in toks]
    rule, kind = _rule_score(sent, *_rule_tokens(sent, toks, low), qty, attributed, in_quote)
    m = checkworthy.model()
    if m is None:
        return Claim(sent, s, e, kind, rule, speaker, qty)
    score, reasons = m.score_sentence(
        sent,
        toks=toks,
        low=low,
        qty=qty,
        kind=kind,
        rule_score=rule,
        attributed=attributed,
        in_quote=in_quote,
        role=role,
        repeat=repeat,
    )
    return Claim(sent, s, e, kind, score, speaker, qty, reasons)
