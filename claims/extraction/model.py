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
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "data" / "attribution.json"


class Decision:
    """One binary decision: P(yes | features) = sigmoid(bias + sum of feature weights)."""

    def __init__(self, bias: float = 0.0, weights: dict[str, float] | None = None) -> None:
        self.bias = bias
        self.weights = weights or {}

    def margin(self, features: list[str]) -> float:
        w = self.weights
        return self.bias + sum(w.get(f, 0.0) for f in features)

    def probability(self, features: list[str]) -> float:
        z = self.margin(features)
        return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


@lru_cache(maxsize=1)
def load(path: str = str(MODEL_PATH)) -> dict[str, Decision]:
    """The shipped decisions by name; an absent file gives none (the rules decide alone)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {
        name: Decision(float(d["bias"]), {k: float(v) for k, v in d["weights"].items()})
        for name, d in raw.get("decisions", {}).items()
    }


def decision(name: str) -> Decision | None:
    return load().get(name)
