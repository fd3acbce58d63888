"""Segmentation: paragraphs, quotation-mark pairs and sentences.

Everything here is one left-to-right pass over the text with precompiled regexes; no
pattern can backtrack more than a few characters, so a 1 MB single line stays linear.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

PARA_RE = re.compile(r"[^\n]+")
HEADLINE_MAX = 300  # a paragraph without final punctuation is a title only if short
TITLE_CASE_MAX = 200  # a Title Case line is a title when this short ...
TITLE_CASE_SHARE = 0.85  # ... and this share of its words of four letters or more are capitalised
TITLE_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
# Photo captions and credits are not reporting: treated like titles (no claims, no reported speech).
CAPTION_KEYS = ("©", "(Photo", "Photo:", "PHOTO", "Getty Images", "AP Photo", "RESTRICTED TO EDITORIAL USE")
MARK_RE = re.compile(r"[\"“”„«»‘’']")
# A sentence may end at . ! ? (or a run of them), possibly followed by closing marks.
CLOSING = "\"”’'»"
QUOTE_SOURCE_RE = re.compile(
    r"(?:(?:[A-Z][\w.'’-]*|of|the)\s+){0,5}(?:[a-z]+ly\s+)?(?:said|says|asked|asks|added|adds|told|tells|wrote|writes|"
    r"tweeted|shouted|exclaimed|replied|continued|explained|insisted|declared|recalled|joked|yelled|wondered)\b"
)
END_RE = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s|$)")
WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]{0,12})$")

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev
    hon pres supt insp no nos vol fig approx est etc vs inc ltd corp co jan feb mar apr
    jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m dept univ ave blvd
    st.""".split()
)
POSSESSIVE_NEXT_RE = re.compile(r" [a-z]")
OPEN_CONTEXT = frozenset(" \t\n([{—–-/:;,")
CLOSE_CONTEXT = frozenset(" \t\n.,;:!?)]}—–-/")


DOUBLED_MARK_RE = re.compile(r"''|``")
SINGLE_GUILLEMETS = str.maketrans("‹›", "‘’")


def normalise_marks(text: str) -> str:
    """The same text, same length, with typewriter doubled marks made plain double quotes.

    ``''`` (both ends, New York Times style) and an opening `````` become ' "' when they
    open and '" ' when they close, so every later stage sees one mark and the offsets into
    the original text stay valid; ‹ › become ‘ ’. Which end a ``''`` is follows from its
    neighbours: a space or an opening bracket before it opens, anything else closes.
    """
    if "''" not in text and "``" not in text and "‹" not in text and "›" not in text:
        return text
    text = text.translate(SINGLE_GUILLEMETS)

    def swap(m: re.Match[str]) -> str:
        i = m.start()
        before = text[i - 1] if i else " "
        if m.group(0) == "``" or before.isspace() or before in "([{—–-/":
            return ' "'
        return '" '

    return DOUBLED_MARK_RE.sub(swap, text)


# A dateline opening a story ("WASHINGTON —", "BUFFALO, N.Y. (AP) —", "LOS ANGELES, Feb. 2
# (UPI) —"): a place, not a source. In title case only with an agency in brackets ("New York
# (AFP) –"): "New York - the city ..." may be a sentence.
_CAPS_PLACE = r"[A-Z][A-Z.'’-]+(?:[ ][A-Z][A-Z.'’-]+){0,3}"
_TITLE_PLACE = r"[A-Z][a-z.]+(?:[ ][A-Z][a-z.]+){0,2}"
_WHERE_WHEN = r"(?:,[ ][A-Z][A-Za-z.]{1,14}(?:[ ](?:[A-Z][a-z.]{1,14}|\d{1,2}))?)?"
_AGENCY = r"[ ]\([A-Za-z. ]{2,20}\)"
DATELINE_RE = re.compile(
    rf"(?m)^[ \t]*(?:{_CAPS_PLACE}{_WHERE_WHEN}(?:{_AGENCY})?|{_TITLE_PLACE}{_WHERE_WHEN}{_AGENCY})"
    r"[ ]*(?:[—–]|--|-(?=[ ]))[ ]*"
)
# Lines that survive text extraction but are not the story: related links, photo credits.
BOILERPLATE_RE = re.compile(
    r"(?im)^[ \t]*(?:see more|read more|related|more from|also read|watch|photo|photos|image|picture|"
    r"credit|caption|file photo|click here|sign up|subscribe)\b[^\n:]{0,20}:[^\n]*$"
    r"|^[^\n]{0,300}\((?:photo|image|picture)[^)\n]{0,80}\)[ \t]*$"
)
# A photo credit line. Apart from BOILERPLATE_RE (each matches whole lines, so blanking
# with one and then the other blanks the same lines) because this one is slow to try at
# every line: it only runs on a text that holds one of its agencies.
CREDIT_AGENCIES = ("getty images", "ap photo", "reuters/", "afp via getty")
CREDIT_LINE_RE = re.compile(r"(?im)^[^\n]{0,300}(?:Getty Images|AP Photo|Reuters/|AFP via Getty)[^\n]{0,60}$")
# letters that IGNORECASE matches to an ASCII letter while str.lower() leaves them apart
FOLDED_TO_ASCII = ("ſ", "ı", "İ")


# a tag left in pasted text: '<tweet id="1" author="@ann">', '</p>', '<a href="...">'
MARKUP_TAG_RE = re.compile(
    r"</?[A-Za-z][\w:-]*(?:\s+[\w:-]+(?:=(?:\"[^\"<>\n]{0,300}\"|'[^'<>\n]{0,300}'|[^\s<>]{1,100}))?){0,12}\s*/?>"
)


def blank_boilerplate(text: str) -> str:
    """The same text, same length, with datelines and boilerplate lines turned to spaces, so
    no later stage reads them as a speaker, a quotation or a claim."""
    if "<" in text:
        text = MARKUP_TAG_RE.sub(lambda m: " " * len(m.group(0)), text)  # '<tweet author="...">': markup
    patterns = [DATELINE_RE, BOILERPLATE_RE]
    if _may_contain(text, CREDIT_AGENCIES):
        patterns.append(CREDIT_LINE_RE)
    if not any(p.search(text) for p in patterns):
        return text
    for p in patterns:
        text = p.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _may_contain(text: str, words: tuple[str, ...]) -> bool:
    """Could a case-insensitive pattern find one of `words` (ASCII, lower case) in text?"""
    if any(c in text for c in FOLDED_TO_ASCII):
        return True
    low = text.lower()
    return any(w in low for w in words)


def trie_regex(words: list[str]) -> str:
    """A regex for a set of words with shared prefixes factored out ("t(?:en|wo|hree...)"),
    which the engine tries far faster than a flat alternation at every word start."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(tree)


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    headline: bool  # a title, byline or photo caption: no claims or reported speech in it


@dataclass(frozen=True)
class QuoteMarks:
    """A pair of matching quotation marks; start/end delimit the text between them."""

    start: int
    end: int
    single: bool


def title_case(text: str, s: int, e: int) -> bool:
    """Is text[s:e] a short line in Title Case ("Senator Defends Himself Against Critics.")?
    A headline, whatever its final mark: its capitals are not names, its verbs not cues."""
    if e - s > TITLE_CASE_MAX or text.find("\n", s, e) >= 0:
        return False
    long_words = [w for w in TITLE_WORD_RE.findall(text, s, e) if len(w) >= 4]
    caps = sum(w[:1].isupper() for w in long_words)
    return len(long_words) >= 4 and caps >= TITLE_CASE_SHARE * len(long_words)


def paragraphs(text: str) -> list[Paragraph]:
    out = []
    for m in PARA_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s == e:
            continue
        last = text[e - 1]
        title = last not in ".!?:\"”’'»)…]" and e - s <= HEADLINE_MAX or title_case(text, s, e)
        caption = 40 <= e - s <= 1500 and any(text.find(k, s, e) >= 0 for k in CAPTION_KEYS)
        out.append(Paragraph(s, e, title or caption))
    return out


def _classify(text: str, i: int, lo: int, hi: int) -> str:
    """'o' opening, 'c' closing, 'a' ambiguous, '' apostrophe or not a mark."""
    ch = text[i]
    p = text[i - 1] if i > lo else " "
    n = text[i + 1] if i + 1 < hi else " "
    if ch in "“„«‘":
        return "o"
    if ch in "”»":
        return "c"
    if ch in "’'":
        if p.isalnum() and n.isalnum():
            return ""  # it's, Ukraine’s
        if p in OPEN_CONTEXT and (n.isalnum() or n in '“"'):
            return "o" if ch == "'" else ""
        if not p.isspace() and (n in CLOSE_CONTEXT or n in '"”'):
            return "c"
        return ""
    # straight double quote
    if p == " " and text[i - 2 : i - 1] in ("'", "’") and (n.isspace() or n in CLOSE_CONTEXT):
        return "c"  # 'and say, 'Well done,' " she said': a single quotation closed inside
    if p.isspace() or p in "([{“‘":
        return "o"
    if n.isspace() or n in CLOSE_CONTEXT or n in "”’'":
        return "c"
    if p in OPEN_CONTEXT or p == "'":
        return "o"
    return "a"


def _plural_possessive(text: str, i: int, end: int, ch: str) -> bool:
    """Is the mark at i the apostrophe of "workers' union" rather than a closing quote?
    Only when a word follows in lower case and the same mark closes again further on."""
    if text[i - 1 : i] != "s" or not POSSESSIVE_NEXT_RE.match(text, i + 1, end):
        return False
    nxt = text.find(ch, i + 1, min(end, i + 400))
    return nxt > 0 and not text[nxt + 1 : nxt + 2].isalnum()


def quote_marks(text: str, paras: list[Paragraph]) -> list[QuoteMarks]:
    """Pair quotation marks paragraph by paragraph.

    Double marks nest single ones (ignored inside). A double quote left open at the end
    of a paragraph continues when the next paragraph opens with a mark (the convention for
    multi-paragraph quotations); otherwise it is dropped, so a stray mark never swallows
    the rest of the article. Single-quoted spans must close within 400 characters.
    """
    out: list[QuoteMarks] = []
    d_open: int | None = None
    d_at_start = False  # the open quotation began a sentence, as continued ones do
    for pi, para in enumerate(paras):
        s_open: int | None = None
        continuing = d_open is not None
        for m in MARK_RE.finditer(text, para.start, para.end):
            i = m.start()
            kind = _classify(text, i, para.start, para.end)
            if not kind:
                continue
            ch = text[i]
            if ch in "‘’'":
                if d_open is not None:
                    continue
                if kind == "o":
                    s_open = i
                elif s_open is not None:
                    if _plural_possessive(text, i, para.end, ch):
                        continue  # 'The workers' union is strong,' he said.
                    if 1 < i - s_open <= 400:
                        out.append(QuoteMarks(s_open + 1, i, True))
                    s_open = None
                continue
            if continuing and i == para.start and kind != "c":
                continuing = False
                continue  # re-opening mark of a continued quotation
            continuing = False
            if kind == "a":
                kind = "c" if d_open is not None else "o"
            if ch == "“" and d_open is not None and text[d_open] == "„":
                kind = "c"  # German style: „ ... “
            if kind == "o":
                d_open = i  # an earlier unclosed mark was a stray one
                before = text[max(para.start, i - 3) : i].rstrip()
                d_at_start = i == para.start or before[-1:] in ".!?:"  # opens a sentence
                s_open = None
            elif d_open is not None:
                if i - d_open > 1:
                    out.append(QuoteMarks(d_open + 1, i, False))
                d_open = None
        if d_open is not None:
            nxt = paras[pi + 1] if pi + 1 < len(paras) else None
            if nxt is None or not d_at_start or text[nxt.start] not in '"“«„':
                d_open = None
    out.sort(key=lambda q: q.start)
    return out


def _is_abbreviation(text: str, dot: int, lo: int) -> bool:
    m = WORD_BEFORE_RE.search(text, max(lo, dot - 14), dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    if len(word) == 1 and text[m.start()].isupper():
        return True  # initials: "J. Smith", "U."
    return "." in word and len(word) <= 6  # U.S, e.g, a.m


def sentences(text: str, paras: list[Paragraph], protected: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, paragraph index) of each sentence. Never splits inside a protected
    span (a quotation)."""
    starts = [p[0] for p in protected]
    out: list[tuple[int, int, int]] = []
    for pi, para in enumerate(paras):
        s = para.start
        for m in END_RE.finditer(text, para.start, para.end):
            e = m.end()
            k = bisect_right(starts, m.start()) - 1
            if k >= 0 and protected[k][0] <= m.start() and m.end() <= protected[k][1]:
                continue
            j = e
            while j < para.end and text[j] in " \t":
                j += 1
            if j < para.end:
                nxt = text[j]
                if nxt.islower() or nxt in ",;:":
                    continue
                closes = text[m.end() - 1] in CLOSING and text[m.start()] in "?!"
                if closes and QUOTE_SOURCE_RE.match(text, j, para.end):
                    continue  # '"Who are they?" Ann Lee asked.': the quotation and its source are one sentence
                if (
                    text[m.start()] == "."
                    and m.end() == m.start() + 1
                    and _is_abbreviation(text, m.start(), para.start)
                ):
                    continue
            out.append((s, e, pi))
            s = j
        if s < para.end:
            out.append((s, para.end, pi))
    return out


def merge_spanning(sents: list[tuple[int, int, int]], marks: list[QuoteMarks]) -> list[tuple[int, int, int]]:
    """Join the sentences a multi-paragraph quotation runs across, so that the quotation
    and its attribution ("...," she said.) are read as one sentence."""
    if not sents:
        return sents
    starts = [s for s, _, _ in sents]
    join_to: dict[int, int] = {}
    for m in marks:
        a = bisect_right(starts, m.start) - 1
        b = bisect_right(starts, m.end) - 1
        if a >= 0 and b > a:
            join_to[a] = max(join_to.get(a, a), b)
    if not join_to:
        return sents
    out = []
    i = 0
    while i < len(sents):
        j = join_to.get(i, i)
        k = i
        while k < j:  # chains of joins
            k += 1
            j = max(j, join_to.get(k, k))
        out.append((sents[i][0], sents[j][1], sents[i][2]))
        i = j + 1
    return out
