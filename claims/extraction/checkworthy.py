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
from functools import cache
from pathlib import Path

from .checkworthy_features import (
    KNOWN_MAX,
    REASONS,
    TOKEN_RE,
    feature_index,
    features,
    sentence_cues,
    stem,
)
from .models import Quantity

MODEL_PATH = Path(__file__).with_name("data") / "checkworthy.json"

__all__ = [
    "KNOWN_MAX",
    "REASONS",
    "TOKEN_RE",
    "feature_index",
    "features",
    "stem",
    "MODEL_PATH",
    "Model",
    "model",
]


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
        self._known: dict[str, float] = {}  # feature -> weight, as met: hashing once per word
        self._known_register: dict[str, float] = {}
        self._pairs: dict[str, tuple[float, float]] = {}
        # for score_sentence: both weights of a feature as one complex number, keyed by the
        # feature, or by the word or pair of words of word features (no string built for them)
        self._fixed: dict[str, complex] = {}
        self._words: dict[str, complex] = {}
        self._bigrams: dict[tuple[str, str], complex] = {}
        self._reasons_of: dict[tuple[str, ...], tuple[str, ...]] = {}

    def _learnt(self, feature: str) -> bool:
        return not self.groups or feature.split(":", 1)[0] in self.groups

    def weight(self, feature: str) -> float:
        v = self._known.get(feature)
        if v is None:
            v = 0.0
            if self._learnt(feature):
                v = self.weights.get(feature_index(feature, self.bits), 0.0)
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
        known, w, bits, groups = self._known_register, self.register_weights, self.bits, self.register_groups
        total = self.register_bias
        for f in feats:
            v = known.get(f)
            if v is None:
                v = w.get(feature_index(f, bits), 0.0) if f.split(":", 1)[0] in groups else 0.0
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
        slot = feature_index(feature, self.bits)
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
        feats, cues, words_norm = sentence_cues(
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
        return prob, list(self._reasons(tuple(cues)))

    def _reasons(self, cues: tuple[str, ...]) -> tuple[str, ...]:
        """The reasons of a sentence with these cues: those of the cues that raise the score
        most, strongest first. Sentences share few sets of cues, so each set is sorted once."""
        reasons = self._reasons_of.get(cues)
        if reasons is None:
            up = sorted(((self.weight(f"c:{c}"), c) for c in cues if c in REASONS), reverse=True)
            reasons = tuple(REASONS[c] for v, c in up[:3] if v > 0.05)
            if len(self._reasons_of) < KNOWN_MAX:
                self._reasons_of[cues] = reasons
        return reasons


@cache
def model() -> Model | None:
    """The shipped model, or None when the file is missing (the rules then score alone)."""
    try:
        return Model(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
