"""The learned attribution decisions, read at run time by pure Python.

``data/attribution.json`` holds, per decision, a logistic regression over named binary
features (generic feature names such as ``"dist=1"`` or ``"pron=she&gender=match"``;
never corpus text): ``{"decisions": {name: {"bias": b, "weights": {feature: w}}}}``.
It is written by ``python -m claims.extraction.train_attribution`` (scikit-learn, at
training time only). Scoring a candidate is a dictionary lookup per feature, so the model
adds no import beyond ``json`` and keeps extraction linear in the text length.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from itertools import repeat
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "data" / "attribution.json"


class Decision:
    """One binary decision: P(yes | features) = sigmoid(bias + sum of feature weights)."""

    def __init__(self, bias: float = 0.0, weights: dict[str, float] | None = None, threshold: float = 0.5) -> None:
        self.bias = bias
        self.weights = weights or {}
        self.threshold = threshold  # tuned on the validation part

    def margin(self, features: list[str]) -> float:
        return self.bias + sum(map(self.weights.get, features, repeat(0.0)))

    def probability(self, features: list[str]) -> float:
        z = self.margin(features)
        return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


_installed: dict | None = None  # training's model in the making (see install)


@lru_cache(maxsize=1)
def _raw(path: str = str(MODEL_PATH)) -> dict:
    if _installed is not None:
        return _installed
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=1)
def load() -> dict[str, Decision]:
    """The shipped decisions by name; an absent file gives none (the rules decide alone)."""
    return {
        name: Decision(float(d["bias"]), {k: float(v) for k, v in d["weights"].items()}, float(d.get("threshold", 0.5)))
        for name, d in _raw().get("decisions", {}).items()
    }


def decision(name: str) -> Decision | None:
    return load().get(name)


@lru_cache(maxsize=8)
def vocabulary(name: str) -> frozenset[str]:
    """A word list the model was trained with (generic words: cue verbs, function words)."""
    return frozenset(_raw().get("vocabularies", {}).get(name, []))


def install(raw: dict | None) -> None:
    """Run with the decisions of ``raw`` (the file's layout) instead of the shipped file:
    training fits one decision, then reads the extractor's output with it to fit the next,
    so the result never depends on the file it replaces. ``None`` goes back to the file."""
    global _installed
    _installed = raw
    reload()


def reload() -> None:
    """Forget the loaded model (training writes a new file and reads it back)."""
    _raw.cache_clear()
    load.cache_clear()
    vocabulary.cache_clear()
