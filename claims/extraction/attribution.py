"""Learned cues: which word introduces an attribution, and the content span it governs.

The hand rules (``quotes``/``reported``) know speech verbs and refuse what they cannot
parse. This stage offers every word of the model's cue vocabulary (learned from the
annotated corpus: said, believes, wants, called, according...) that the rules left
without content to the ``cue`` decision of ``model``; an accepted cue governs the clause
after it ("believes [that] ...") or, when the sentence ends with its source, the clause
before it ("..., aides say."). Decisions are named so ``to_dict(debug=True)`` shows them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import lexicon as L
from . import model as M
from .reported import CLOSE_MARKS, FINITE_RE, OPEN_MARKS, TELL_THAT_RE, TEMPORAL_RE, aside_start, inside
from .text import QuoteMarks, trie_regex

WORD_RE = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
THAT_RE = re.compile(r"\s*(?:that|whether|if)\b\s*")
FUNCTION_CONTEXT = frozenset(
    """the a an to that of in on for with by as at from and but or not it he she they we i
    you his her their its this these those who which what is was are were be been has have
    had will would could should can may might must do does did also told said says""".split()
)
POSTPOSED_MAX_WORDS = 12
# words opening a phrase after a postposed "..., she said" that tells where or when
TAIL_ADJUNCTS = frozenset("in on at during after before via through from with while when by over".split())
INVERTED_SOURCE_OPENERS = frozenset("the a an his her its their one another two three several many some former".split())
NAME_COMMA_RE = re.compile(r"\s*(?:[A-Z][\w.'’-]*\s+)*[A-Z][\w.'’-]*,\s")  # 'Rep. Dan Varga, '
RELATIVE_RE = re.compile(r"\b(?:who|whose|which|that|whom)\b")
CONTEXT_CHARS = 40  # the two words either side of a cue are read within this many characters
NOT_CLAUSE_START = frozenset(
    """a an the its their his her our my your this these those to for about on with of in at
    by from as into during while because after before responsibility nothing no any""".split()
)  # a source after its content is a short noun phrase


def _shape(word: str, vocab: frozenset[str]) -> str:
    if not word:
        return "<none>"
    if word[:1].isupper():
        return "<Cap>" if not word.isupper() else "<CAPS>"
    if word.isdigit():
        return "<num>"
    return word if word in vocab or word in FUNCTION_CONTEXT else "<w>"


def _char_class(ch: str) -> str:
    if not ch:
        return "end"
    if ch in OPEN_MARKS or ch in CLOSE_MARKS:
        return "mark"
    if ch in ",;:":
        return ch
    if ch in ".!?":
        return "stop"
    if ch.isupper():
        return "cap"
    return "low" if ch.isalpha() else "other"


@lru_cache(maxsize=4)
def _vocabulary_re(vocab: frozenset[str]) -> re.Pattern[str]:
    """One pass finds the cue words: a trie of the vocabulary, whole words, any case."""
    return re.compile(rf"(?<![\w'’])(?:{trie_regex(sorted(vocab))})(?![\w'’])", re.IGNORECASE)


def cue_candidates(
    text: str, s: int, e: int, marks: list[QuoteMarks], vocab: frozenset[str]
) -> list[tuple[int, int, str]]:
    """(start, end, lower-case word) of each cue-vocabulary word of text[s:e] outside marks."""
    if not vocab:
        return []
    return [
        (m.start(), m.end(), m.group(0).lower())
        for m in _vocabulary_re(vocab).finditer(text, s, e)
        if not inside(m.start(), marks)
    ]


def cue_features(text: str, s: int, e: int, a: int, b: int, has_marks: bool, context: frozenset[str]) -> list[str]:
    """The cue decision's features for the word text[a:b] of the sentence text[s:e]."""
    w = text[a:b]
    low = w.lower()
    before_words = WORD_RE.findall(text, max(s, a - CONTEXT_CHARS), a)[-2:]
    after_words = WORD_RE.findall(text, b, min(e, b + CONTEXT_CHARS))[:2]
    p1 = _shape(before_words[-1], context) if before_words else "<s>"
    p2 = _shape(before_words[-2], context) if len(before_words) > 1 else "<s>"
    n1 = _shape(after_words[0], context) if after_words else "</s>"
    n2 = _shape(after_words[1], context) if len(after_words) > 1 else "</s>"
    pc = _char_class(text[max(s, a - 3) : a].rstrip()[-1:])
    nc = _char_class(text[b : min(e, b + 3)].lstrip()[:1])
    rel = (a - s) * 4 // max(1, e - s)
    cap = w[:1].isupper()
    return [
        f"w={low}",
        f"cap={cap}",
        f"p1={p1}",
        f"p2={p2}",
        f"n1={n1}",
        f"n2={n2}",
        f"pc={pc}",
        f"nc={nc}",
        f"rel={rel}",
        f"marks={has_marks}",
        f"w={low}&n1={n1}",
        f"w={low}&p1={p1}",
        f"w={low}&nc={nc}",
        f"w={low}&pc={pc}",
        f"w={low}&cap={cap}",
        f"p1={p1}&n1={n1}",
        f"suf={low[-2:]}",
    ]


def content_span(
    text: str, s: int, e: int, cue_start: int, cue_end: int, np_start: int, word: str
) -> tuple[int, int, str]:
    """(start, end, rule) of the content an accepted cue governs: the clause before a
    source that ends its sentence ("..., aides say."; "..., said the mayor"; "...,
    according to X"), else the clause after the cue."""
    # only the ends of the sentence are read, so a huge "sentence" costs no more per cue
    tail = text[cue_end : min(e, cue_end + 80)]
    tail = re.split(r"[;:]", tail, maxsplit=1)[0].strip(" .!?" + CLOSE_MARKS)  # "..., he said; his ..."
    tail_words = tail.split()
    if tail_words and tail_words[0].lower() in TAIL_ADJUNCTS and len(tail_words) <= 8:
        tail_words = tail_words[:1]  # "..., she said in an interview afterwards": where, not what
    if word == "according":
        lead = text[max(s, cue_start - 8) : cue_start].strip()
        if not lead or lead.endswith(("that,", "that")):  # "According to X, content."; "said that, according to X, ..."
            comma = text.find(",", cue_end, min(e, cue_end + 200))
            return (_trim(text, comma + 1, e) + ("according-to-before-content",)) if comma > 0 else (0, 0, "")
        return _trim(text, aside_start(text, s, cue_start), cue_start) + ("content-before-according-to",)
    if inverted_cue(text, s, e, cue_start, cue_end, word):
        # '..., said the mayor.'
        return _trim(text, aside_start(text, s, cue_start), cue_start) + ("content-before-inverted-source",)
    if 0 <= np_start < cue_start and len(tail_words) <= 3:
        before_np = text[max(s, np_start - 8) : np_start].rstrip()
        short = cue_start - np_start <= 8 * POSTPOSED_MAX_WORDS
        if short and before_np and before_np[-1] in ",:" + CLOSE_MARKS:
            # '..., aides say.'
            return _trim(text, aside_start(text, s, np_start), np_start) + ("content-before-source",)
    p = cue_end
    if word in L.TELL_VERBS:
        m = TELL_THAT_RE.match(text, p, e)
        if m:
            p = m.end()  # "is telling supporters after the vote that ...": whom, then what
    m = TEMPORAL_RE.match(text, p, e)
    if m and m.end() > p:
        p = m.end()
    m = THAT_RE.match(text, p, e)
    if m:
        p = m.end()
    end = e
    semi = text.find(";", p, e)
    if semi > 0:
        end = semi
    return _trim(text, p, end) + ("content-after-cue",)


def inverted_cue(text: str, s: int, e: int, cue_start: int, cue_end: int, word: str) -> bool:
    """Is the cue text[cue_start:cue_end] of the sentence text[s:e] inverted, its content
    before it and its source after it ('..., said the mayor.')?"""
    just_before = text[max(s, cue_start - 8) : cue_start].rstrip()
    if not just_before or just_before[-1] not in ",:" + CLOSE_MARKS:
        return False
    # what comes before is a clause or a quotation, not the subject and its apposition
    # ('Dan Varga, a Lee supporter, said the aides plan to win')
    before = text[s:cue_start]
    if NAME_COMMA_RE.match(before) and not FINITE_RE.search(before) and not any(c in before for c in OPEN_MARKS + "“"):
        return False
    return _inverted_source_follows(text, cue_end, e, word)


def _inverted_source_follows(text: str, cue_end: int, e: int, word: str) -> bool:
    """Does a source follow the cue and end the sentence ('..., said the mayor.')? Not after
    a participle ('..., saying ...'), nor when a preposition, a colon or a quotation
    follows ('Ann Lee, an aide, said of the plan: "..."': the comma closed an apposition)."""
    if word.endswith("ing") or THAT_RE.match(text, cue_end, e):
        return False
    rest = text[cue_end : min(e, cue_end + 160)]
    if any(c in rest for c in ":" + OPEN_MARKS + "“"):
        return False
    first = rest.split()[0] if rest.split() else ""
    if not (first[:1].isupper() or first.lower() in INVERTED_SOURCE_OPENERS):
        return False
    # 'Ann Lee, the mayor, said the heat could last': a clause follows, so the comma closed
    # an apposition; a source runs to its own comma or relative clause without a verb
    head = RELATIVE_RE.split(rest.split(",", 1)[0], maxsplit=1)[0]
    return not FINITE_RE.search(head)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in " ,:" + OPEN_MARKS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in " .,;:!?…" + CLOSE_MARKS or text[end - 1].isspace()):
        end -= 1
    return start, end


def clause_like(text: str, start: int, end: int, after_that: bool) -> bool:
    """Is text[start:end] a content clause as the project's rules quote it (a subject and a
    finite verb), rather than a noun object ("its intention to ...") or an adjunct?"""
    words = text[start : min(end, start + 200)].split()
    if len(words) < 3:
        return False
    first = words[0].lower().strip(OPEN_MARKS)
    if first in L.SPEECH_VERBS or not after_that and first in NOT_CLAUSE_START:
        return False
    return after_that or FINITE_RE.search(text, start, min(end, start + 120)) is not None


def cue_model() -> tuple[M.Decision | None, frozenset[str], frozenset[str]]:
    d = M.decision("cue")
    if d is None:
        return None, frozenset(), frozenset()
    return d, M.vocabulary("cue_words"), M.vocabulary("context_words")
