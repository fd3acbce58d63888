"""Fitting the check-worthiness model: the feature matrix (hashed, with the speaker's role
scaled up), the settings searched, the logistic regression (scikit-learn, training only),
and the ranking measures it is chosen by (average precision, MAP over transcripts)."""

from __future__ import annotations

from dataclasses import dataclass

from . import checkworthy
from .checkworthy_data import (
    Row,
)

# The role of the speaker is a handful of features seen on every transcript sentence: their
# values are scaled up in training, which lightens their regularisation (a moderator's
# figures are rarely chosen for checking, and a small penalty would not say so).
ROLE_GROUPS = frozenset({"role", "rc"})
ROLE_SCALE = 10.0


def average_precision(labels: list[int], scores: list[float]) -> float:
    """The lab's AP: sentences ranked by score, ties in line order."""
    order = sorted(range(len(labels)), key=lambda i: -scores[i])
    hits, ap = 0, 0.0
    for r, i in enumerate(order, 1):
        if labels[i]:
            hits += 1
            ap += hits / r
    return ap / max(1, sum(labels))


def matrix(rows: list[Row], bits: int, groups_of_features: set[str]):
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for row in rows:
        cols: dict[int, float] = {}
        for f in row.feats:
            group = f.split(":", 1)[0]
            if group in groups_of_features:
                # summed: features sharing a slot add up at run time as well
                i = checkworthy.feature_index(f, bits)
                cols[i] = cols.get(i, 0.0) + (ROLE_SCALE if group in ROLE_GROUPS else 1.0)
        for i in sorted(cols):
            indices.append(i)
            data.append(cols[i])
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), 1 << bits))


def role_slots(rows: list[Row], bits: int) -> set[int]:
    """Hashed slots of the speaker's role features, whose values are scaled in training."""
    return {
        checkworthy.feature_index(f, bits) for r in rows if r.role for f in r.feats if f.split(":", 1)[0] in ROLE_GROUPS
    }


@dataclass(frozen=True)
class Settings:
    c: float
    news_weight: float
    groups: tuple[str, ...]
    bits: int = 18


FEATURE_GROUPS = {
    "cues+words": ("c", "k", "len", "rule", "qty", "u", "role", "rc", "first", "w"),
    "cues+words+pairs": ("c", "k", "len", "rule", "qty", "u", "role", "rc", "first", "w", "b"),
    "cues only": ("c", "k", "len", "rule", "qty", "u", "role", "rc", "first"),
}
# Chosen by cross-validation over whole transcripts (see main): word pairs and weak
# regularisation remember the training debates and do no better on a debate never read.
DEFAULT_GROUPS = "cues+words"
DEFAULT_C = 0.01
SEARCH_GROUPS = ("cues only", "cues+words", "cues+words+pairs")
SEARCH_C = (0.01, 0.03, 0.1)


def fit(rows: list[Row], st: Settings):
    from sklearn.linear_model import LogisticRegression

    x = matrix(rows, st.bits, set(st.groups))
    y = [r.label for r in rows]
    w = [r.weight * (st.news_weight if r.group.endswith(".json") else 1.0) for r in rows]
    clf = LogisticRegression(C=st.c, solver="liblinear", max_iter=1000, class_weight="balanced", random_state=0)
    clf.fit(x, y, sample_weight=w)
    return clf


def margins(clf, rows: list[Row], st: Settings) -> list[float]:
    return list(clf.decision_function(matrix(rows, st.bits, set(st.groups))))


def transcript_map(rows: list[Row], scores: list[float], labels: dict[str, list[int]], role: bool) -> float:
    """MAP over the transcripts among rows: a sentence scores its best row."""
    best: dict[str, list[float]] = {}
    for row, z in zip(rows, scores, strict=True):
        if row.role != role or row.group not in labels:
            continue
        sc = best.setdefault(row.group, [-1e9] * len(labels[row.group]))
        sc[row.unit] = max(sc[row.unit], z)
    aps = [average_precision(labels[g], sc) for g, sc in best.items()]
    return sum(aps) / len(aps) if aps else 0.0


def folds(names: list[str], k: int) -> list[list[str]]:
    """`k` groups of whole transcripts (every `k`-th name); k of 0 or more than the
    transcripts: one transcript a fold (leave one transcript out)."""
    k = len(names) if k <= 0 else min(k, len(names))
    return [names[i::k] for i in range(k)]
