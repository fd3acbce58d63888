"""Where reported content stops: a learned decision at each word boundary of the clause.

The rules take a reported clause from its cue to the end of the sentence (or a semicolon,
or a coordinated second verb). Annotated news stops the content much earlier, and in
ways that word lists miss: "wants to stoke energy | as he stopped by ...", "called for
a ban | in 2012", "said the worst was over |, and then ...". So for a forward-running
content span the ``content_end`` decision of ``model`` reads each boundary between two
words, left to right, and ends the content at the first one it accepts; the features
name the punctuation, the closed-class word or the shape either side, how far in the
boundary lies, and whether a finite verb has been read yet. No word of an article is a
feature, only words of the closed lists below and the model's cue vocabulary.

Only the first ``MAX_WORDS`` words are read, so the cost per span is bounded and
extraction stays linear in the text length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice

from . import lexicon as L
from .reported import CLOSE_MARKS, FINITE_RE, OPEN_MARKS, inside
from .text import QuoteMarks

MAX_WORDS = 60  # boundaries read per content span
WORD_RE = re.compile(r"[\w$%@#&][\w'’.$%/&-]*")
# Rules whose content runs forward from the cue: the model may end it earlier.
FORWARD_RULES = frozenset(
    {"speech-verb", "according-to-initial", "cue-model+content-after-cue", "cue-model+according-to-before-content"}
)
CLOSED_WORDS = frozenset(
    """and but or nor as while when whenever because after before since until unless if though
    although even only also just still yet so then than like including despite amid among
    in on at by for with from of to into onto about over under against during through without
    within across around toward towards between upon via per
    who whom whose which that what where why how whether
    the a an this these those his her their its our my your some any no every each all both
    he she they it we i you him them us me there here
    is are was were be been being has have had will would could should can may might must do does did
    not never more most less least very too much many
    said says say saying told tells added according""".split()
)
_DASHES = "—–"


@lru_cache(maxsize=8192)
def _shape(word: str, cue_words: frozenset[str]) -> str:
    low = word.lower().rstrip(".")
    if low in CLOSED_WORDS or low in cue_words or low in L.SPEECH_VERBS:
        return low
    if word[:1].isdigit() or word[:1] in "$%":
        return "<num>"
    if word.isupper() and len(word) > 1:
        return "<CAPS>"
    if word[:1].isupper():
        return "<Cap>"
    for suffix in ("ing", "ed", "ly", "s"):
        if low.endswith(suffix):
            return "<-" + suffix + ">"
    return "<w>"


def _gap_class(gap: str) -> str:
    g = gap.strip()
    if not g:
        return "none"
    if any(c in g for c in _DASHES) or "--" in g or g == "-":
        return "dash"
    for c in ";:,(.)!?":
        if c in g:
            return c
    if any(c in OPEN_MARKS or c in CLOSE_MARKS for c in g):
        return "mark"
    return "other"


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


K_BUCKETS = [_bucket(i, (1, 2, 3, 5, 8, 12, 20, 30)) for i in range(MAX_WORDS + 2)]
LEFT_BUCKETS = [_bucket(i, (1, 2, 4, 8, 16)) for i in range(18)]


def boundaries(
    text: str, cs: int, ce: int, rule: str, cue: str, marks: list[QuoteMarks], cue_words: frozenset[str]
) -> Iterator[tuple[int, list[str]]]:
    """(end if the content stopped here, features) for each word boundary of text[cs:ce]
    outside quotation marks, up to MAX_WORDS words in; lazily, as the extractor stops at
    the first boundary it accepts."""
    words = [m.span() for m in islice(WORD_RE.finditer(text, cs, ce), MAX_WORDS + 1)]
    if len(words) < 2:
        return
    total = len(WORD_RE.findall(text, words[-1][1], min(ce, words[-1][1] + 400))) + len(words)
    local = [m for m in marks if m.start < ce and m.end > cs]
    first = pw = _shape(text[words[0][0] : words[0][1]], cue_words)
    group = "clause" if rule == "speech-verb" else "according" if "according" in rule else "cue"
    cue_low = cue.lower().split()[-1] if cue else ""
    cue_f = cue_low if cue_low in cue_words or cue_low in L.SPEECH_VERBS else "<w>"
    fixed = [f"first={first}", f"grp={group}", f"that={text[max(0, cs - 6) : cs].rstrip().lower().endswith('that')}"]
    finite = False
    after: str | None = None  # the next word's shape, once read: the next boundary's own word
    for i in range(1, len(words)):
        a0, a1 = words[i - 1]
        b0, b1 = words[i]
        finite = finite or FINITE_RE.fullmatch(text, a0, a1) is not None
        nxt = _shape(text[b0:b1], cue_words) if after is None else after
        after = None
        if local and inside(b0, local):
            pw = nxt
            continue
        between = text[a1:b0]
        gap = "none" if between == " " else _gap_class(between)
        k = K_BUCKETS[i]
        left = LEFT_BUCKETS[min(17, total - i)]
        fin = f"fin={finite}"
        after = _shape(text[words[i + 1][0] : words[i + 1][1]], cue_words) if i + 1 < len(words) else "<end>"
        feats = [
            f"g={gap}",
            f"n={nxt}",
            f"p={pw}",
            f"k={k}",
            f"left={left}",
            fin,
            *fixed,
            f"g={gap}&n={nxt}",
            f"g={gap}&k={k}",
            f"g={gap}&{fin}",
            f"n={nxt}&{fin}",
            f"n={nxt}&{fixed[0]}",
            f"g={gap}&{fixed[0]}",
            f"p={pw}&n={nxt}",
            f"n={nxt}&k={k}",
            f"g={gap}&{fixed[1]}",
            f"n={nxt}&{fixed[1]}",
            f"cue={cue_f}&g={gap}",
            f"cue={cue_f}&n={nxt}",
            f"g={gap}&left={left}",
            f"g={gap}&n={nxt}&n2={after}",
        ]
        pw = nxt
        end = a1
        while end > a0 and text[end - 1] in ".,;:":
            end -= 1
        if end == a1 and between[:1] in CLOSE_MARKS:
            end += 1  # a quoted fragment ends the content with its closing mark
        yield end, feats
