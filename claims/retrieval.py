"""Text side of "already checked?": the query as a fact-checker pastes it (a tweet, a
sentence), normalised into the terms a restatement of the same claim would share, and the
re-ranking of the candidates the database's full-text index returns.

Pure Python, no Django: the database finds candidates (claims.matching), this module says
how alike two statements are and why; claims.wording analyses each text (its names are
re-exported here for the callers that read them from this module).
"""

from __future__ import annotations

import json
import math
import operator
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .wording import (
    MEDIA_LINK,
    MEDIA_WORD,
    STOPWORDS,
    Analysis,
    analysis_dump,
    analysis_load,
    analysis_of,
    names,
    numbers,
    porter,
    query_terms,
    similarity,
    stem,
    stem_list,
    stems,
    text_normalise,
    trigrams,
    word_trigrams,
    words,
)

__all__ = [
    "Analysis",
    "MEDIA_LINK",
    "MEDIA_WORD",
    "STOPWORDS",
    "word_trigrams",
    "analysis_dump",
    "analysis_load",
    "analysis_of",
    "names",
    "numbers",
    "porter",
    "query_terms",
    "similarity",
    "stem",
    "stem_list",
    "stems",
    "text_normalise",
    "trigrams",
    "words",
    "LIKELY",
    "MODEL_PATH",
    "RERANK",
    "K1",
    "B",
    "Scored",
    "Statistics",
    "rerank",
    "match_reasons",
    "model",
    "features",
    "FEATURES",
    "statistics_from",
]


@dataclass(frozen=True)
class Scored:
    """A candidate re-ranked: `score` is 0..1, `reasons` say in words why it matched."""

    id: int
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Statistics:
    """What BM25 needs to know about the searched collection: its entries, their mean length
    in stems, and how many entries hold each of the query's stems (as far as the database's
    index knows; a stem missing is rare)."""

    rows: float
    mean: float
    docs: dict[str, float]

    def idf(self, key: str) -> float:
        df = max(1.0, self.docs.get(key) or 0.0)
        return math.log(1 + max(0.0, self.rows - df + 0.5) / (df + 0.5))


# BM25 computed here, over the database's candidates, with the database's term counts: both
# databases then rank by the same formula and the same stems, whatever their own index does.
K1, B = 1.2, 0.75
RERANK = 30  # the best candidates by BM25 that the model orders
LIKELY = 0.6  # agreement from which a candidate is shown as a likely duplicate
MODEL_PATH = Path(__file__).with_name("data") / "matching.json"


@dataclass(frozen=True)
class Query:
    """A query's side of the comparison, computed once for all its candidates."""

    text: str
    keys: tuple[str, ...]  # the stems of its informative words, once each
    stems: frozenset[str]
    numbers: frozenset[str]
    trigrams: frozenset[str]
    names: frozenset[str]
    media: bool

    @classmethod
    def of(cls, text: str) -> Query:
        media = bool(MEDIA_LINK.search(text) or MEDIA_WORD.search(text))
        text = text_normalise(text)
        keys = tuple(dict.fromkeys(stem(t) for t in query_terms(text)))
        return cls(
            text=text,
            keys=keys,
            stems=frozenset(stems(text)),
            numbers=frozenset(numbers(text)),
            trigrams=frozenset(trigrams(text)),
            names=frozenset(names(text)),
            media=media,
        )


def bm25(query: Query, counts: Mapping[str, int], length: int, statistics: Statistics) -> float:
    """Okapi BM25 of one candidate (its stems counted) for the query's stems."""
    score, norm = 0.0, K1 * (1 - B + B * length / (statistics.mean or 1.0))
    for key in query.keys:
        tf = counts.get(key)
        if tf:
            score += statistics.idf(key) * tf * (K1 + 1) / (tf + norm)
    return score


# What the learned re-ranker weighs, in the order of its weights (see claims.train_matching).
FEATURES = (
    "bm25 relative to the best candidate",
    "bm25 relative to the most the query could score",
    "share of the query's words it states",
    "share of its words the query states",
    "trigram similarity",
    "shares a figure",
    "states figures the query does not",
    "share of the query's names it states",
    "length ratio",
    "both show a picture or video",
    "it is about a picture or video, the query shows none",
)


def features(query: Query, text: str, score: float, best: float, most: float) -> list[float]:
    """The re-ranker's view of one candidate (`score` its BM25, `best` the best candidate's,
    `most` what a candidate stating every query word once would score)."""
    candidate = analysis_of(text)
    shared = sum(1 for key in query.stems if f" {key} " in candidate.stems)
    return _features(query, candidate, score, best, most, shared, _similar(QuerySide(query), candidate))


def _features(
    query: Query, c: Analysis, score: float, best: float, most: float, shared: int, similar: float
) -> list[float]:
    c_numbers = c.numbers()
    return [
        score / (best or 1.0),
        min(1.0, score / (most or 1.0)),
        shared / (len(query.stems) or 1),
        shared / (c.distinct or 1),
        similar,
        1.0 if query.numbers & c_numbers else 0.0,
        1.0 if c_numbers and not query.numbers & c_numbers else 0.0,
        len(query.names.intersection(c.names_field.split())) / (len(query.names) or 1),
        min(c.distinct, len(query.stems)) / (max(c.distinct, len(query.stems)) or 1),
        1.0 if query.media and c.media else 0.0,
        1.0 if c.media and not query.media else 0.0,
    ]


@lru_cache(maxsize=1)
def model() -> tuple[float, ...]:
    """The re-ranker's weights, one per feature, as `python -m claims.train_matching` wrote
    them."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if list(data["features"]) != list(FEATURES):
        raise ValueError(f"{MODEL_PATH.name} was trained on other features; run python -m claims.train_matching")
    return tuple(float(w) for w in data["weights"])


def statistics_from(candidates: list[str], rows: float | None = None) -> Statistics:
    """Statistics estimated from the candidates alone, for callers without an index."""
    return _statistics_of([analysis_of(text) for text in candidates], rows)


def _statistics_of(analyses: list[Analysis], rows: float | None = None) -> Statistics:
    docs: Counter[str] = Counter()
    for analysis in analyses:
        docs.update(set(analysis.stems.split()))
    return Statistics(
        rows=float(rows or max(len(analyses), 1)),
        mean=sum(a.length for a in analyses) / (len(analyses) or 1),
        docs=dict(docs),
    )


class QuerySide(dict[str, frozenset[str]]):
    """A query's side of the trigram similarity: for each candidate word, which of the
    query's trigrams it holds (a candidate's share is the union over its words; the same
    words recur across an article's candidates, so each is worked out once per query)."""

    def __init__(self, query: Query) -> None:
        super().__init__()
        self.trigrams = query.trigrams
        self.size = len(query.trigrams)

    def __missing__(self, word: str) -> frozenset[str]:
        found = self[word] = self.trigrams & word_trigrams(word)
        return found


_EMPTY: frozenset[str] = frozenset()


def _similar(side: QuerySide, c: Analysis) -> float:
    """pg_trgm's similarity() of the query and the candidate, as `similarity` computes it."""
    if not side.size or not c.trigram_count:
        return 0.0
    common = len(_EMPTY.union(*map(side.__getitem__, c.words.split())))
    return common / (side.size + c.trigram_count - common)


def rerank(
    query: str,
    candidates: list[tuple[int, str, float]],
    statistics: Statistics | None = None,
    *,
    analyses: list[str | None] | None = None,
    keep: int | None = None,
) -> list[Scored]:
    """Order the index's candidates (id, text, the index's own relevance) by the learned
    weighing of their BM25 and what they share with the query (words, names, figures,
    trigrams). The order is the model's; each candidate's score is its agreement with the
    query (how much of its content the query states, blended with trigram similarity), which
    does not depend on the other candidates and is what "likely duplicate" reads.

    `analyses` are the candidates' stored analyses (`analysis_dump`), in their order, when
    the caller has them; `keep` returns only the best `keep`, the same as the first `keep`
    of the whole ranking."""
    if not candidates:
        return []
    q = Query.of(query)
    stored = analyses or [None] * len(candidates)
    found = [analysis_load(a, text) for (_, text, _), a in zip(candidates, stored, strict=True)]
    statistics = statistics or _statistics_of(found)
    # BM25 as `bm25` computes it, each query stem's count read from the candidate's stems.
    terms = [(f" {key} ", statistics.idf(key)) for key in q.keys]
    mean = statistics.mean or 1.0
    needles = [needle for needle, _ in terms]
    scored = []
    for (pk, _, _), c in zip(candidates, found, strict=True):
        score, norm = 0.0, K1 * (1 - B + B * c.length / mean)
        for tf, (_, idf) in zip(map(c.stems.count, needles), terms, strict=True):
            if tf:
                score += idf * tf * (K1 + 1) / (tf + norm)
        scored.append((score, pk, c))
    scored.sort(key=lambda s: (-s[0], s[1]))
    del scored[RERANK:]
    best = scored[0][0] or 1.0
    most = sum(statistics.idf(key) for key in q.keys)
    weights = model()
    side = QuerySide(q)
    q_stems = [f" {key} " for key in q.stems]
    keyed = []
    for score, pk, c in scored:
        shared = sum(map(c.stems.__contains__, q_stems))
        similar = _similar(side, c)
        # The weighted sum added up in the features' order, as the model was fitted.
        order = sum(map(operator.mul, weights, _features(q, c, score, best, most, shared, similar)))
        keyed.append((-order, pk, c, shared, similar))
    keyed.sort(key=lambda k: (k[0], k[1]))
    ranked = []
    for _, pk, c, shared, similar in keyed[:keep]:
        agreement = 0.6 * shared / (c.distinct or 1) + 0.4 * min(1.0, 2 * similar)
        same_numbers = set(q.numbers & c.numbers())
        reasons = _reasons(shared, c.distinct, same_numbers, similar)
        ranked.append(Scored(id=pk, score=round(min(1.0, agreement), 3), reasons=reasons))
    return ranked


def _reasons(shared: int, of: int, same_numbers: set[str], similar: float) -> tuple[str, ...]:
    reasons = []
    if shared:
        reasons.append(f"shares {shared} of its {of} words")
    if same_numbers:
        reasons.append("same figures: " + ", ".join(sorted(same_numbers, key=lambda n: (len(n), n))[:3]))
    if similar >= 0.45:
        reasons.append("near-identical wording")
    return tuple(reasons)


def match_reasons(text: str, other: str) -> tuple[str, ...]:
    """Why `other` matched `text`, in words: the words and figures they share."""
    text = text_normalise(text)
    c_stems = stems(other)
    return _reasons(len(stems(text) & c_stems), len(c_stems), numbers(text) & numbers(other), similarity(text, other))
