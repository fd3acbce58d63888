"""Quotes: direct quotations between marks, block quotations after a colon, and reported
speech after a speech verb or "according to"; each attributed through the registry."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from . import lexicon as L
from . import model as M
from .attribution import clause_like, content_span, cue_candidates, cue_features, cue_model
from .content_end import FORWARD_RULES, boundaries
from .reported import (
    AUX_START,
    CLOSE_MARKS,
    FINITE_RE,
    OPEN_MARKS,
    TEMPORAL_RE,
    THAT_AFTER_RE,
    content_clause,
    inside,
)
from .speakers import SKIP, Entity, Registry
from .text import Paragraph, QuoteMarks, trie_regex

_CUE_ALT = trie_regex(sorted(L.FRAGMENT_CUES))
CUE_RE = re.compile(rf"(?<![\w-])(?:{_CUE_ALT})(?![\w-])")
DETERMINERS = frozenset("the a an its their his her our my your these those this that such no any".split())
ACC_INITIAL_RE = re.compile(r"(?:[A-Z][\w ]{0,25},\s*)?[Aa]ccording to\s+(?P<np>[^,;:]{2,90}),\s*")
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
TRAILING_ADV_RE = re.compile(
    r"(?:\s+(?:also|later|subsequently|then|further|previously|has|have|had|would|will|"
    r"did|does|do|once|again|repeatedly|publicly|recently|earlier|first|finally|however|"
    r"quickly|reportedly|officially|immediately|only|went on to|goes on to|go on to|"
    r"was quoted as|were quoted as|is quoted as|quoted as|to|yesterday|today|"
    r"on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|last\s+\w+|this\s+week))+\s*$"
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
NOT_IN_NP = frozenset("as not than which that when if".split())
COORD_END_RE = re.compile(r"(?:\band|\bbut|[,;])\s*$")
WITH_ING_CUES = frozenset("saying adding noting warning stating telling insisting arguing explaining".split())
NOUNISH_CUES = frozenset("claims reports notes estimates promises states answers replies tweets".split())
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


def _from(
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


def _source_right_after(t: str, q: QuoteMarks, a: Attribution) -> bool:
    """'"...," Ann Lee, who runs a bakery in town, said': the verb's source opens right
    after the quotation, however long its description before the verb."""
    return a.entity is not None and 0 <= a.np_start - q.end <= 3 and a.start - q.end <= 200


def _inside_reported(t: str, q: QuoteMarks, attrs: list[Attribution]) -> bool:
    """A quotation inside the content of reported speech that starts a few words before it."""
    return any(
        a.content is not None
        and a.content[0] < q.start <= a.content[1] + 1
        and len(t[a.content[0] : q.start].split()) >= 3
        for a in attrs
    )


def _quotation_then_subject(t: str, cs: int, ce: int, marks: list[QuoteMarks]) -> bool:
    """A span before a cue that is a quotation followed by a few words: those words are the
    cue's subject, and the quotation its content."""
    return any(cs <= q.start and q.end < ce and len(t[q.end + 1 : ce].split()) <= 8 for q in marks)


def _mostly_quoted(cs: int, ce: int, marks: list[QuoteMarks]) -> bool:
    inside_marks = sum(max(0, min(ce, q.end) - max(cs, q.start)) for q in marks)
    return inside_marks * 2 > ce - cs


def _opens_adjunct(t: str, cs: int, ce: int) -> bool:
    """Does the text after a speech verb open with a preposition ("in an interview", "to a
    magazine", "on Twitter") rather than with what was said?"""
    first = t[cs : min(ce, cs + 20)].split()
    return bool(first) and first[0].lower() in ADJUNCT_OPENERS


TITLE_SMALL_WORDS = frozenset("a an the of and or with in on for to at by from".split())


def _is_title(frag: str) -> bool:
    """Title Case words, small ones excepted: a book, a show, a slogan ("Here's the Thing")."""
    words = frag.strip(" .,;:!?").split()
    if not 2 <= len(words) <= 8 or not words[-1][:1].isupper():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or (i and w in TITLE_SMALL_WORDS) for i, w in enumerate(words))


def _is_name_like(frag: str) -> bool:
    f = frag.strip(" .,;:!?")
    words = f.split()
    if len(words) <= 1:
        return len(f) < 3 or any(c.isdigit() for c in f) or f[:1].isupper()
    return len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() for w in words)


class SentenceQuotes:
    """Finds the quotes of one sentence. Holds the article-wide state it needs."""

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

    # -- subjects ------------------------------------------------------------------
    def _sentence_subject(self, k: int, s: int, before: int) -> tuple[Entity | None, str]:
        """The subject of the sentence's main clause, for "..., saying" and "... and said"."""
        for a in self.cur_attrs:
            if a.entity is not None and a.start < before:
                return a.entity, a.np  # "Kowal said, adding ..."
        s = max(self.sent_start, before - SUBJECT_WINDOW)
        m = PRONOUN_START_RE.match(self.text, s, before)
        if m:
            ent = self.reg.resolve_pronoun(m.group(1), m.start(1), k)
            return ent, m.group(1)  # "He defended it, saying ...": said, even when "he" stays unknown
        for pos, ent in self.reg.mentions.get(k, []):
            if s <= pos < before:
                return ent, ent.name
        m = THE_START_RE.match(self.text, s, before)
        if m:
            return self.reg.resolve_description([m.group(1)]), "the " + m.group(1)
        return None, ""

    def subject(self, k: int, s: int, cue_start: int, cue: str) -> tuple[Entity | None, str, bool]:
        """The speaker of a cue: (entity, phrase as written, found)."""
        self.np_start, self.inverted = -1, False
        s = max(s, cue_start - SUBJECT_WINDOW)  # a subject is never far from its verb
        raw = self.text[s:cue_start].split()
        if raw and raw[-1].lower() in DETERMINERS:
            return None, "", False
        if (
            cue in NOUNISH_CUES
            and raw
            and raw[-1][:1].islower()
            and raw[-1] not in L.PRONOUNS_PERSON
            and (not THAT_AFTER_RE.match(self.text, cue_start + len(cue)))
        ):
            return None, "", False  # "sovereignty claims to the sea": a noun
        if raw and raw[-1] == "to" and (len(raw) < 2 or raw[-2] != "on"):
            if cue in L.SPEECH_VERBS:
                return None, "", False
            ent, np = self._sentence_subject(k, s, cue_start)
            return ent, np, bool(np)
        if (
            cue.endswith("ing")
            and not self.text[s:cue_start].rstrip().endswith(",")
            and not self.text[s:cue_start].rstrip().endswith("quoted as")
        ):
            m = WITH_NP_RE.search(self.text, s, cue_start) if cue in WITH_ING_CUES else None
            ent = self.reg.resolve(m.group(1), m.start(1), k) if m else None
            if m is None or ent is None or ent is SKIP:
                return None, "", False
            self.np_start = m.start(1)  # "..., with senior official Li Wei saying ..."
            return ent, m.group(1), True
        seg = self.text[s:cue_start]
        seg = TRAILING_ADV_RE.sub("", seg.rstrip())
        last = seg.split()[-1].lower() if seg.split() else ""
        if last in BE_WORDS or last in PREPOSITIONS or last in ("not", "n't") or seg.endswith("n't"):
            return None, "", False
        inverted = not seg.strip() or seg.rstrip()[-1:] in ",:" + CLOSE_MARKS
        if inverted and not seg.rstrip().endswith(",") or inverted and self._after_quote(seg):
            self.inverted = True
            return self._np_after(k, cue_start + len(cue))
        if cue.endswith("ing") or last in ("and", "but"):
            ent, np = self._sentence_subject(k, s, cue_start)
            return ent, np, bool(np)
        if seg.rstrip().endswith(","):
            parts = seg.rstrip().rstrip(",").split(",")
            # "Ann Lee, the CEO," / "One senator, Rafael Ortiz,"
            # "Jill Chase, 27, a nurse in Ohio,": the apposition may run over several commas
            take = 2
            while take < min(4, len(parts)) and not NAMED_PART_RE.match(parts[-take].strip()):
                take += 1
            if take > len(parts) or not NAMED_PART_RE.match(parts[-take].strip()):
                take = 2
            np = ", ".join(" ".join(p.strip(" " + OPEN_MARKS + CLOSE_MARKS).split()[-10:]) for p in parts[-take:])
        else:
            np = re.split(r"[,;:]|\band\b|\bbut\b", seg)[-1]
            np = " ".join(np.strip(" " + OPEN_MARKS + CLOSE_MARKS).split()[-10:])
        if not np or np.split()[0] in ("which", "who", "that", "what", "where"):
            return None, "", False
        self.np_start = s + len(seg) - len(np)
        lead = LEADING_CONNECTIVE_RE.match(np)
        if lead and lead.end() < len(np):
            self.np_start += lead.end()  # "And he wants ...", "Although she said ...": the subject follows
            np = np[lead.end() :]
        last_word = np.rsplit(None, 1)[-1]
        if last_word in ("He", "She") and " " in np:
            # "... in Washington D.C. He recalled": a sentence the abbreviation's full stop
            # kept from splitting; the subject is the pronoun, not the phrase before it
            self.np_start += len(np) - len(last_word)
            np = last_word
        ent = self.reg.resolve(np, self.np_start, k)
        if ent is None and cue not in L.SPEECH_VERBS and np[:1].islower() and np.split()[0] not in L.PRONOUNS_PERSON:
            low = np.lower().split()
            if not (low[-1] in L.ANONYMOUS_HEADS or low[0] in ("a", "an", "one", "some")):
                ent2, np2 = self._sentence_subject(k, s, cue_start)
                if ent2 is not None:
                    return ent2, np2, True
        return ent, np, True

    def _after_quote(self, seg: str) -> bool:
        tail = seg.rstrip().rstrip(",")
        return tail[-1:] in CLOSE_MARKS or not tail.strip()

    def _np_after(self, k: int, pos: int) -> tuple[Entity | None, str, bool]:
        """The source written after its verb: '..., said U.S. Attorney Jane Roe, who ...'."""
        window = self.text[pos : pos + 120]
        # the full stop of "U.S." or "Rep." does not end the phrase: masked, same length
        masked = ABBREV_DOT_RE.sub(lambda m: m.group(0)[:-1] + "\u00b7", window)
        m = re.match(r"\s*([^.;:!?\"“”()]{2,90})", masked)
        if not m:
            return None, "", False
        cut = re.split(
            r"\s+(?:at|on|in|during|to|after|before|when|while|as|because|"
            r"who|which|adding|saying|from)\b|,\s*(?:adding|saying|who|which|the)\b",
            m.group(1),
        )[0]
        np = window[m.start(1) : m.start(1) + len(cut)].strip()
        self.np_start = pos + m.start(1)
        ent = self.reg.resolve(np, pos, k)
        return ent, np, True

    # -- the sentence --------------------------------------------------------------
    def run(self, k: int, s: int, e: int, para_idx: int, para: Paragraph, marks: list[QuoteMarks]) -> list[RawQuote]:
        """Quotes of sentence k (text[s:e]): first every attribution (speech verb with its
        speaker and reported clause, "according to", a post-posed "..., X said."), then each
        pair of marks, attributed by those, as a whole or a partial quotation."""
        t = self.text
        out: list[RawQuote] = []
        attrs: list[Attribution] = []
        self.sent_start, self.cur_attrs = s, attrs
        # cues outside quotation marks
        cues_seen = False
        m: re.Match[str] | None  # a cue, then an "according to" or a postposed source
        for n, m in enumerate(CUE_RE.finditer(t, s, e)):
            cues_seen = True
            if n >= MAX_PER_SENTENCE:
                break
            if inside(m.start(), marks):
                continue
            cue = m.group(0)
            ent, np, found = self.subject(k, s, m.start(), cue)
            if not found or ent is SKIP:
                continue
            a = Attribution(cue, m.start(), m.end(), ent, np, None, self.np_start, self.inverted)
            reach = max(s, m.start() - QUOTE_THEN_SOURCE_REACH)
            quoted_before = (
                QUOTE_THEN_SOURCE_RE.search(t, reach, m.start()) is not None
                and THAT_AFTER_RE.match(t, m.end(), e) is None  # '"...," but he denied that X'
            )
            if cue in L.SPEECH_VERBS and not para.headline and not a.inverted and not quoted_before:
                c = content_clause(t, cue, m.end(), e, marks)
                if c:
                    cs, ce, channel = c
                    if channel:
                        ch = self.reg.resolve(channel, m.end(), k)
                        if ch is not None and ch is not SKIP:
                            a.entity, a.np = ch, channel
                    qi = bisect_right(marks, cs + 1, key=lambda q: q.start) - 1
                    starts_quote = (
                        t[cs] in OPEN_MARKS
                        and qi >= 0
                        and marks[qi].start == cs + 1
                        and not _is_name_like(t[marks[qi].start : marks[qi].end])
                    )
                    if not starts_quote:
                        a.content = (cs, ce)
            attrs.append(a)
            if cue in L.SPEECH_VERBS and not para.headline and not a.inverted and not quoted_before:
                pieces = self._interrupted_pieces(s, e, a, marks)
                if pieces is not None:
                    first, second = pieces
                    attrs.append(replace(a, content=first, rule="interrupting-source-first-piece"))
                    if a.content is None and second is not None:
                        attrs.append(replace(a, content=second, rule="interrupting-source-second-piece"))
        m = ACC_INITIAL_RE.match(t, s, e)
        if m and not para.headline:
            ent = self.reg.resolve(m.group("np"), m.start("np"), k)
            if ent is not SKIP:
                end = e
                while end > m.end() and t[end - 1] in " .!?":
                    end -= 1
                attrs.append(
                    Attribution(
                        "according to",
                        m.start(),
                        m.end(),
                        ent,
                        m.group("np"),
                        (m.end(), end),
                        m.start("np"),
                        rule="according-to-initial",
                    )
                )
        else:
            m = ACC_FINAL_RE.search(t, s, e) if t.find("according to", s, e) >= 0 else None
            if m and not para.headline and m.start() - s > 15:
                ent = self.reg.resolve(m.group("np"), m.start("np"), k)
                if ent is not SKIP:
                    # '"We will win," according to the minister.': the quotation itself is the content
                    quoted = t[s] in OPEN_MARKS and t[m.start() - 1] in CLOSE_MARKS
                    content = None if quoted else (s, m.start())
                    attrs.append(
                        Attribution(
                            "according to",
                            m.start(),
                            m.end(),
                            ent,
                            m.group("np"),
                            content,
                            m.start("np"),
                            rule="according-to-final",
                        )
                    )
        if not para.headline and t[s] not in OPEN_MARKS:
            m = POSTPOSED_RE.search(t, s, e) if cues_seen else None
            if m and any(a.content and a.content[0] < m.start() for a in attrs):
                m = None
            if m and m.start() - s > 15 and t[m.start() - 1] not in CLOSE_MARKS:
                np = m.group("np1") or m.group("np2")
                words = np.lower().split()
                if len(words) <= 7 and not any(c.isdigit() for c in np) and not set(words) & NOT_IN_NP:
                    ent = self.reg.resolve(np, m.start(), k)
                    head = words[-1]
                    speakerish = ent is not None or head in SPEAKER_HEADS
                    if ent is not SKIP and speakerish:
                        v = "v1" if m.group("v1") else "v2"
                        attrs.append(
                            Attribution(
                                m.group(v),
                                m.start(v),
                                m.end(v),
                                ent,
                                np,
                                (s, m.start()),
                                m.start("np1") if v == "v1" else m.start("np2"),
                                rule="postposed-source",
                            )
                        )
        if not para.headline:
            self._learned_cues(k, s, e, marks, attrs)
        else:
            self._headline(s, e, marks, attrs)
        for a in attrs:
            if a.content:
                cs, ce = a.content
                for b in attrs:
                    if cs < b.np_start < ce and b.entity is not None and COORD_END_RE.search(t, cs, b.np_start):
                        ce = b.np_start
                        while ce > cs and (t[ce - 1] in " ,;" or t[ce - 4 : ce] in (" and", " but")):
                            ce -= 4 if t[ce - 4 : ce] in (" and", " but") else 1
                if a.kind == "speech" and ce != a.content[1] and a.rule.startswith("cue-model"):
                    if not self._speech_content(a.start, a.end, cs, ce, a.rule.split("+", 1)[1]):
                        a.kind = "other"  # what is left once cut is no statement
                rule = a.rule
                if a.rule in FORWARD_RULES:
                    cut = self._content_end(a, cs, ce, marks)
                    if cut < ce:
                        ce, rule = cut, a.rule + "+content-end-model"
                a.content = (cs, ce)
                if a.entity is not None:
                    self._note(a.entity, k, a.start)
                out.append(_from(a, cs, ce, False, 0.7, rule))
                if a.rule.startswith("headline-"):
                    self.headline_sources.append((out[-1], a.np, a.np_start))
        # direct quotations
        for qi, q in enumerate(marks):
            frag = t[q.start : q.end]
            if _is_name_like(frag):
                continue
            pre = t[max(s, q.start - 200) : q.start - 1]
            pre_s = pre.rstrip()
            full = not pre_s or pre_s[-1] in ",:" or pre_s.endswith(" that") or (pre_s[-1] in CLOSE_MARKS)
            if full and pre_s and pre_s[-1] in ",:" and _inside_reported(t, q, attrs):
                full = False  # 'Ryan said it is wrong to think that, if X, "the oceans will save us"'
            if full:
                nxt = marks[qi + 1].start - 1 if qi + 1 < len(marks) else e
                rq = self._full(k, q, attrs, para_idx, nxt)
                if rq is not None and pre_s.endswith(" that") and rq.rule.startswith("marks+attribution"):
                    # 'said that "..."': quoted words as the complement of "that" are reported
                    # speech in the speaker's own words, not a quotation standing for itself
                    rq.direct, rq.rule = False, rq.rule + "+that-clause"
            elif _is_title(frag):
                rq = None  # 'on the podcast "Here's the Thing"': a title, not words said
            else:
                rq = self._partial(q, attrs)
                if (
                    rq is not None
                    and rq.entity is not None
                    and (len(t[q.end + 1 : e].split()) <= PARTIAL_TAIL_WORDS or rq.cue_span[0] > q.end)
                ):
                    # the next quotation continues it: the fragment ends its sentence, or
                    # only its attribution follows ('The plan "will fail," said Ann Lee, ...')
                    self.last_direct, self.last_para = rq, para_idx
                last_word = pre_s.rsplit(None, 1)[-1] if pre_s else ""
                if rq is not None and last_word in L.SPEECH_VERBS and not t[q.end + 1 : e].strip(' .!?"”’'):
                    rq.partial = False  # 'was quoted as saying "..."': the whole content, quoted
            if rq is not None:
                out.append(rq)
        named = [a for a in attrs if a.entity is not None and a.content is not None]
        if named:
            self.last_source = (k, named[-1])
        return out

    def _learned_cues(self, k: int, s: int, e: int, marks: list[QuoteMarks], attrs: list[Attribution]) -> None:
        """Attributions the rules left without content, where the cue model says a word is a cue."""
        model, vocab, context = self.cue_model
        if model is None or not vocab:
            return
        t = self.text
        covered = [a.content for a in attrs if a.content]
        ruled = {a.start for a in attrs if a.content}
        accepted = 0
        has_marks = bool(marks)
        for a0, b0, word in cue_candidates(t, s, e, marks, vocab):
            if accepted >= MAX_PER_SENTENCE:
                break  # a "sentence" with more is not prose (and this keeps time linear)
            if a0 in ruled or any(c0 <= a0 < c1 for c0, c1 in covered):
                continue
            if word in L.SPEECH_VERBS and (
                QUOTE_THEN_SOURCE_RE.search(t, max(s, a0 - QUOTE_THEN_SOURCE_REACH), a0)
                or not word.endswith("ing")
                and QUOTE_THEN_VERB_RE.search(t, max(s, a0 - 8), a0)
            ):
                continue  # '"...," Ann Lee said in a film', '"...," said Ann Lee': the quotation is the content
            if model.probability(cue_features(t, s, e, a0, b0, has_marks, context)) < model.threshold:
                continue
            accepted += 1
            cue = t[a0:b0]
            if word == "according" and t.startswith(" to", b0):
                b0 += 3
                cue = t[a0:b0]
            known = next((a for a in attrs if a.start == a0), None)
            if known is not None:
                ent, np, np_start, inverted = known.entity, known.np, known.np_start, known.inverted
            else:
                ent, np, found = self.subject(k, s, a0, word)
                np_start, inverted = self.np_start, self.inverted
                if not found:
                    ent, np = self._sentence_subject(k, s, a0)
                    np_start = -1
            if ent is SKIP:
                ent = None
            cs, ce, rule = content_span(t, s, e, a0, b0, np_start, word)
            if rule == "content-before-inverted-source":
                if word not in L.SPEECH_VERBS:
                    continue  # "Ann Lee, the owner, criticized the plan": only speech inverts its source
                ent, np, _ = self._np_after(k, b0)  # '..., said the mayor.'
                np_start, inverted = self.np_start, True
                if ent is SKIP:
                    ent = None
            if ce - cs < 8 or " " not in t[cs : cs + 40].strip() or _mostly_quoted(cs, ce, marks):
                continue  # a quotation: the rules read it with its marks
            if rule.startswith("content-before") and _quotation_then_subject(t, cs, ce, marks):
                continue  # '"...," the owner, Ann Lee, told the paper': her quotation, read with its marks
            if rule == "content-after-cue" and word in L.SPEECH_VERBS and _opens_adjunct(t, cs, ce):
                continue  # '"...," Ann Lee said in an interview': where it was said, not what
            if word in L.BELIEF_VERBS:
                kind = "belief"
            elif (word in L.SPEECH_VERBS or word == "according") and self._speech_content(a0, b0, cs, ce, rule):
                kind = "speech"
            else:
                kind = "other"  # an intention, evidence, a noun object: PolNeAR's, not our rules' quotes
            a = Attribution(cue, a0, b0, ent, np, (cs, ce), np_start, inverted, f"cue-model+{rule}", kind)
            attrs.append(a)
            covered.append((cs, ce))

    def _headline(self, s: int, e: int, marks: list[QuoteMarks], attrs: list[Attribution]) -> None:
        """A title that attributes: "Ann Holt: The Bridge Will Open" or "Ann Holt Says Bridge
        Will Open". Its source is resolved once the article is read (a title's capitalised
        words are not registered as names), by ``resolve_headlines``."""
        t = self.text
        m = HEADLINE_COLON_RE.match(t, s, e) or HEADLINE_VERB_RE.match(t, s, e)
        if m is None:
            return
        cue = m.group("cue")
        low = cue.lower()
        if cue != ":" and not (low in L.SPEECH_VERBS or low in L.BELIEF_VERBS or low in self.cue_model[1]):
            return
        cs, ce = m.start("content"), e
        while ce > cs and t[ce - 1] in " .!?":
            ce -= 1
        if len(t[cs:ce].split()) < 2 or _mostly_quoted(cs, ce, marks):
            return
        kind = "speech" if cue == ":" or low in L.SPEECH_VERBS else "belief" if low in L.BELIEF_VERBS else "other"
        rule = "headline-colon" if cue == ":" else "headline-verb"
        np, np_start = m.group("np"), m.start("np")
        attrs.append(Attribution(cue, m.start("cue"), m.end("cue"), None, np, (cs, ce), np_start, False, rule, kind))

    def resolve_headlines(self, k: int) -> None:
        """Speakers of the titles' attributions, now that the article's names are known."""
        for rq, np, pos in self.headline_sources:
            ent = self.reg.resolve(np, pos, k)
            if ent is not None and ent is not SKIP:
                rq.entity = ent

    def _interrupted_pieces(
        self, s: int, e: int, a: Attribution, marks: list[QuoteMarks]
    ) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
        """The content around a source set off by commas inside its sentence ("The permit,
        his campaign said, was hard to get"): the piece from the sentence start to the
        comma before the source, and the rest of the sentence after the verb (used when it
        is no clause of its own: "was hard to get"), or None for a quotation."""
        t = self.text
        if a.np_start < s + 8 or t[a.np_start - 2 : a.np_start] != ", " or t[s] in OPEN_MARKS:
            return None
        p = a.end
        m = TEMPORAL_RE.match(t, p, min(len(t), p + 60))
        if m:
            p = m.end()
        comma = p if t.startswith(",", p) else p - 1 if t.startswith(",", p - 1) else -1
        if comma < 0:
            return None
        after = t[comma + 1 : comma + 16].split()
        if not after or after[0].lower().strip(",") in NOT_AFTER_INTERRUPTION:
            return None  # "While ..., Russia announced, through X, that ...": a main clause, not an aside
        start, end = s, a.np_start - 2
        while end > start and t[end - 1] in " ,":
            end -= 1
        if len(t[start:end].split()) < 2 or _mostly_quoted(start, end, marks) or any(c in t[start:end] for c in ";:"):
            return None  # "However, she added, ...": a connective is no content
        rest = comma + 1
        while rest < e and t[rest] == " ":
            rest += 1
        stop = e
        while stop > rest and t[stop - 1] in " .!?":
            stop -= 1
        quoted = rest >= e or t[rest] in OPEN_MARKS or _mostly_quoted(rest, stop, marks)
        return (start, end), None if quoted or len(t[rest:stop].split()) < 2 else (rest, stop)

    def _content_end(self, a: Attribution, cs: int, ce: int, marks: list[QuoteMarks]) -> int:
        """Where the ``content_end`` decision stops a forward-running content span (ce when
        it accepts no boundary). While training records the boundaries, nothing is cut."""
        model, cue_words = self.end_model
        recorder = self.reg.end_recorder
        if model is None and recorder is None:
            return ce
        found = boundaries(self.text, cs, ce, a.rule, a.cue, marks, cue_words)
        if recorder is not None:
            recorder.append((cs, ce, list(found)))
            return ce
        assert model is not None  # without a recorder, the model was there
        for end, feats in found:
            if model.probability(feats) >= model.threshold:
                return end
        return ce

    def _speech_content(self, a0: int, b0: int, cs: int, ce: int, rule: str) -> bool:
        """Precision guard: a learned cue counts as reported speech under the project's rules
        only when its content is an explicit clause: introduced by "that" (or placed before
        its source), at least four words, opening with a subject rather than a verb ("claims
        were made": the cue is a noun), with a finite verb, and the cue is not negated."""
        t = self.text
        words = t[cs : min(ce, cs + 200)].split()
        if len(words) < 4 or words[0].lower().strip(OPEN_MARKS) in AUX_START:
            return False
        before = t[max(self.sent_start, a0 - 12) : a0].lower().split()
        if before and (before[-1] in NEGATORS or before[-1].endswith("n't") or before[-1] in BE_WORDS):
            return False  # "did not mention", "are said to be": not a statement made
        explicit = rule != "content-after-cue" or THAT_AFTER_RE.match(t, b0, ce) is not None
        if "according" in rule and FINITE_RE.search(t, cs, min(ce, cs + 160)) is None:
            return False  # "..., according to X": a noun phrase is not a statement
        return explicit and clause_like(t, cs, ce, after_that=True)

    def _note(self, ent: Entity, k: int, pos: int) -> None:
        self.reg.note_speaker(ent)
        ent.last = max(ent.last, pos)
        self.reg.mentions.setdefault(k, []).append((pos, ent))

    def _full(self, k: int, q: QuoteMarks, attrs: list[Attribution], para_idx: int, nxt: int) -> RawQuote | None:
        """A quotation that stands on its own: attributed after it, before it, or by the
        previous quotation's speaker."""
        after = [a for a in attrs if q.end < a.start < nxt and a.content is None]
        before = [a for a in attrs if a.end <= q.start and q.start - a.end <= 70]
        if after and (
            self.text[q.end + 1 : min(after[0].start, q.end + 200)].strip(" ,").count(" ") < 8
            or _source_right_after(self.text, q, after[0])
        ):
            a = after[0]
            rq = _from(a, q.start, q.end, True, 0.9, "marks+attribution-after")
        elif after and (named := self._name_then_description(k, q, after[0])) is not None:
            rq = named
        elif (signed := self._dash_source(k, q)) is not None:
            rq = signed
        elif before:
            a = before[-1]
            rq = _from(a, q.start, q.end, True, 0.85, "marks+attribution-before")
        elif self.text[self.sent_start : q.start - 1].rstrip().endswith(":"):
            # 'Carl Jensen of the Space Agency spoke of the partnership: "It is fun ..."'
            ent, np = self._sentence_subject(k, self.sent_start, q.start)
            rq = RawQuote(q.start, q.end, True, ent, None, 0.6 if ent else 0.4, False, np or None, rule="marks+colon")
        else:
            same_para = self.last_direct is not None and para_idx == self.last_para
            if (
                len(self.text[q.start : q.end].split()) < (2 if same_para else 4)
                or self.text[self.sent_start : q.start - 1].strip()
            ):
                return None  # unattributed and not opening its sentence: a title or a term
            if self.text[q.end + 1 : nxt].strip(" .,;!?" + CLOSE_MARKS):
                return None  # '"...," reads the statement': attributed by words we do not read
            prev = self.last_direct
            src = self.last_source
            if (
                src is not None
                and src[0] == k - 1
                and (
                    prev is None
                    or para_idx - self.last_para > 1
                    or src[1].start > prev.end
                    and src[1].kind == "speech"  # a newer statement's source
                )
            ):
                # 'Ann Lee praised the mayor's plan. "We need someone like her."': a quotation
                # opening its sentence after one whose named source said something, in words
                # of its own, is hers
                a = src[1]
                rq = _from(a, q.start, q.end, True, 0.55, "marks+previous-source")
            elif prev is None or para_idx - self.last_para > 1:
                rq = RawQuote(q.start, q.end, True, None, None, 0.4, rule="marks-unattributed")
            else:
                # a quotation running on from the previous one is the same statement: it
                # keeps that statement's source, cue and kind, and where they are written
                rq = RawQuote(
                    q.start,
                    q.end,
                    True,
                    prev.entity,
                    prev.cue,
                    0.6,
                    False,
                    prev.attribution,
                    prev.kind,
                    "marks+previous-speaker",
                    prev.source,
                    prev.cue_span,
                )
        if rq.entity is not None:
            self._note(rq.entity, k, q.start)
        self.last_direct = rq
        self.last_para = para_idx
        return rq

    def _name_then_description(self, k: int, q: QuoteMarks, a: Attribution) -> RawQuote | None:
        """'"...," Tom Reed, 30, of Leeds, who was polled, said': a person named right after
        the quotation and described at length before the verb is its source."""
        if a.start - q.end > 200:
            return None
        m = NAME_THEN_COMMA_RE.match(self.text, q.end + 1)
        if m is None:
            return None
        ent = self.reg.resolve(m.group("np"), m.start("np"), k)
        if ent is None or ent is SKIP or ent.type != "person":
            return None
        rq = _from(a, q.start, q.end, True, 0.85, "marks+named-source-described")
        rq.entity, rq.attribution, rq.source = ent, m.group("np"), (m.start("np"), m.end("np"))
        return rq

    def _dash_source(self, k: int, q: QuoteMarks) -> RawQuote | None:
        """A quotation signed after a dash: '"..." — Rep. Ann Lee'."""
        m = DASH_SOURCE_RE.match(self.text, q.end + 1)
        if m is None:
            return None
        np, np_end = m.group("np"), m.end("np")
        if np.endswith(".") and len(np.rsplit(None, 1)[-1]) > 3:
            np, np_end = np[:-1], np_end - 1  # the sentence's full stop, not an abbreviation's
        ent = self.reg.resolve(np, m.start("np"), k)
        if ent is None or ent is SKIP:
            return None
        return RawQuote(
            q.start,
            q.end,
            True,
            ent,
            None,
            0.8,
            False,
            np,
            "speech",
            "marks+dash-source",
            (m.start("np"), np_end),
        )

    def _partial(self, q: QuoteMarks, attrs: list[Attribution]) -> RawQuote | None:
        best = None
        for a in attrs:
            if a.content and a.content[0] <= q.start and q.end <= a.content[1] + 1:
                best = a
                break
        if best is None:
            # the nearest verb with a speaker; failing that, one whose subject is at least
            # written out ('The opposition called the figure "a drop in the ocean"')
            near = [a for a in attrs if a.entity is not None] or [
                a for a in attrs if a.np and not a.inverted and a.start < q.start
            ]
            if not near:
                return None
            best = min(near, key=lambda a: abs(a.start - q.start))
        if best.entity is None and len(self.text[q.start : q.end].split()) <= 2:
            return None  # 'a studio "fixer"': a word in quotation marks, with no one to have said it
        rq = _from(best, q.start, q.end, True, 0.75, "marks-partial", partial=True)
        before = self.text[max(self.sent_start, best.start - 12) : best.start].split()
        if before and before[-1].lower() in BE_WORDS:
            pass  # 'are said to be in "..."': hearsay, not a statement quoted
        elif best.cue and best.cue.split()[-1].lower() in L.FRAGMENT_CUES:
            rq.kind = "speech"  # 'called the ruling "ill-founded"': a quoted fragment of speech
        return rq

    def block(self, k: int, q_start: int, q_end: int, intro: tuple[int, int], signature: str | None) -> RawQuote:
        """A block quotation after a paragraph ending in a colon."""
        t = self.text
        s, e = intro
        ent, np, cue = None, None, None
        if signature:
            ent, np = self.reg.resolve(signature, q_end, k), signature
        if ent is None or ent is SKIP:
            m = re.search(r"\bby\s+([^,;:]{2,80}?)(?:\s+as\s+such)?\s*:\s*$", t[s:e])
            if m:
                ent, np, cue = self.reg.resolve(m.group(1), s + m.start(1), k), m.group(1), "by"
        if ent is None or ent is SKIP:
            for m in CUE_RE.finditer(t, s, e):
                ent, np, found = self.subject(k, s, m.start(), m.group(0))
                if found and ent is not None and ent is not SKIP:
                    cue = m.group(0)
                    break
        if ent is SKIP:
            ent = None
        if ent is not None:
            self._note(ent, k, q_start)
        rq = RawQuote(q_start, q_end, True, ent, cue, 0.7 if ent else 0.4, False, np, rule="block-after-colon")
        self.last_direct = rq
        return rq
