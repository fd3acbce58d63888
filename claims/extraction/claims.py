"""Check-worthy claims and internal inconsistencies.

A sentence is scored by what a fact-checker could verify in it: quantities, comparisons,
dates and places of events, predictions, and statements attributed to a named source.
Opinion markers, questions and very short sentences lower the score.
"""

from __future__ import annotations

import math
import re

from .models import Claim, Inconsistency, Quantity

COMPARISON_RE = re.compile(
    r"\b(?:more|less|fewer|greater|higher|lower|larger|smaller|bigger|than|most|least|"
    r"largest|biggest|smallest|highest|lowest|worst|best|second|third|record|compared|"
    r"doubled|tripled|halved|surpassed|exceeds?|exceeded|outnumber\w*|only\s+surpassed|"
    r"increase[sd]?|decrease[sd]?|rose|fell|grew|declined?|dropped|jumped)\b",
    re.IGNORECASE,
)
DATE_RE = re.compile(
    r"\b(?:(?:1[89]|20)\d{2}s?|(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)(?:\s+\d{1,2}\b)?|\d{1,2}:\d{2})\b"
)
RELATIVE_DATE_RE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|"
    r"last\s+(?:week|month|year)|this\s+(?:week|month|year))\b"
)
SUPERLATIVE_RE = re.compile(r"\b(?:the\s+(?:\w+est|most\s+\w+|worst|best|first|second|only)|"
                            r"than|record)\b")
PREDICTION_RE = re.compile(r"\b(?:will|would|expected to|forecast\w*|projected|could|plans? to)\b")
EVENT_RE = re.compile(
    r"\b(?:\w+ed|killed|died|hit|sold|built|struck|won|lost|began|took|held|made|"
    r"has|have|had|was|were|is|are)\b"
)
OPINION_RE = re.compile(
    r"\b(?:I|we|our|us|my|should|must|believe|think|hope|feel|perhaps|maybe|"
    r"hopeful|surprise)\b|[?]"
)
STAT_UNITS = frozenset({"%", "pp"})
MONEY_UNITS = frozenset({"USD", "EUR", "GBP", "RUB", "PLN", "CNY", "JPY", "INR", "CHF", "SEK"})
STATISTIC_WORDS_RE = re.compile(
    r"\b(?:dead|death|deaths|killed|injured|injuries|casualties|victims|passengers|people|"
    r"rate|percent|share|hospital|cases|infected)\b", re.IGNORECASE)
WORD_RE = re.compile(r"[a-z]+")
STOP = frozenset("""the a an of to in on at by for its it their his her and or that this
    with from as is are was were be will would has have had which who than more""".split())


def score_sentence(text: str, s: int, e: int, qty: list[Quantity], attributed: bool,
                   in_quote: bool) -> tuple[float, str]:
    sent = text[s:e]
    words = len(sent.split())
    score = 0.1
    digits = [q for q in qty if any(c.isdigit() for c in q.text)]
    if digits:
        score += 0.45
    elif qty:
        score += 0.3
    units = {q.unit for q in qty}
    if units - {""}:
        score += 0.1
    comparison = bool(COMPARISON_RE.search(sent))
    if comparison:
        score += 0.1
    if SUPERLATIVE_RE.search(sent):
        score += 0.1
    dated = bool(DATE_RE.search(sent))
    if dated:
        score += 0.3
    elif RELATIVE_DATE_RE.search(sent):
        score += 0.15
    if EVENT_RE.search(sent):
        score += 0.1
    prediction = bool(PREDICTION_RE.search(sent))
    if attributed:
        score += 0.05
    if OPINION_RE.search(sent):
        score -= 0.2
    if in_quote and not qty:
        score -= 0.15
    if words < 6:
        score -= 0.3
    if words > 70:
        score -= 0.1
    score = max(0.0, min(1.0, score))
    if units & STAT_UNITS or (digits and STATISTIC_WORDS_RE.search(sent)):
        kind = "statistic"
    elif qty:
        kind = "quantity"
    elif comparison:
        kind = "comparison"
    elif prediction and not dated:
        kind = "prediction"
    elif dated or EVENT_RE.search(sent):
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
    f = 10 ** d
    return math.isclose(round(hi.value * f) / f, lo.value) or math.isclose(
        math.floor(hi.value * f) / f, lo.value
    )


def _context(text: str, q: Quantity) -> set[str]:
    words = WORD_RE.findall(text[max(0, q.start - 60):q.start].lower())[-7:]
    out = set()
    for w in words:
        if w in STOP or len(w) < 3:
            continue
        for suf in ("ing", "es", "s", "d"):
            if w.endswith(suf) and len(w) - len(suf) >= 4:
                w = w[: -len(suf)]
                break
        out.add(w)
    return out


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
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                i, j = idx[x], idx[y]
                common = ctx[i] & ctx[j]
                if common and _same_value(cands[i], cands[j]):
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
        subject = " ".join(sorted(shared.get(root, set()))) or "quantity"
        out.append(Inconsistency(subject, mentions))
    return out


def make_claim(text: str, s: int, e: int, qty: list[Quantity], speaker: str | None,
               attributed: bool, in_quote: bool) -> Claim:
    score, kind = score_sentence(text, s, e, qty, attributed, in_quote)
    return Claim(text[s:e], s, e, kind, score, speaker, qty)
