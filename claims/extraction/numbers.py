"""Quantity expressions: find them as printed (with hedge and unit) and parse value and unit.

Dates, times, years and identifiers ("Article 298", "COVID-19") are not quantities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .models import Quantity
from .text import trie_regex

UNITS_WORDS = {
    "%": "%",
    "percent": "%",
    "per cent": "%",
    "percentage points": "pp",
    "rubles": "RUB",
    "roubles": "RUB",
    "euros": "EUR",
    "euro": "EUR",
    "dollars": "USD",
    "dollar": "USD",
    "pounds": "GBP",
    "pound": "GBP",
    "złotys": "PLN",
    "zlotys": "PLN",
    "złoty": "PLN",
    "zloty": "PLN",
    "yuan": "CNY",
    "yen": "JPY",
    "rupees": "INR",
    "francs": "CHF",
    "kronor": "SEK",
    "square miles": "sq mi",
    "square kilometres": "km2",
    "square kilometers": "km2",
    "km2": "km2",
    "km²": "km2",
    "km": "km",
    "kilometers": "km",
    "kilometres": "km",
    "kilometer": "km",
    "kilometre": "km",
    "miles": "mi",
    "mile": "mi",
    "nautical miles": "nmi",
    "nautical mile": "nmi",
    "meters": "m",
    "metres": "m",
    "meter": "m",
    "metre": "m",
    "m": "m",
    "ft": "ft",
    "feet": "ft",
    "foot": "ft",
    "cm": "cm",
    "mm": "mm",
    "millimeter": "mm",
    "millimetre": "mm",
    "kg": "kg",
    "kilograms": "kg",
    "tonnes": "t",
    "tons": "t",
    "barrels": "bbl",
    "liters": "l",
    "litres": "l",
    "gallons": "gal",
    "hectares": "ha",
    "acres": "acre",
    "mph": "mph",
    "knots": "kn",
    "degrees": "deg",
    "years": "year",
    "year": "year",
    "months": "month",
    "month": "month",
    "weeks": "week",
    "week": "week",
    "days": "day",
    "day": "day",
    "hours": "hour",
    "hour": "hour",
    "minutes": "minute",
    "year old": "year old",
    "year-old": "year old",
    "years-old": "year old",
    "years old": "year old",
}
CURRENCY_PREFIX = {
    "US$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "USD": "USD",
    "EUR": "EUR",
    "GBP": "GBP",
}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6, "k": 1e3}
WORD_NUM = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "dozen": 12,
    "a dozen": 12,
    "dozens": 24,
    "hundreds": 200,
    "thousands": 2000,
    "millions": 2e6,
    "tens of thousands": 20000,
    "hundreds of thousands": 200000,
    "half": 0.5,
    "a third": 1 / 3,
    "a quarter": 0.25,
    "two thirds": 2 / 3,
    "three quarters": 0.75,
    "nine tenths": 0.9,
    "all but one": 1,
}
FRACTION_WORDS = {"half", "a third", "a quarter", "two thirds", "three quarters", "nine tenths"}
HEDGES = (
    r"about|around|approximately|roughly|nearly|almost|over|more than|less than|fewer than|"
    r"at least|at most|up to|as many as|as much as|as few as|an estimated|some|only|just|"
    r"under|below|above|close to"
)


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# \d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?, with the first digit taken out of both
# branches: a pattern that starts with a character class lets the regex engine skip ahead
DIGITS = r"\d(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)"


# The core (a figure or a number word) is found first, each kind by its own pattern: the
# figures' starts with a character class, so the regex engine skips ahead to the next
# digit (an alternation with the words would be tried at every character). Hedge,
# currency, scale and unit are then matched around it on a few characters only.
# Matched on the lower-cased text, so the word part needs no IGNORECASE.
FIGURE_RE = re.compile(DIGITS)
NUMBER_WORD_RE = re.compile(rf"\b(?:{trie_regex(list(WORD_NUM))})\b")
PRE_RE = re.compile(rf"(?:(?P<hedge>\b(?:{HEDGES})|~)\s*)?(?P<cur>{_alt(CURRENCY_PREFIX)})?\s?$", re.IGNORECASE)
PRE_ENDINGS = (*HEDGES.lower().split("|"), *(c.lower() for c in CURRENCY_PREFIX), "~")
PRE_ENDING_MAX = max(map(len, PRE_ENDINGS))
TAIL_RE = re.compile(
    rf"(?:(?:\s|-)(?P<num2>{_alt(WORD_NUM)})\b)?"
    rf"(?:\s*(?P<scale>{_alt(SCALES)})\b)?"
    rf"(?:\s*(?:of\s+)?(?P<unit>%|(?:-?)(?:{_alt(k for k in UNITS_WORDS if k != '%')}))(?![\w²]))?",
    re.IGNORECASE,
)


class _Match:
    """The parts of one quantity expression, shaped like the groups of one regex match."""

    def __init__(self, core: re.Match[str], pre: re.Match[str] | None, tail: re.Match[str], start: int) -> None:
        figure = core.re is FIGURE_RE
        self.groups = {
            "num": core.group() if figure else None,
            "word": None if figure else core.group(),
            "hedge": pre.group("hedge") if pre else None,
            "cur": pre.group("cur") if pre else None,
            "num2": tail.group("num2"),
            "scale": tail.group("scale"),
            "unit": tail.group("unit"),
        }
        self.core = core
        self._start = start
        self._end = tail.end()

    def group(self, name: str) -> str | None:
        return self.groups[name]

    def start(self, name: str | None = None) -> int:
        if name in ("num", "word"):
            return self.core.start()
        return self._start

    def end(self, name: str | None = None) -> int:
        if name in ("num", "word"):
            return self.core.end()
        return self._end


def _cores(low: str, start: int, end: int) -> list[re.Match[str]]:
    """The figures and number words of low[start:end], in order. They share no character
    (digits, commas and points against letters and spaces), so the two patterns never
    overlap and find what one alternation of them would."""
    found = [*FIGURE_RE.finditer(low, start, end), *NUMBER_WORD_RE.finditer(low, start, end)]
    return sorted(found, key=lambda m: m.start())


def _hedge_or_currency(text: str, lo: int, s: int) -> re.Match[str] | None:
    """PRE_RE's match before a core at s when it holds a hedge or a currency, else None.
    The regex is tried at each character of its window, so it runs only where the text
    before s, spaces aside, ends like a hedge or a currency (in ASCII, where lower-casing
    is what IGNORECASE compares; other text always goes to the regex)."""
    tail = text[lo:s].rstrip()[-PRE_ENDING_MAX:]
    if tail.isascii() and not tail.lower().endswith(PRE_ENDINGS):
        return None
    pre = PRE_RE.search(text, lo, s)
    return pre if pre and (pre.group("hedge") or pre.group("cur")) else None


def _matches(text: str, start: int, end: int) -> Iterator[_Match]:
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for core in _cores(low, start, end):
        s, e = core.span()
        if core.re is FIGURE_RE:
            if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "_.,/:"):
                continue
            if e < len(text) and (
                text[e].isalnum()
                or text[e] in "_/:"
                or (text[e] in ".," and e + 1 < len(text) and text[e + 1].isdigit())
            ):
                continue
        pre = _hedge_or_currency(text, max(start, s - 30), s)
        tail = TAIL_RE.match(text, e, min(end, e + 40))
        assert tail is not None  # every part of TAIL_RE is optional: it always matches
        yield _Match(core, pre, tail, pre.start() if pre else s)


MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|"
    "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
MONTH_BEFORE_RE = re.compile(rf"(?:{MONTHS})\.?\s*$", re.IGNORECASE)
MONTH_AFTER_RE = re.compile(rf"\s*(?:{MONTHS})\b", re.IGNORECASE)
IDENT_BEFORE_RE = re.compile(r"(?:\b[A-Z][A-Za-z]+|\bno\.?|#)\s*$")
TIME_AFTER_RE = re.compile(r"\s*(?:[ap]\.m\.|[ap]m\b|o'clock\b)", re.IGNORECASE)
ADDRESS_AFTER_RE = re.compile(
    r"\s+(?:[A-Z][a-z]+\s+){1,2}(?:Avenue|Street|Road|Boulevard|Lane|Drive|Place|Square|Ave|St|Rd|Blvd|Way)\b"
)
PREV_WORD_RE = re.compile(r"([\w-]+)\s+$")
IDENT_NOUN_RE = re.compile(
    r"\b(?:platform|route|line|flight|gate|room|number|article|section|chapter|page|level|"
    r"phase|stage|terminal|exit|highway|channel|version|season|episode|round|paragraph|"
    r"item|model|unit|ward|bus|train|seat|row|block|floor|lot|case)\s*$",
    re.IGNORECASE,
)
DETERMINERS = frozenset("A An The In On At By As Of For From To With Over And Only Some All".split())


def _parse_digits(s: str) -> float:
    return float(s.replace(",", ""))


def _is_date_or_identifier(text: str, m: _Match) -> bool:
    num = m.group("num")
    if num is None:
        s = m.start("word")
        if text[s : s + 1].isupper():  # (the word was matched on the lower-cased text)
            prev = PREV_WORD_RE.search(text, max(0, s - 40), s)
            # "Storm Team Three", "Apollo Eleven": part of a name, unless the
            # capitalised word before it merely opens the sentence
            if prev and prev.group(1)[:1].isupper() and prev.group(1) not in DETERMINERS:
                return bool(prev.start(1) > 0 and text[: prev.start(1)].rstrip()[-1:] not in ".!?\n")
        return False
    s, e = m.start("num"), m.end("num")
    if TIME_AFTER_RE.match(text, e, e + 12) or ADDRESS_AFTER_RE.match(text, e, e + 40):
        return True  # 5 p.m., 619 Waddell Avenue
    before = text[max(0, s - 12) : s]
    has_unit = bool(m.group("unit") or m.group("scale") or m.group("cur"))
    if not has_unit and not m.group("hedge"):
        if len(num) == 4 and num.isdigit() and 1800 <= int(num) <= 2100:
            return True  # a year
        if MONTH_BEFORE_RE.search(before) or MONTH_AFTER_RE.match(text, e, e + 12):
            return True  # September 28, 28 September
        if e < len(text) and text[e : e + 1] == "s":
            return True  # 1970s
        ident = IDENT_BEFORE_RE.search(before)
        if ident and ident.group(0).split()[0] not in DETERMINERS:
            return True  # Class 390, Article 298, No. 5
        if s > 0 and text[s - 1] in "-#\"“‘'":
            return True  # COVID-19, #5, a quoted "19"
        if IDENT_NOUN_RE.search(before):
            return True  # platform 1, route 66
    return False


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Quantity expressions in text[start:end], in order."""
    end = len(text) if end is None else end
    out: list[Quantity] = []
    done = start
    for m in _matches(text, start, end):
        if m.start("num") < done:
            continue  # the "five" of "forty-five"
        if m.group("num") is None and m.group("word") is None:
            continue
        if _is_date_or_identifier(text, m):
            continue
        hedge = (m.group("hedge") or "").lower()
        if hedge in ("some", "only", "just", "over", "under", "above", "below") and not (
            m.group("num") or m.group("unit") or m.group("scale")
        ):
            s = m.start("word")  # "some one", "over two" are rarely hedges on words
            hedge = ""
        else:
            s = m.start()
        word = (m.group("word") or "").lower()
        if word == "one" and not (m.group("unit") or m.group("scale") or hedge):
            continue  # "one" alone is mostly a pronoun or an article ("one witness")
        value = _parse_digits(digits) if (digits := m.group("num")) else float(WORD_NUM[word])
        if (num2 := m.group("num2")) and m.group("word"):
            value += WORD_NUM.get(num2.lower(), 0)
        if scale := m.group("scale"):
            value *= SCALES[scale.lower()]
        unit = ""
        if cur := m.group("cur"):
            unit = CURRENCY_PREFIX.get(cur.upper(), cur)
        if stated_unit := m.group("unit"):
            u = stated_unit.lower().lstrip("-")
            unit = UNITS_WORDS.get(u, u)
        elif word in FRACTION_WORDS:
            unit = "fraction"
        e = m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append(Quantity(text[s:e], s, e, value, unit, hedge))
        done = m.end()
    return out
