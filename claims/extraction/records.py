"""The sentence reader's records and patterns: an attribution found in a sentence (its cue,
source and content), a quote in the making, and the patterns and small tests the reading
stages share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as L
from . import model as M
from .attribution import cue_model
from .names import classify
from .speakers import Entity, Registry
from .text import QuoteMarks, trie_regex

_CUE_ALT = trie_regex(sorted(L.FRAGMENT_CUES))
CUE_RE = re.compile(rf"(?<![\w-])(?:{_CUE_ALT})(?![\w-])")
DETERMINERS = frozenset("the a an its their his her our my your these those this that such no any".split())
# the source may have a relative clause ('According to Ann Lee, who chairs the board, the
# plan ...'); one that ends the sentence makes it the final form ('The plan was weak,
# according to Ann Lee, who said ...')
ACC_INITIAL_RE = re.compile(
    r"(?:[A-Z][\w ]{0,25},\s*)?[Aa]ccording to\s+(?P<np>[^,;:]{2,130})"
    r"(?:,\s*(?P<name>(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]+)(?=,))?"  # "the finance chief, Ray Diaz,"
    r"(?:,\s*(?:who|which|whose)\b[^,;:]{2,120})?,(?!\s*(?:who|which|whose)\b)\s*"
)
ACC_FINAL_RE = re.compile(
    r",?\s+according to\s+(?P<np>[^,;:.]{2,90})(?:,\s+(?:which|who|whose)\s[^;:]{2,120})?[.!]?\s*$"
)
POSTPOSED_RE = re.compile(
    r",\s+(?:(?P<np1>[^,\"“”]{2,60}?)\s+(?P<v1>said|says|added|reported|stated|explained|"
    r"confirmed|announced|claimed|noted|insisted|warned)|(?P<v2>said|says|added)\s+"
    r"(?P<np2>[^,\"“”]{2,60}?))(?:\s+(?:yesterday|today|on\s+[A-Z]\w+|last\s+\w+|this\s+\w+|earlier|later|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday))?"
    r"(?:[.!]?\s*$|,\s+(?:adding|saying)\b)"
)
# words and spaces only, no punctuation (subjects.drop_trailing_adverbs relies on it)
TRAILING_ADV_RE = re.compile(
    r"(?:\s+(?:also|later|subsequently|then|further|previously|has|have|had|would|will|"
    r"did|does|do|once|again|repeatedly|publicly|recently|earlier|first|finally|however|"
    r"quickly|reportedly|officially|immediately|only|went on to|goes on to|go on to|"
    r"long|often|always|already|still|privately|openly|frequently|consistently|"
    r"was quoted as|were quoted as|is quoted as|quoted as|to|yesterday|today|"
    r"on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|last\s+\w+|this\s+week|"
    # any other adverb in -ly ("cautiously declined"), but not a noun or verb so spelt
    r"(?!(?:ally|anomaly|assembly|belly|bully|daily|elderly|family|folly|jelly|monopoly|monthly|"
    r"quarterly|rally|supply|weekly|apply|comply|imply|reply|multiply)\b)[a-z]{2,}ly))+\s*$"
)
SUBJECT_WINDOW = 300
PARTIAL_TAIL_WORDS = 6  # a quoted fragment followed by only its source ("..., Ann Lee said.") ends a quotation run
# '"...," Ann Lee said in a film that ...': the quotation is what was said, not the clause after
# '"..." — Rep. Ann Lee': a quotation signed by a dash and a name closing the line (or
# on the line after it)
DASH_SOURCE_RE = re.compile(
    r"[ \t]*\n?\n?[ \t]*[—–-]{1,2}[ \t]*(?P<np>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,5})"
    r"(?:,[ \t]*[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})?[ \t]*[.,]?[ \t]*(?:\n|$)"
)
# '"...," Tom Reed, 30, ...': a name opening right after a quotation, set off by a comma
NAME_THEN_COMMA_RE = re.compile(
    r"[ ,]{0,3}(?P<np>(?:(?:Mr|Mrs|Ms|Dr)\.\s)?[A-Z][\w'’-]+(?:\s(?:[A-Z]\.|[A-Z][\w'’-]+)){0,3}),\s"
)
QUOTE_THEN_SOURCE_RE = re.compile(r"[,?!…—-][\"”’'»]+\s+(?:[\w.'’-]+\s+){1,6}$")
# '"...," said Ann Lee': a verb right after a quotation whose source follows it
QUOTE_THEN_VERB_RE = re.compile(r"[,?!…—-][\"”’'»]+\s+$")
# How far before a cue QUOTE_THEN_SOURCE_RE looks: its match is a few words long, and a
# window from the sentence start would make a long run-on "sentence" quadratic.
QUOTE_THEN_SOURCE_REACH = 200
NAMED_PART_RE = re.compile(r"(?:[A-Z][\w'’.-]+\s+)+[A-Z][\w'’-]+$")
ABBREV_DOT_RE = re.compile(
    r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Rep|Reps|Sen|Sens|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Supt|Insp|Rev|Prof|Hon|"
    r"Jr|Sr|St|Atty|Dist|Dept|Calif|Fla|Tex|Mass|Conn|Ill|Mich|Minn|Penn|Pa|Va|Wash|Wis|Ky|Tenn|Ga|Ala|La|Md)\."
)
PRONOUN_START_RE = re.compile(r"\s*(?:[A-Z][\w ]{0,25},\s*)?(He|She|It)\s+(?!is\b|was\b)")
THE_START_RE = re.compile(r"\s*(?:[A-Z][\w ]{0,25},\s*)?(?:[Tt]he)\s+([a-z]+)")
SPEAKER_HEADS = L.ANONYMOUS_HEADS | L.PERSON_ROLE_NOUNS | L.ORG_HEAD_NOUNS
# The first words of a sentence, where an unnamed subject may stand before its verb
# ("Local groups welcomed ...", "Portugal's central bank cut ...")
OPENING_WORDS_RE = re.compile(r"\s*((?:[A-Za-z][\w'’-]*\s+){1,4})")
NOT_IN_NP = frozenset("as not than which that when if".split())
COORD_END_RE = re.compile(r"(?:\band|\bbut|[,;])\s*$")
WITH_ING_CUES = frozenset("saying adding noting warning stating telling insisting arguing explaining".split())
NOUNISH_CUES = frozenset("claims reports notes estimates promises states answers replies tweets".split())
# base forms that are nouns as often as verbs: a verb only after a plural subject ("officials
# state"), never after a singular word ("a Democratic state, supporting ...", "the report")
BASE_NOUNISH_CUES = frozenset(
    "state claim report note promise estimate answer reply tweet vow pledge remark quip joke counter boast caution "
    "lament recall stress".split()
)
PLURAL_SUBJECT_WORDS = frozenset("i we you they who that which people police".split())
NOT_PLURAL_S = frozenset("his its this was is has as us does hers yours ours theirs thus plus".split())
WITH_NP_RE = re.compile(r"\bwith\s+([^,;:]{2,100}?)\s+$")
MAX_PER_SENTENCE = 64  # cues read per sentence: a "sentence" with more is not prose
PREPOSITIONS = frozenset("from of about by for without after before upon on in".split())
BE_WORDS = frozenset("is are was were be been being commonly widely often so-called".split())
# "Ann Holt: ..." and "Ann Holt Says ...": a short capitalised source opening a title
HEADLINE_COLON_RE = re.compile(r"(?P<np>[A-Z][\w.'’&-]*(?: [A-Z][\w.'’&-]*){0,4})(?P<cue>:)\s+(?P<content>[^:]{8,})")
HEADLINE_VERB_RE = re.compile(
    r"(?P<np>[A-Z][\w.'’&-]*(?: [A-Z][\w.'’&-]*){0,4}?)\s+(?P<cue>[A-Z][a-z]+s)\s+(?P<content>[A-Z\w‘'\"“].{6,})"
)
LEADING_CONNECTIVE_RE = re.compile(
    r"(?:And|But|Although|Though|While|When|Because|So|Yet|Or|If|As|Since|After|Before|Still|Now|Then)\s+"
)
ADJUNCT_OPENERS = frozenset(
    """in on at to during after before via through from with while when as by over into near under
    outside inside last this yesterday today earlier later""".split()
)
NOT_AFTER_INTERRUPTION = frozenset(
    "that through according adding saying citing noting as which who in on at during after before".split()
)
NEGATORS = frozenset("not never neither nor no".split())


@dataclass
class Attribution:
    cue: str
    start: int  # cue position
    end: int
    entity: Entity | None
    np: str
    content: tuple[int, int] | None = None
    np_start: int = -1
    inverted: bool = False
    rule: str = "speech-verb"
    kind: str = "speech"

    def __post_init__(self) -> None:
        if self.kind == "speech" and document_source(self.np):
            self.kind = "other"  # "the report said": evidence, not a quote

    def source_span(self) -> tuple[int, int]:
        return (self.np_start, self.np_start + len(self.np)) if self.np_start >= 0 and self.np else (-1, -1)


@dataclass
class RawQuote:
    start: int
    end: int
    direct: bool
    entity: Entity | None
    cue: str | None
    confidence: float
    partial: bool = False
    attribution: str | None = None
    kind: str = "speech"
    rule: str = ""
    source: tuple[int, int] = (-1, -1)
    cue_span: tuple[int, int] = (-1, -1)


def quote_from(
    a: Attribution, start: int, end: int, direct: bool, confidence: float, rule: str, partial: bool = False
) -> RawQuote:
    return RawQuote(
        start,
        end,
        direct,
        a.entity,
        a.cue,
        confidence,
        partial,
        a.np or None,
        a.kind,
        rule,
        a.source_span(),
        (a.start, a.end),
    )


def source_right_after(t: str, q: QuoteMarks, a: Attribution) -> bool:
    """'"...," Ann Lee, who runs a bakery in town, said': the verb's source opens right
    after the quotation, however long its description before the verb."""
    return a.entity is not None and 0 <= a.np_start - q.end <= 3 and a.start - q.end <= 200


def inside_reported(t: str, q: QuoteMarks, attrs: list[Attribution]) -> bool:
    """A quotation inside the content of reported speech that starts a few words before it."""
    return any(
        a.content is not None
        and a.content[0] < q.start <= a.content[1] + 1
        and len(t[a.content[0] : q.start].split()) >= 3
        for a in attrs
    )


def quotation_then_subject(t: str, cs: int, ce: int, marks: list[QuoteMarks]) -> bool:
    """A span before a cue that is a quotation followed by a few words: those words are the
    cue's subject, and the quotation its content."""
    return any(cs <= q.start and q.end < ce and len(t[q.end + 1 : ce].split()) <= 8 for q in marks)


def mostly_quoted(cs: int, ce: int, marks: list[QuoteMarks]) -> bool:
    inside_marks = sum(max(0, min(ce, q.end) - max(cs, q.start)) for q in marks)
    return inside_marks * 2 > ce - cs


def opens_adjunct(t: str, cs: int, ce: int) -> bool:
    """Does the text after a speech verb open with a preposition ("in an interview", "to a
    magazine", "on Twitter") rather than with what was said?"""
    first = t[cs : min(ce, cs + 20)].split()
    return bool(first) and first[0].lower() in ADJUNCT_OPENERS


TITLE_SMALL_WORDS = frozenset("a an the of and or with in on for to at by from".split())


HEAD_PHRASE_END_RE = re.compile(r",|\s(?:who|which|that|whose)\s")


def document_source(np: str) -> bool:
    """Whether a source phrase names a document ("a Senate committee report", "the study"):
    what it says is evidence, an attribution PolNeAR annotates but not a quote of ours."""
    words = HEAD_PHRASE_END_RE.split(np, maxsplit=1)[0].split()  # not "Ann Lee, who led the study"
    if not words or words[-1].lower().strip("’'") not in L.DOCUMENT_HEADS:
        return False
    # "a new poll", "Morning Poll"; but "Steven Law" is a person's name
    return words[-1][:1].islower() or classify(" ".join(words)) != "person"


def is_title(frag: str) -> bool:
    """Title Case words, small ones excepted: a book, a show, a slogan ("Here's the Thing")."""
    words = frag.strip(" .,;:!?").split()
    if not 2 <= len(words) <= 8 or not words[-1][:1].isupper():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or (i and w in TITLE_SMALL_WORDS) for i, w in enumerate(words))


def is_name_like(frag: str) -> bool:
    f = frag.strip(" .,;:!?")
    words = f.split()
    if len(words) <= 1:
        return len(f) < 3 or any(c.isdigit() for c in f) or f[:1].isupper()
    return len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() for w in words)


class ReaderState:
    """The article-wide state the sentence reader keeps from one sentence to the next."""

    def __init__(self, text: str, reg: Registry) -> None:
        self.text = text
        self.reg = reg
        self.last_direct: RawQuote | None = None
        self.sent_start = 0
        self.cur_attrs: list[Attribution] = []
        self.last_para = -1
        # the latest sentence's attribution with a named source: (sentence, attribution)
        self.last_source: tuple[int, Attribution] | None = None
        # set by subject() for the cue just read: where its speaker phrase starts, and
        # whether the phrase follows the verb ('", said the minister')
        self.np_start = -1
        self.inverted = False
        self.headline_sources: list[tuple[RawQuote, str, int]] = []
        self.cue_model = cue_model() if reg.use_model else (None, frozenset(), frozenset())
        self.end_model = (M.decision("content_end"), self.cue_model[1]) if reg.use_model else (None, frozenset())
