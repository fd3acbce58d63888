"""The check-worthiness features of a sentence: its words and word pairs, the claim's kind,
its figures and their units, and named cues (a comparison, a cause, a law or a vote, a
date, a name, the past tense, a hedge, a question, a greeting...), hashed for the model."""

from __future__ import annotations

import re
import zlib
from functools import cache

from .models import Quantity

KNOWN_MAX = 300_000  # features whose weight is remembered (a few MB at most)


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


COMPARE = _words("""more less fewer greater higher lower larger smaller bigger than most least
    largest biggest smallest highest lowest worst best record compared doubled tripled halved
    surpassed exceed exceeded outnumber increase increased increases decrease decreased
    rose fell grew decline declined dropped jumped twice times""")
CAUSE = _words("""because caused causes cause due result resulted results led leads thanks
    therefore consequence blamed responsible created destroyed""")
LAW = _words("""law laws act bill bills legislation voted vote votes veto vetoed signed amendment
    treaty regulation regulations court ruling constitution congress senate statute deal
    agreement policy tax taxes sanctions passed repealed banned ban""")
HEDGE = _words("""maybe perhaps probably possibly might may could seems seem apparently likely
    hopefully somewhat""")
OPINION = _words("""think believe feel hope wish guess suppose opinion frankly honestly love
    great wonderful terrible tremendous beautiful incredible disgrace sad""")
GREETING = _words("""thank thanks welcome hello good evening morning congratulations pleased
    honored honoured applause laughter ladies gentlemen""")
PROMO = _words("""subscribe click visit follow download sign newsletter offer sale buy order
    free discount www http https com app""")
SECOND = _words("you your yours yourself")
FIRST = _words("i me my mine we our us")
FUTURE = _words("will gonna shall going")
NEGATION = _words("not never no nothing nobody none n't")
HAVE = _words("has have had")
THIRD = _words("he she they his her their him them hers theirs")
OBLIGE = _words("should must need needs ought let let's")
PAST = _words("""was were did had said went got made gave took lost won left came became
    paid sold spent built kept told brought began put ran cut""")
MONTHS = _words("""january february march april june july august september october
    november december""")
MONEY = frozenset({"USD", "EUR", "GBP", "JPY", "CNY", "RUB", "INR", "UAH", "PLN", "CHF", "AUD", "CAD"})
YEAR_RE = re.compile(r"(?=[12])(?<![\d.,])(?:1[89]\d\d|20\d\d)s?(?![\d.,]\d|\w)")  # "1" or "2" first: fails fast
TOKEN_RE = re.compile(r"[A-Za-z]++(?:'[a-z]++)?+|\d[\d:.,/]*+|[?!]")  # possessive: nothing to backtrack

# Named cues and, for those that make a sentence worth checking, the reason shown to people.
REASONS = {
    "figure": "states a figure",
    "amount": "states an amount",
    "percent": "gives a rate",
    "money": "states a sum of money",
    "date": "gives a date",
    "compare": "compares",
    "cause": "states a cause",
    "law": "names a law or a vote",
    "entity": "names someone or something",
    "past": "reports a past fact",
    "perfect": "states what has happened",
    "negation": "denies a fact",
    "attributed": "attributed to a source",
}


def feature_index(feature: str, bits: int) -> int:
    """The hashed slot of a feature: CRC-32, stable across runs and machines."""
    return zlib.crc32(feature.encode("utf-8")) & ((1 << bits) - 1)


def features(
    sentence: str,
    *,
    qty: list[Quantity],
    kind: str,
    rule_score: float,
    attributed: bool = False,
    in_quote: bool = False,
    role: str | None = None,
    repeat: bool = False,
) -> tuple[list[str], list[str]]:
    """(all features, the named cues among them) of one sentence."""
    toks = TOKEN_RE.findall(sentence)
    low = [t.lower() for t in toks]
    feats, cues, words_norm = sentence_cues(
        sentence, toks, low, qty, kind, rule_score, attributed, in_quote, role, repeat
    )
    feats += [f"w:{stem(w)}" for w in set(words_norm)]
    feats += [f"b:{stem(a)}_{stem(b)}" for a, b in set(zip(words_norm, words_norm[1:], strict=False))]
    return feats, cues


@cache
def stem(word: str) -> str:
    """A crude stem, so that "votes", "voted" and "voting" share one weight: a word seen in
    one debate's form still counts in another's (the model learns fewer, more general words).
    A word's distinct forms in one sentence each count, as the fast path adds them."""
    if len(word) > 4:
        if word.endswith("'s"):
            word = word[:-2]
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
                return word[: -len(suffix)]
    return word


def sentence_cues(
    sentence: str,
    toks: list[str],
    low: list[str],
    qty: list[Quantity],
    kind: str,
    rule_score: float,
    attributed: bool,
    in_quote: bool,
    role: str | None,
    repeat: bool,
) -> tuple[list[str], list[str], list[str]]:
    """(the features other than words and word pairs, the named cues, the words as the
    word and pair features see them) of a sentence and its TOKEN_RE tokens `toks`."""
    words = set(low)
    cues: list[str] = []
    digits = [q for q in qty if any(c.isdigit() for c in q.text)]
    if digits:
        cues.append("figure")
    elif qty:
        cues.append("amount")
    units = {q.unit for q in qty}
    if "%" in units:
        cues.append("percent")
    if units & MONEY:
        cues.append("money")
    if not words.isdisjoint(MONTHS) or ("1" in sentence or "2" in sentence) and YEAR_RE.search(sentence):
        cues.append("date")
    # one pass over the words for the cues that look at word endings and capitals
    est = ed = ed_long = nt = entity = False
    for i, w in enumerate(low):
        last = w[-1]
        if last == "d":
            if w[-2:] == "ed":
                ed = True
                ed_long = ed_long or len(w) > 4
        elif last == "t":
            if w[-3:] == "est":
                est = est or len(w) > 5
            elif w[-3:] == "n't":
                nt = True
        if i and not entity:
            t = toks[i]
            entity = t[0].isupper() and t != "I"
    if est or not words.isdisjoint(COMPARE):
        cues.append("compare")
    if not words.isdisjoint(CAUSE):
        cues.append("cause")
    if not words.isdisjoint(LAW):
        cues.append("law")
    if entity:
        cues.append("entity")
    if ed_long or not words.isdisjoint(PAST):
        cues.append("past")
    if not words.isdisjoint(HAVE) and (ed or not words.isdisjoint(PAST)):
        cues.append("perfect")
    if nt or not words.isdisjoint(NEGATION):
        cues.append("negation")
    if not words.isdisjoint(HEDGE):
        cues.append("hedge")
    if not words.isdisjoint(OPINION):
        cues.append("opinion")
    if "?" in sentence:
        cues.append("question")
    if not words.isdisjoint(GREETING):
        cues.append("greeting")
    if not words.isdisjoint(PROMO):
        cues.append("promo")
    if not words.isdisjoint(SECOND):
        cues.append("you")
    if not words.isdisjoint(FIRST):
        cues.append("first_person")
    if not words.isdisjoint(FUTURE):
        cues.append("future")
    if not words.isdisjoint(THIRD):
        cues.append("third_person")
    if not words.isdisjoint(OBLIGE):
        cues.append("obligation")
    if attributed:
        cues.append("attributed")
    if in_quote:
        cues.append("in_quote")
    if repeat:
        cues.append("repeat")
    n = len(toks)
    length = "1" if n < 6 else "2" if n < 12 else "3" if n < 25 else "4" if n < 45 else "5"
    feats = [f"c:{c}" for c in cues]
    feats += [f"k:{kind}", f"len:{length}", f"rule:{min(9, int(rule_score * 10))}", f"qty:{min(3, len(qty))}"]
    feats += [f"u:{u}" for u in units if u]
    if role:
        feats.append(f"role:{role}")
        feats += [f"rc:{role}:{c}" for c in cues]
    if low:
        feats.append(f"first:{low[0]}")
    words_norm = ["#" if w[0].isdigit() else w for w in low if w not in "?!"]
    return feats, cues, words_norm
