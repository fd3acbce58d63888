"""Text side of "already checked?": the query as a fact-checker pastes it (a tweet, a
sentence), normalised into the terms a restatement of the same claim would share, and the
re-ranking of the candidates the database's full-text index returns.

Pure Python, no Django: the database finds candidates (claims.matching), this module says
how alike two statements are and why.
"""

from __future__ import annotations

import json
import math
import operator
import re
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


class Analysis:
    """What the re-ranker reads of a candidate, worked out once per text: its stems (each
    between two spaces, so a stem's count is `stems.count(" stem ")`), how many and how
    many distinct, its figures, its words as pg_trgm splits them and how many trigrams they
    make, its names, and whether it is about a picture or video.

    Stored with each claim and imported fact-check when it is saved (`analysis_dump`), and
    read back (`analysis_load`) by the matching job instead of analysing ~2,400 candidates
    per article again. Fields are parsed only as far as a candidate gets in the ranking."""

    __slots__ = ("stems", "length", "distinct", "trigram_count", "media", "numbers_field", "words", "names_field")

    def __init__(self, parts: list[str]) -> None:
        counts = parts[1].split(" ")
        self.length, self.distinct, self.trigram_count = int(counts[0]), int(counts[1]), int(counts[2])
        self.media = counts[3] == "1"
        self.stems = f" {parts[2].replace(' ', '  ')} "
        self.numbers_field, self.words, self.names_field = parts[3], parts[4], parts[5]

    def numbers(self) -> frozenset[str]:
        return frozenset(self.numbers_field.split()) if self.numbers_field else frozenset()


# The stored form: a version and the text's checksum (so an analysis of another text, or of
# an older version of this code, is never read), then tab-separated fields: the counts
# (stems, distinct stems, trigrams, media 0/1), then the stems in order, figures, words and
# names, each space-separated (they hold no spaces or tabs: [a-z0-9.] only).
ANALYSIS_VERSION = "1"
_FIELDS = 6


def _checksum(text: str) -> str:
    return f"{ANALYSIS_VERSION}:{zlib.crc32(text.encode('utf-8', 'surrogatepass')):08x}"


def analysis_dump(text: str) -> str:
    """The stored form of `text`'s analysis (what `analysis_load` reads back)."""
    listed = stem_list(text)
    split = sorted(set(TRIGRAM_WORD.findall(text.lower())))
    count = len(set().union(*map(_word_trigrams, split)))
    media = "1" if MEDIA_WORD.search(text) else "0"
    fields = (
        f"{len(listed)} {len(set(listed))} {count} {media}",
        " ".join(listed),
        " ".join(sorted(numbers(text))),
        " ".join(split),
        " ".join(sorted(names(text))),
    )
    return "\t".join((_checksum(text), *fields))


@lru_cache(maxsize=8192)
def analysis_of(text: str) -> Analysis:
    """A candidate's analysis worked out from its text: for texts stored without one (the
    latest few thousand are remembered: the same earlier claims come back as candidates)."""
    return Analysis(analysis_dump(text).split("\t"))


def analysis_load(stored: str | None, text: str) -> Analysis:
    """The analysis stored for `text`, or worked out from it when none is stored for this
    very text (an older row, a text changed outside the models' save)."""
    parts = stored.split("\t") if stored else []
    if len(parts) != _FIELDS or parts[0] != _checksum(text):
        return analysis_of(text)
    return Analysis(parts)


class QuerySide(dict[str, frozenset[str]]):
    """A query's side of the trigram similarity: for each candidate word, which of the
    query's trigrams it holds (a candidate's share is the union over its words; the same
    words recur across an article's candidates, so each is worked out once per query)."""

    def __init__(self, query: Query) -> None:
        super().__init__()
        self.trigrams = query.trigrams
        self.size = len(query.trigrams)

    def __missing__(self, word: str) -> frozenset[str]:
        found = self[word] = self.trigrams & _word_trigrams(word)
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
