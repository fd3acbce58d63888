"""The wording of a statement as "already checked?" compares it: normalised, split into the
words and stems a restatement would share, figures, names, pg_trgm's trigrams, and the
analysis of all of these stored with each claim so candidates are not analysed again.

Pure Python, no Django."""

from __future__ import annotations

import re
import zlib
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
def word_trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after (a word's
    trigrams are remembered: the same words come back in every candidate)."""
    return set().union(*map(word_trigrams, TRIGRAM_WORD.findall(text.lower())))


def similarity(a: str | set[str] | frozenset[str], b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of both texts (`a` may be
    given as its trigrams, when one text is compared with many)."""
    ta, tb = (trigrams(a) if isinstance(a, str) else a), trigrams(b)
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared) if ta and tb else 0.0


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
    count = len(set().union(*map(word_trigrams, split)))
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
