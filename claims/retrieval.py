"""Text side of "already checked?": the query as a fact-checker pastes it (a tweet, a
sentence), normalised into the terms a restatement of the same claim would share, and the
re-ranking of the candidates the database's full-text index returns.

Pure Python, no Django: the database finds candidates (claims.matching), this module says
how alike two statements are and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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

URL = re.compile(r"(?:https?://|www\.)\S+|\bpic\.twitter\.com/\w+|\b\w+\.(?:com|org|net|co|ly)/\S*", re.I)
# "— Name (@handle) January 6, 2020" at the end of an embedded tweet.
SIGNATURE = re.compile(r"\s*[—–-]+\s*[^—–\n]{0,80}\(@\w+\)\s*(?:\w+\s+\d{1,2},\s*\d{4})?\s*$")
HANDLE_OR_TAG = re.compile(r"[@#](\w+)")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
QUOTES = re.compile(r"[\"“”„«»‘’‚‹›*_]")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

_stemmer = snowballstemmer.stemmer("english")
_porter = snowballstemmer.stemmer("porter")  # the original algorithm, as SQLite's FTS5 stems


def text_normalise(text: str) -> str:
    """The statement in a text as it arrives: links, the signature of an embedded post and
    quotation marks gone; handles and hashtags turned into their words ("#ClimateStrike"
    becomes "Climate Strike")."""
    text = URL.sub(" ", text)
    text = SIGNATURE.sub("", text)
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


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str | set[str], b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of both texts (`a` may be
    given as its trigrams, when one text is compared with many)."""
    ta, tb = (a if isinstance(a, set) else trigrams(a)), trigrams(b)
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared) if ta and tb else 0.0


@dataclass(frozen=True)
class Scored:
    """A candidate re-ranked: `score` is 0..1, `reasons` say in words why it matched."""

    id: int
    score: float
    reasons: tuple[str, ...]


# Weights of the re-ranking, chosen on four fifths of a public claim-retrieval training set
# (the rest held out): the index's relevance rank decides most; how much of the query the
# candidate states and their trigram similarity separate close ones; shared figures a little.
W_QUERY, W_SIMILAR, W_NUMBERS = 0.15, 0.4, 0.05
LIKELY = 0.6  # agreement from which a candidate is shown as a likely duplicate


def rerank(query: str, candidates: list[tuple[int, str, float]]) -> list[Scored]:
    """Order the index's candidates (id, text, relevance; higher is better) by relevance
    relative to the best candidate, the share of the query's words each states, trigram
    similarity and shared figures. Each gets a score 0..1 that does not depend on the other
    candidates: how much of its content the query states, blended with trigram similarity."""
    if not candidates:
        return []
    query = text_normalise(query)
    q_stems, q_numbers, q_trigrams = stems(query), numbers(query), trigrams(query)
    best = max(rank for _, _, rank in candidates) or 1.0
    keyed = []
    for pk, text, rank in candidates:
        c_stems, c_numbers = stems(text), numbers(text)
        shared, same_numbers = q_stems & c_stems, q_numbers & c_numbers
        similar = similarity(q_trigrams, text)
        figures = 1.0 if same_numbers else (0.0 if c_numbers else 0.5)
        order = rank / best + W_QUERY * len(shared) / (len(q_stems) or 1) + W_SIMILAR * similar + W_NUMBERS * figures
        score = 0.6 * len(shared) / (len(c_stems) or 1) + 0.4 * min(1.0, 2 * similar)
        reasons = _reasons(len(shared), len(c_stems), same_numbers, similar)
        keyed.append((-order, pk, Scored(id=pk, score=round(min(1.0, score), 3), reasons=tuple(reasons))))
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
