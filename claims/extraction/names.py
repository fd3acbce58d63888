"""Names as printed: capitalised runs, titles split off, person, organisation or place.

Pure functions of a string, cached, so a name seen twice costs nothing more.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from . import lexicon as L

CAP = "A-ZÀ-ÖØ-ÞĀĆČĎĘŁŃŌŘŚŠŤŽŻ"
TOKEN = rf"[{CAP}][\w'’.\-]{{0,40}}(?![\w'’.\-])"
CONNECT = r"(?:of|for|the|and|de|du|von|van|der|den|al|bin|la|le|da|dos|del)"
RUN_RE = re.compile(
    rf"{TOKEN}(?:\s*\([A-Z][A-Za-z.]{{1,9}}\))?"
    rf"(?:(?:\s+{CONNECT}){{0,3}}\s+{TOKEN}(?:\s*\([A-Z][A-Za-z.]{{1,9}}\))?){{0,9}}"
)
ACR_RE = re.compile(r"\s*\(([A-Z][A-Za-z.]{1,9})\)")
POSTNOMINALS = frozenset("QC KC MP MEP MBE OBE CBE KBE PhD MD Jr Sr II III".split())
POSSESSIVE_RE = re.compile(r"(?:'s|’s|'|’)$")
LEADING_STOP = frozenset(
    """The A An One Two Three In On At For But And Or However Yesterday Today Tomorrow Regarding
    According Joining During While When After Before With Both Speaking Commenting
    Meanwhile Also Then Indeed Since Although Though If As By From To Of Reportedly
    Last This That These Those It Its Their His Her Our My Your We They He She I
    Earlier Later So Still Yet Thus Hence Moreover Furthermore Instead Overall Finally
    First Second Third Many Most Some Several Other Another Every Each All No Not
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Like Unlike Outside Inside Despite
    Without Within Among Amid Against Until Unless Because Whether Even Just Only Now Here There
    What Why How Where Who Which Once Upon Throughout Toward Towards Beyond Behind Across Along
    Around Between Having Being""".split()
)
WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
# Capitalised words that are never a speaker's name on their own.
NOT_NAMES = frozenset(
    """January February March April May June July August September October November December
    Why What How Who Where Which Whose Whom Here There Now Then Yes No Please Thanks Update
    Photo Photos Video Watch Read See More Related Advertisement Editor Note Source Image""".split()
)
FULLNAME_RE = re.compile(
    r"(?:[Tt]he\s+)?[A-Z][\w'’.-]*(?:\s+(?:[a-z]{1,4}\s+)?[A-Z][\w'’.-]*)*"
    r"(?:\s*\([A-Z][A-Za-z.]{1,9}\))?"
)


@lru_cache(maxsize=4096)
def norm(name: str) -> str:
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    name = re.sub(r"[^a-z0-9 ]+", "", name.lower().replace("’", "'").replace("'s ", " "))
    name = re.sub(r"\s+", " ", name).strip()
    return name[4:] if name.startswith("the ") else name


@lru_cache(maxsize=4096)
def clean_run(run: str) -> tuple[str, str | None]:
    """Strip leading function words, trailing dots and a parenthesised acronym."""
    acr = None
    m = ACR_RE.search(run)
    if m:
        acr = m.group(1).replace(".", "")
        run = ACR_RE.sub("", run)
    words = run.split()
    i, j = 0, len(words)
    while i < j and (words[i] in LEADING_STOP or words[i] in NOT_NAMES or words[i].lower() in L.PRONOUNS_PERSON):
        i += 1
    while j > i and words[j - 1].lower() in ("of", "for", "the", "and", "on", "de"):
        j -= 1
    words = words[i:j]
    if words and words[-1].endswith(".") and len(words[-1]) > 2 and words[-1].count(".") == 1:
        words[-1] = words[-1][:-1]
    while len(words) > 1 and (words[-1].strip(".,") in POSTNOMINALS or POSSESSIVE_RE.sub("", words[-1]) in WEEKDAYS):
        words = words[:-1]  # "Judge Alan Pryce QC", "Ann Lee Sunday night"
    if words and POSSESSIVE_RE.search(words[-1]) and len(words[-1]) > 2:
        words[-1] = POSSESSIVE_RE.sub("", words[-1])  # "Judge Miller's statement"
    return " ".join(words), acr


@lru_cache(maxsize=4096)
def is_acronym(tok: str) -> bool:
    t = tok.replace(".", "")
    return len(t) >= 2 and t.isupper() and t.isalpha()


@lru_cache(maxsize=4096)
def split_person(run: str) -> tuple[str, list[str]]:
    """("League Secretary General Lena Brandvold") -> ("Lena Brandvold", [title words])."""
    words = run.split()
    for i in range(len(words) - 1, -1, -1):
        if POSSESSIVE_RE.search(words[i]) and i < len(words) - 1:
            return " ".join(words[i + 1 :]), words[: i + 1]
    j = len(words)
    while j > 0:
        w = words[j - 1]
        if (
            w in L.TITLE_WORDS
            or w.rstrip(".") in L.TITLE_WORDS
            or w in L.PLACES
            or w in L.NATIONALITIES
            or is_acronym(w)
            or w.lower() in ("of", "for", "the", "and")
            or w.strip(".") in L.HONORIFICS
        ):
            break
        j -= 1
    if j == len(words) >= 2 and not is_acronym(words[-1]):
        if is_given_name(words[-2]):
            j -= 2  # "Amy Pope", "Mark Cuban": a given name makes the last word a surname
        elif words[-2].strip(".") in L.HONORIFICS or words[-2] in L.HONORIFICS:
            j -= 1  # "Mr. King": after an honorific, a surname
    return " ".join(words[j:]), words[:j]


def is_given_name(word: str) -> bool:
    """A common given name that is not also a place ("Virginia", "Georgia")."""
    return (word.lower() in L.FEMALE_NAMES or word.lower() in L.MALE_NAMES) and word not in L.PLACES


@lru_cache(maxsize=4096)
def classify(run: str) -> str:
    """'organisation', 'person', 'weak' (two capitalised words we are unsure of), 'place'
    or '' (nothing name-like)."""
    words = run.split()
    if not words:
        return ""
    if (
        any(POSSESSIVE_RE.sub("", w) in L.ORG_WORDS for w in words)
        or len(words) > 1
        and any(w in ("of", "for", "from", "on") for w in words)
    ):
        return "organisation"
    if len(words) == 1:
        w = words[0]
        if is_acronym(w):
            return "organisation"
        if w in L.PLACES or w in L.NATIONALITIES:
            return "place"
        return "weak"
    first = words[0].lower()
    given = first in L.FEMALE_NAMES or first in L.MALE_NAMES
    if given and words[0] not in L.PLACES and all(w not in L.PLACES for w in words[1:-1]):
        return "person"  # "Steve Israel", "Mark Cuban": a given name, then a surname
    if any(w in L.PLACES for w in words) or words[0] in L.NATIONALITIES:
        return "place"
    if given:
        return "person"
    return "weak"
