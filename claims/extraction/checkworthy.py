"""The check-worthiness model at run time: a linear model over hashed sentence features.

The weights are learnt by ``python -m claims.extraction.train_checkworthy`` (debate
transcripts whose sentences fact-checkers chose or passed over, and annotated news) and
shipped in ``data/checkworthy.json``: a bias, an offset that puts the extractor's claim
threshold where it works on news, and one weight per hashed feature. No sentence of the
training data is stored, only weights of hashed words and cues.

Features are strings: words and word pairs, the claim's kind, its figures and their units,
and named cues (a comparison, a cause, a law or a vote, a date, a name, the past tense, a
hedge, a question, a greeting, a moderator's turn...). A named cue that pushes the score up
becomes one of the score's reasons ("states a figure", "compares").
"""

from __future__ import annotations

import json
import math
import re
import zlib
from functools import cache
from pathlib import Path

from .models import Quantity

MODEL_PATH = Path(__file__).with_name("data") / "checkworthy.json"
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
YEAR_RE = re.compile(r"(?<![\d.,])(?:1[89]\d\d|20\d\d)s?(?![\d.,]\d|\w)")
TOKEN_RE = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d[\d:.,/]*|[?!]")

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
    feats, cues, words_norm = _features(sentence, toks, low, qty, kind, rule_score, attributed, in_quote, role, repeat)
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


def _features(
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
    if words & MONTHS or ("1" in sentence or "2" in sentence) and YEAR_RE.search(sentence):
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
    if est or words & COMPARE:
        cues.append("compare")
    if words & CAUSE:
        cues.append("cause")
    if words & LAW:
        cues.append("law")
    if entity:
        cues.append("entity")
    if ed_long or words & PAST:
        cues.append("past")
    if words & HAVE and (ed or words & PAST):
        cues.append("perfect")
    if nt or words & NEGATION:
        cues.append("negation")
    if words & HEDGE:
        cues.append("hedge")
    if words & OPINION:
        cues.append("opinion")
    if "?" in sentence:
        cues.append("question")
    if words & GREETING:
        cues.append("greeting")
    if words & PROMO:
        cues.append("promo")
    if words & SECOND:
        cues.append("you")
    if words & FIRST:
        cues.append("first_person")
    if words & FUTURE:
        cues.append("future")
    if words & THIRD:
        cues.append("third_person")
    if words & OBLIGE:
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


class Model:
    """Weights read from the model file; `score()` is pure Python and fast."""

    def __init__(self, data: dict) -> None:
        self.bits: int = data["bits"]
        self.bias: float = data["bias"]
        self.offset: float = data.get("offset", 0.0)
        self.weights: dict[int, float] = {int(k): v for k, v in data["weights"].items()}
        self.version: str = data.get("version", "")
        # the feature groups the weights were learnt on: others would only read the weight of
        # whatever feature shares their hashed slot
        self.groups = frozenset(data.get("groups") or ())
        # spoken words get their own cut, in proportion to how spoken the sentence reads
        self.spoken_offset: float = data.get("spoken_offset", self.offset)
        reg = data.get("register") or {"bias": 0.0, "weights": {}, "groups": []}
        self.register_bias: float = reg["bias"]
        self.register_weights: dict[int, float] = {int(k): v for k, v in reg["weights"].items()}
        self.register_groups = frozenset(reg["groups"])
        self.pairs: bool = not self.groups or "b" in self.groups or "b" in self.register_groups
        self._mask = (1 << self.bits) - 1
        self._known: dict[str, float] = {}  # feature -> weight, as met: hashing once per word
        self._known_register: dict[str, float] = {}
        self._pairs: dict[str, tuple[float, float]] = {}
        # for score_sentence: both weights of a feature as one complex number, keyed by the
        # feature, or by the word or pair of words of word features (no string built for them)
        self._fixed: dict[str, complex] = {}
        self._words: dict[str, complex] = {}
        self._bigrams: dict[tuple[str, str], complex] = {}

    def _learnt(self, feature: str) -> bool:
        return not self.groups or feature.split(":", 1)[0] in self.groups

    def weight(self, feature: str) -> float:
        v = self._known.get(feature)
        if v is None:
            v = 0.0
            if self._learnt(feature):
                v = self.weights.get(zlib.crc32(feature.encode("utf-8")) & self._mask, 0.0)
            if len(self._known) < KNOWN_MAX:
                self._known[feature] = v
        return v

    def margin(self, feats: list[str]) -> float:
        known = self._known
        total = self.bias
        for f in feats:
            v = known.get(f)
            total += self.weight(f) if v is None else v
        return total

    def spoken(self, feats: list[str]) -> float:
        """Probability that the sentence is spoken words (a debate) rather than news prose."""
        if not self.register_weights:
            return 0.0
        known, w, mask, groups = self._known_register, self.register_weights, self._mask, self.register_groups
        total = self.register_bias
        for f in feats:
            v = known.get(f)
            if v is None:
                v = w.get(zlib.crc32(f.encode("utf-8")) & mask, 0.0) if f.split(":", 1)[0] in groups else 0.0
                if len(known) < KNOWN_MAX:
                    known[f] = v
            total += v
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))

    def _pair(self, feature: str) -> tuple[float, float]:
        pair = self._lookup(feature)
        if len(self._pairs) < KNOWN_MAX:
            self._pairs[feature] = pair
        return pair

    def _lookup(self, feature: str) -> tuple[float, float]:
        """(check-worthiness weight, register weight) of a feature."""
        slot = zlib.crc32(feature.encode("utf-8")) & self._mask
        reg = self.register_weights.get(slot, 0.0) if feature.split(":", 1)[0] in self.register_groups else 0.0
        return (self.weights.get(slot, 0.0) if self._learnt(feature) else 0.0, reg)

    def score_sentence(
        self,
        sentence: str,
        *,
        toks: list[str],
        low: list[str],
        qty: list[Quantity],
        kind: str,
        rule_score: float,
        attributed: bool = False,
        in_quote: bool = False,
        role: str | None = None,
        repeat: bool = False,
    ) -> tuple[float, list[str]]:
        """`score(*features(sentence, ...))` from the sentence's TOKEN_RE tokens `toks` and
        their lower case `low`, without building a string for each word and word pair."""
        feats, cues, words_norm = _features(
            sentence, toks, low, qty, kind, rule_score, attributed, in_quote, role, repeat
        )
        # each feature's two weights as one complex number (check-worthiness + register * 1j):
        # one addition a feature, which adds the real and the imaginary parts as two floats would
        known = self._fixed
        total = complex(self.bias, self.register_bias)
        for f in feats:
            c = known.get(f)
            total += self._cached(known, f, f) if c is None else c
        known = self._words
        for w in set(words_norm):
            c = known.get(w)
            total += self._cached(known, w, f"w:{stem(w)}") if c is None else c
        if not self.pairs:
            return self._finish(total.real, total.imag, cues, spoken=role is not None)
        bigrams = self._bigrams
        for ab in set(zip(words_norm, words_norm[1:], strict=False)):
            c = bigrams.get(ab)
            total += self._cached(bigrams, ab, f"b:{stem(ab[0])}_{stem(ab[1])}") if c is None else c
        return self._finish(total.real, total.imag, cues, spoken=role is not None)

    def _cached(self, known: dict, key: object, feature: str) -> complex:
        z, r = self._lookup(feature)
        c = complex(z, r)
        if len(known) < KNOWN_MAX:
            known[key] = c
        return c

    def score(self, feats: list[str], cues: list[str]) -> tuple[float, list[str]]:
        """(check-worthiness 0..1, reasons: the cues that raised it most, strongest first)."""
        pairs = self._pairs
        z, r = self.bias, self.register_bias
        for f in feats:  # margin() and spoken() in one pass: this runs for every sentence
            pair = pairs.get(f) or self._pair(f)
            z += pair[0]
            r += pair[1]
        return self._finish(z, r, cues, spoken=any(f.startswith("role:") for f in feats))

    def _finish(self, z: float, r: float, cues: list[str], *, spoken: bool = False) -> tuple[float, list[str]]:
        """The probability and reasons from the summed margins `z` (check-worthiness) and `r`
        (register) of a sentence's features. `spoken`: words known to be spoken (a speaker's
        turn in a transcript) take the spoken cut whole; guessing the register there would
        move prose-like statements below a moderator's chatty questions in one debate."""
        offset = self.offset
        if spoken:
            offset = self.spoken_offset
        elif self.register_weights and "in_quote" not in cues and "attributed" not in cues:
            spoken_share = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, r))))
            offset += spoken_share * (self.spoken_offset - self.offset)
        z += offset
        prob = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        up = sorted(((self.weight(f"c:{c}"), c) for c in cues if c in REASONS), reverse=True)
        return prob, [REASONS[c] for v, c in up[:3] if v > 0.05]


@cache
def model() -> Model | None:
    """The shipped model, or None when the file is missing (the rules then score alone)."""
    try:
        return Model(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
