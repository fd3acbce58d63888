"""Reported speech: the content clause a speech verb introduces ("said that ...")."""

from __future__ import annotations

import re
from bisect import bisect_right

from . import lexicon as L
from .text import QuoteMarks

TEMPORAL_RE = re.compile(
    r"\s*(?:(?:on|in|at|during|since|by|last|this|early|late|earlier|later|the|next|previous)\s+){0,2}(?:mid-)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|"
    r"tonight|January|February|March|April|May|June|July|August|September|October|"
    r"November|December|\d{4}|week|month|year|morning|afternoon|evening)\b"
    r"(?:\s+\d{1,2}\b)?(?:,?\s+\d{4})?(?:\s+(?:morning|afternoon|evening|night))?,?"
)
TELL_OBJECT_RE = re.compile(
    r"\s*(?:the\s+(?:press|media|court|agency|newspaper|paper|broadcaster|station|committee|audience|crowd|"
    r"jury|magazine|channel|hearing|inquiry|conference|assembly|senate|council|nation)|reporters|journalists|"
    r"him|her|them|us|me|police|investigators|officers|prosecutors|supporters|voters|students|"
    r"delegates|donors|investors|shareholders|analysts|residents|colleagues|staff|employees|"
    r"parliament|lawmakers|the\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?|[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)"
)
THROUGH_RE = re.compile(r"\s*,\s*through\s+(?P<np>[^,]{2,80}),")
THAT_RE = re.compile(r"\s*,?\s*(?:that\b)?\s*")
ACC_INNER_RE = re.compile(r",?\s*according to [^,]{2,80},\s*")
FINITE_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|could|can|may|might|must|"
    r"should|shall|did|does|do|isn't|aren't|wasn't|weren't|won't|can't|don't|doesn't|"
    r"didn't|remain|remains|want|wants|need|needs|seek|seeks|comes|come|goes|go|held|"
    r"made|took|gave|came|went|knew|found|left|kept|won|lost|paid|sold|bought|built|"
    r"began|brought|fell|rose|grew|ran|set|put|cut|hit|met|led|spent|sent|struck|"
    r"stood|understood|became|saw|meant|got|drove|broke|chose|froze|fought|sought|taught|"
    r"caught|sank|rang|sang|swam|threw|flew|drew|stole|stuck|swung|hung|fled|slept|swept|"
    r"dealt|lent|shone|sat|forgot|withdrew|arose|oversaw|foresaw|forgave|blew|tore|wore|rode|"
    r"shook|spun|sped|woke|(?<!to )(?:cost|spread|shut|hurt|burst|quit|split|forecast|upset)(?!-)|"
    r"[a-z]+ed)\b"
)
TELL_THAT_RE = re.compile(r"\s+[^,.;:\"“”]{1,60}?\s+that\s+")
THAT_AFTER_RE = re.compile(r"\s*,?\s*that\b")
NOMINAL_START_RE = re.compile(r"(?:the|a|an|its|their|his|her|our)\s+[a-z]+\s+(?:of|for|to)\b")
AUX_RE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|should|shall)\b")
# Before a comma, "to" an audience ("said to reporters, ..."), not an infinitive ("continues
# to lead in the polls, ...": no saying at all); before "that" either ("continued to insist that").
TO_AUDIENCE = (
    r"to\s+(?=the\b|a\b|an\b|his\b|her\b|their\b|its\b|our\b|my\b|me\b|him\b|them\b|us\b|you\b|reporters\b|[A-Z])"
)
ADJUNCT_THAT_RE = re.compile(
    r"\s+(?:during|at|in|on|to|after|before|via|through|from|with)\b[^,;:.\"“”]{1,60}?(?=\s+that\b)"
)
# (a comma between digits is a figure's, "3,000", and ends no adjunct)
ADJUNCT_RE = re.compile(
    rf"\s+(?:during|at|in|on|{TO_AUDIENCE}|after|before|via|through|from|with|while|speaking)\b"
    r"(?:[^,;:.\"“”]|(?<=\d),(?=\d)){1,60},(?!\d)"
)
ADVERB_THAT_RE = re.compile(r"\s+[a-z]+ly(?=\s*,?\s*that\b)")
# A present-tense verb after a short singular subject: 'the law "protects ..."'
PRESENT_AFTER_SUBJECT_RE = re.compile(
    r"(?:the|a|an|this|that|his|her|its|their|our)\s+(?:[\w-]+\s+){0,2}[\w-]*[^s\W]\s+[\"“]?[a-z]+s\b(?!\s+(?:of|and|or|in|for|to|with|from)\b)"
)
CONTENT_MAX = 1500
CLAUSE_STOP_RE = re.compile(r"[;:](?= |\Z)")  # a semicolon or colon before a space or the end
BAD_START = frozenset(
    """to for about on with of in at by from as into if whether what how
    responsibility nothing and but or not during while because who which where when""".split()
)
# "who wrote the bill said ...": what a writer wrote is a document, not a clause
WROTE_DOCUMENT_RE = re.compile(
    r"(?:the|a|an|this|that|his|her|its|their|our)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:bill|bills|law|laws|legislation|amendment|letter|letters|book|books|report|article|memo|"
    r"column|essay|opinion|ruling|decision|foreword|introduction|speech|script|song|story|piece|"
    r"policy|proposal|rules|constitution|treaty|manifesto|plan|budget)\b"
)
WRITE_CUES = frozenset(("wrote", "write", "writes", "writing"))
ADD_CUES = frozenset(("added", "add", "adds", "adding"))
# After an explicit "that" these open the reported clause's own adverbial clause ("said
# that when the mill did well, ..."), not an adjunct of the saying.
CLAUSE_OPENERS = frozenset("when if while because although though unless once after before since".split())
AUX_START = frozenset(
    """is are was were has have had will would could can may might must
    should did does do be been""".split()
)
COORD_CUT_RE = re.compile(
    r",?\s+(?:and|but)\s+(?:also\s+|then\s+|later\s+)?(?:[a-z]+ed|says|said|added|stated|told|grew|went|took|"
    r"made|came|gave|left|began|became|felt|kept|sold|won|lost|spent|ran|held|saw|thought)\b"
)
# ", while managers insist ...": a contrasting clause with a source and a verb of its own
CONTRAST_SOURCE_RE = re.compile(
    r",\s+(?:while|whereas)\s+(?:[\w'’-]+\s+){1,4}?(?:say|says|said|insist|insists|insisted|argue|argues|"
    r"argued|claim|claims|claimed|maintain|maintains|maintained|contend|contends|contended|counter|counters|countered)\b"
)
# Speech-verb forms that are also plural nouns, and so may open a reported clause.
PLURAL_NOUNS = frozenset(w for w in L.SPEECH_VERBS if w.endswith("s") and w not in ("says", "tells", "adds"))
CONTRACTION_RE = re.compile(r"['’](?:s|re|ve|ll|d|m)$")
CLOSE_MARKS = "\"”’'»"
OPEN_MARKS = "\"“‘'«„"


def inside(j: int, marks: list[QuoteMarks]) -> bool:
    """Is position j between a pair of marks? (marks are sorted and do not overlap)"""
    k = bisect_right(marks, j, key=lambda q: q.start) - 1
    return k >= 0 and marks[k].start <= j < marks[k].end


def aside_start(t: str, s: int, source: int) -> int:
    """Where a content read back from its source starts: the sentence's start, or inside an
    aside still open there ("The figures (about 40%, Ortega says) were wrong": "about 40%")."""
    opened = t.rfind("(", s, source)
    return opened + 1 if opened >= 0 and t.find(")", opened, source) < 0 else s


NESTED_RELATIVE_RE = re.compile(r",\s+(?:which|who|whose|whom)\b")


def relative_clause_end(t: str, start: int, end: int) -> int:
    """Where a content inside a relative clause ends ("Ann Lee, who said the pier, which is
    old, was safe, left"): at the first comma that does not open or close a relative
    clause of its own; ``end`` when there is none."""
    p = start
    while True:
        comma = t.find(",", p, end)
        if comma < 0:
            return end
        if not NESTED_RELATIVE_RE.match(t, comma):
            return comma if comma > start else end
        p = t.find(",", comma + 1, end) + 1
        if p <= 0:
            return end


def content_clause(
    t: str, cue: str, cue_end: int, e: int, marks: list[QuoteMarks]
) -> tuple[int, int, str | None] | None:
    """(start, end, channel) of the clause reported by the speech verb ending at cue_end, or None.

    Skips what may stand between verb and clause (an audience, a time, "in a statement",
    "that", ", through the ministry,"), stops at a semicolon or a coordinated second verb,
    and refuses noun objects ("announced the attachment of ...").
    """
    p = cue_end
    e = min(e, cue_end + CONTENT_MAX)
    channel = None
    m = THROUGH_RE.match(t, p, e)
    if m:
        channel = m.group("np")
        p = m.end()
    told_that = False
    if cue in L.TELL_VERBS:
        m = TELL_THAT_RE.match(t, p, e)
        if m:
            p, told_that = m.end(), True  # "told local station WXYZ-TV that ..."
        else:
            m = TELL_OBJECT_RE.match(t, p, e)
            if m:
                p = m.end()
    m = TEMPORAL_RE.match(t, p, e)
    if m:
        p = m.end()
    m = ADJUNCT_RE.match(t, p, e) or ADJUNCT_THAT_RE.match(t, p, e)
    if m:
        p = m.end()  # "said during a press conference, ...", "wrote on Twitter that ..."
    m = ADVERB_THAT_RE.match(t, p, e)
    if m:
        p = m.end()  # "said privately that ...": how it was said, then what
    had_that = told_that or bool(THAT_AFTER_RE.match(t, p, e))
    that = THAT_RE.match(t, p, e)
    assert that is not None  # every part of THAT_RE is optional: it always matches
    p = that.end()
    m = ACC_INNER_RE.match(t, p, e)
    if m:
        p = m.end()
    while p < e and t[p] in " ,":
        p += 1
    if p < e and t[p] in ")]":
        return None  # "(as low as 19%, Ortega says) hurt ...": the aside closes; it reports what is in it
    end = e
    colon = -1
    for stop in CLAUSE_STOP_RE.finditer(t, p, e):
        if not inside(stop.start(), marks):
            colon = stop.start()
            break
    if colon >= 0:
        if had_that or t[colon] == ";" or colon - p > 200:
            end = colon
        else:
            p = colon + 1
            while p < e and t[p] == " ":
                p += 1
    cut = COORD_CUT_RE.search(t[p:end])
    if cut:
        end = p + cut.start()
    cut = CONTRAST_SOURCE_RE.search(t, p, end)
    if cut:
        end = cut.start()  # "the offer is too low, while managers insist it is fair"
    while end > p and (t[end - 1] in " .,!?…" or t[end - 1].isspace()):
        end -= 1
    if end - p < 8:
        return None
    first = t[p:end].split(None, 1)[0].lower().strip(OPEN_MARKS)
    if cue in WRITE_CUES and not had_that and WROTE_DOCUMENT_RE.match(t, p, end):
        return None
    if cue in ADD_CUES and not had_that and first[:1].isdigit():
        return None  # "Employers added 142,000 jobs": a sum, not a clause
    if had_that and first in CLAUSE_OPENERS:
        return p, end, channel
    if first in BAD_START or first in AUX_START or (first.endswith("ed") and not had_that):
        return None
    if first in L.SPEECH_VERBS and not (first in PLURAL_NOUNS and FINITE_RE.search(t, p + len(first), end)):
        return None  # "said added ...", but "said states will act": a plural noun, then its verb
    first = CONTRACTION_RE.sub("", first)  # "he's open to ...": the pronoun is the subject
    if not had_that and NOMINAL_START_RE.match(t, p, end):
        clause_end = t.find(",", p, end)
        if not AUX_RE.search(t, p, clause_end if clause_end > 0 else end):
            return None
    if (
        not had_that
        and first not in ("there", "it", "they", "he", "she", "we", "i")
        and not FINITE_RE.search(t[p:end][:160])
        and not PRESENT_AFTER_SUBJECT_RE.match(t, p, end)
    ):
        return None
    return p, end, channel
