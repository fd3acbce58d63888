"""Text side of "already checked?": the query as a fact-checker pastes it (a tweet, a
sentence), normalised into the terms a restatement of the same claim would share, and the
re-ranking of the candidates the database's full-text index returns.

Pure Python, no Django: the database finds candidates (claims.matching), this module says
how alike two statements are and why.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import snowballstemmer

# Function words and the filler of social posts: they say nothing about which claim a text
# repeats. (PostgreSQL's 'english' configuration and the stemmer drop most of them too.)
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    also via amp rt im dont didnt doesnt isnt wasnt cant wont thats its ive youre theyre let
    lets get got gets one us may might must shall says said say like just really new today""".split()
)

URL = re.compile(r"(?:https?://|www\.)\S+|pic\.twitter\.com/\w+|\b\w+\.(?:com|org|net|co|ly)/\S*", re.I)
# "— Name (@handle) January 6, 2020" at the end of an embedded post: the name stays (who
# said it is often part of what was checked), the handle and the date go.
SIGNATURE = re.compile(r"\s*[—–-]+\s*([^—–\n]{0,80}?)\s*\(@\w+\)\s*(?:\w+\s+\d{1,2},\s*\d{4})?\s*$")
HANDLE_OR_TAG = re.compile(r"[@#](\w+)")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
QUOTES = re.compile(r"[\"“”„«»‘’‚‹›*_]")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

_stemmer = snowballstemmer.stemmer("english")
_porter = snowballstemmer.stemmer("porter")  # the original algorithm, as SQLite's FTS5 stems


def text_normalise(text: str) -> str:
    """The statement in a text as it arrives: links, quotation marks and the handle and date
    of an embedded post's signature gone (the name kept); handles and hashtags turned into
    their words ("#ClimateStrike" becomes "Climate Strike")."""
    text = URL.sub(" ", text)
    text = SIGNATURE.sub(lambda m: " " + m.group(1), text)
    text = HANDLE_OR_TAG.sub(lambda m: " " + CAMEL.sub(" ", m.group(1)).replace("_", " ") + " ", text)
    text = QUOTES.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


@lru_cache(maxsize=50_000)
def porter(word: str) -> str:
    return _porter.stemWord(word)


def words(text: str) -> list[str]:
    """Lower-case words of a normalised text, possessive "'s" dropped."""
    return [w.split("'")[0] for w in WORD.findall(text.lower().replace("’", "'"))]


def query_terms(text: str, most: int = 32) -> list[str]:
    """The informative words of a text, first occurrence first, without repeats or function
    words: what the full-text query ORs together."""
    seen: set[str] = set()
    terms = []
    for word in words(text_normalise(text)):
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        key = stem(word)
        if key not in seen:
            seen.add(key)
            terms.append(word)
    return terms[:most]


def numbers(text: str) -> set[str]:
    """Figures stated in a text, written without thousands separators ("1,000" -> "1000");
    years and counts alike."""
    found = set()
    for raw in NUMBER.findall(text):
        value = raw.replace(",", "")
        found.add(value.rstrip("0").rstrip(".") if "." in value else value)
    return found


def stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())}


TRIGRAM_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=100_000)
def _word_trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after (a word's
    trigrams are remembered: the same words come back in every candidate)."""
    return set().union(*map(_word_trigrams, TRIGRAM_WORD.findall(text.lower())))


def similarity(a: str | set[str] | frozenset[str], b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of both texts (`a` may be
    given as its trigrams, when one text is compared with many)."""
    ta, tb = (trigrams(a) if isinstance(a, str) else a), trigrams(b)
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared) if ta and tb else 0.0


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
NAME = re.compile(r"\b[A-Z][a-zA-Z]+")
# A text that shows or links a picture or a video, and a checked claim about one ("a photograph
# shows ..."): posts spread images, and many checks are of what an image shows.
MEDIA_LINK = re.compile(r"pic\.twitter\.com/|youtu\.?be|instagram\.com/|tiktok\.com/|/(?:photo|video)s?/", re.I)
MEDIA_WORD = re.compile(r"\b(?:photo\w*|pic|pics|picture\w*|image\w*|video\w*|footage|clip|meme|screenshot\w*)\b", re.I)


def stem_list(text: str) -> list[str]:
    """Stems of a text's informative words, repeats kept (BM25 counts them)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def names(text: str) -> set[str]:
    """Stems of the capitalised words that are not function words: the people, places and
    bodies a text names (and the first word of each sentence, which rarely matters)."""
    return {stem(w.lower()) for w in NAME.findall(text) if w.lower() not in STOPWORDS}


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


def features(
    query: Query,
    text: str,
    score: float,
    best: float,
    most: float,
    *,
    c_stems: set[str] | None = None,
    c_numbers: set[str] | None = None,
) -> list[float]:
    """The re-ranker's view of one candidate (`score` its BM25, `best` the best candidate's,
    `most` what a candidate stating every query word once would score; its stems and
    figures when the caller has them already)."""
    c_stems = stems(text) if c_stems is None else c_stems
    c_numbers = numbers(text) if c_numbers is None else c_numbers
    shared, media = query.stems & c_stems, bool(MEDIA_WORD.search(text))
    return [
        score / (best or 1.0),
        min(1.0, score / (most or 1.0)),
        len(shared) / (len(query.stems) or 1),
        len(shared) / (len(c_stems) or 1),
        similarity(query.trigrams, text),
        1.0 if query.numbers & c_numbers else 0.0,
        1.0 if c_numbers and not query.numbers & c_numbers else 0.0,
        len(query.names & names(text)) / (len(query.names) or 1),
        min(len(c_stems), len(query.stems)) / (max(len(c_stems), len(query.stems)) or 1),
        1.0 if query.media and media else 0.0,
        1.0 if media and not query.media else 0.0,
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
    docs: Counter[str] = Counter()
    lengths = []
    for text in candidates:
        counts, length = _counted(text)
        lengths.append(length)
        docs.update(counts.keys())
    return Statistics(
        rows=float(rows or max(len(candidates), 1)), mean=sum(lengths) / (len(lengths) or 1), docs=dict(docs)
    )


@lru_cache(maxsize=8192)
def _counted(text: str) -> tuple[Mapping[str, int], int]:
    """A candidate's stems counted, and how many: the same earlier claims come back as
    candidates for claim after claim, so a worker remembers the latest few thousand."""
    counts = Counter(stem_list(text))
    return MappingProxyType(counts), sum(counts.values())


def rerank(query: str, candidates: list[tuple[int, str, float]], statistics: Statistics | None = None) -> list[Scored]:
    """Order the index's candidates (id, text, the index's own relevance) by the learned
    weighing of their BM25 and what they share with the query (words, names, figures,
    trigrams). The order is the model's; each candidate's score is its agreement with the
    query (how much of its content the query states, blended with trigram similarity), which
    does not depend on the other candidates and is what "likely duplicate" reads."""
    if not candidates:
        return []
    q = Query.of(query)
    statistics = statistics or statistics_from([text for _, text, _ in candidates])
    counted = [(pk, text, *_counted(text)) for pk, text, _ in candidates]
    scored = sorted(
        ((bm25(q, counts, length, statistics), pk, text, counts) for pk, text, counts, length in counted),
        key=lambda s: (-s[0], s[1]),
    )[:RERANK]
    best = scored[0][0] or 1.0
    most = sum(statistics.idf(key) for key in q.keys)
    weights = model()
    keyed = []
    for score, pk, text, counts in scored:
        c_stems, c_numbers = set(counts), numbers(text)  # stems(text) is the set of stem_list(text)
        x = features(q, text, score, best, most, c_stems=c_stems, c_numbers=c_numbers)
        order = sum(w * v for w, v in zip(weights, x, strict=True))
        shared, same_numbers, similar = q.stems & c_stems, set(q.numbers & c_numbers), x[4]
        agreement = 0.6 * len(shared) / (len(c_stems) or 1) + 0.4 * min(1.0, 2 * similar)
        reasons = _reasons(len(shared), len(c_stems), same_numbers, similar)
        keyed.append((-order, pk, Scored(id=pk, score=round(min(1.0, agreement), 3), reasons=reasons)))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [k[2] for k in keyed]


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
