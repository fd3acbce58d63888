"""Quotes: direct quotations between marks, block quotations after a colon, and reported
speech after a speech verb or "according to"; each attributed through the registry."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from . import lexicon as L
from .attribution import inverted_cue
from .content_end import FORWARD_RULES
from .learned import ATTRIBUTIVE_BEFORE_RE, RELATIVE_BEFORE_RE, LearnedReader
from .records import (
    ACC_FINAL_RE,
    ACC_INITIAL_RE,
    COORD_END_RE,
    CUE_RE,
    MAX_PER_SENTENCE,
    NOT_IN_NP,
    PARTIAL_TAIL_WORDS,
    POSTPOSED_RE,
    QUOTE_THEN_SOURCE_RE,
    QUOTE_THEN_SOURCE_REACH,
    SPEAKER_HEADS,
    Attribution,
    RawQuote,
    inside_reported,
    is_name_like,
    is_title,
    quote_from,
)
from .reported import (
    CLOSE_MARKS,
    OPEN_MARKS,
    THAT_AFTER_RE,
    aside_start,
    content_clause,
    inside,
    relative_clause_end,
)
from .speakers import SKIP
from .text import Paragraph, QuoteMarks

__all__ = ["CUE_RE", "Attribution", "RawQuote", "SentenceQuotes"]


class SentenceQuotes(LearnedReader):
    """Finds the quotes of one sentence. Holds the article-wide state it needs."""

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
            if cue.endswith("ed") and ATTRIBUTIVE_BEFORE_RE.search(t, max(s, m.start() - 12), m.start()):
                continue  # "her reported net worth": an adjective
            ent, np, found = self.subject(k, s, m.start(), cue)
            if not found or ent is SKIP:
                continue
            a = Attribution(cue, m.start(), m.end(), ent, np, None, self.np_start, self.inverted)
            reach = max(s, m.start() - QUOTE_THEN_SOURCE_REACH)
            quoted_before = (
                QUOTE_THEN_SOURCE_RE.search(t, reach, m.start()) is not None
                and THAT_AFTER_RE.match(t, m.end(), e) is None  # '"...," but he denied that X'
            )
            # '..., said the mayor, who was elected in May.': no subject before the verb, and
            # its source after it, not a clause
            inverted = ent is None and inverted_cue(t, s, e, m.start(), m.end(), cue)
            if cue in L.SPEECH_VERBS and not para.headline and not a.inverted and not quoted_before and not inverted:
                c = content_clause(t, cue, m.end(), e, marks)
                if c:
                    cs, ce, channel = c
                    if RELATIVE_BEFORE_RE.search(t, max(s, m.start() - 80), m.start()):
                        ce = relative_clause_end(t, cs, ce)  # "Ann Lee, who said X, left": the clause ends
                    if channel:
                        ch = self.reg.resolve(channel, m.end(), k)
                        if ch is not None and ch is not SKIP:
                            a.entity, a.np = ch, channel
                    qi = bisect_right(marks, cs + 1, key=lambda q: q.start) - 1
                    starts_quote = (
                        t[cs] in OPEN_MARKS
                        and qi >= 0
                        and marks[qi].start == cs + 1
                        and not is_name_like(t[marks[qi].start : marks[qi].end])
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
        # the pattern backtracks through a sentence's first words: only where it can match
        m = ACC_INITIAL_RE.match(t, s, e) if t.find("ccording to", s, e) >= 0 else None
        if m and not para.headline:
            np, np_start, start = m.group("np"), m.start("np"), m.end()
            if m.group("name"):
                if np.split()[-1].lower() in L.PERSON_ROLE_NOUNS:
                    np, np_start = m.group("name"), m.start("name")  # "the finance chief, Ray Diaz,": him
                else:
                    start = m.start("name")  # "According to the paper, Ann Lee, the mayor, ...": content
            ent = self.reg.resolve(np, np_start, k)
            if ent is not SKIP:
                end = e
                while end > start and t[end - 1] in " .!?":
                    end -= 1
                attrs.append(
                    Attribution(
                        "according to",
                        m.start(),
                        m.end(),
                        ent,
                        np,
                        (start, end),
                        np_start,
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
                    content = None if quoted else (aside_start(t, s, m.start()), m.start())
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
                                (aside_start(t, s, m.start()), m.start()),
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
                            ce = max(cs, ce - 4) if t[ce - 4 : ce] in (" and", " but") else ce - 1
                if a.kind == "speech" and ce != a.content[1] and a.rule.startswith("cue-model"):
                    if not self._speech_content(a.start, a.end, cs, ce, a.rule.split("+", 1)[1]):
                        a.kind = "other"  # what is left once cut is no statement
                rule = a.rule
                if a.rule in FORWARD_RULES:
                    cut = self._content_end(a, cs, ce, marks)
                    if cut < ce:
                        ce, rule = cut, a.rule + "+content-end-model"
                if ce <= cs:
                    a.content = None  # 'reported and says': cut back to nothing
                    continue
                a.content = (cs, ce)
                if a.entity is not None:
                    self._note(a.entity, k, a.start)
                out.append(quote_from(a, cs, ce, False, 0.7, rule))
                if a.rule.startswith("headline-"):
                    self.headline_sources.append((out[-1], a.np, a.np_start))
        if not para.headline:
            out.extend(quote_from(a, *a.content, False, 0.6, a.rule) for a in self._raising(s, e, attrs) if a.content)
        # direct quotations
        for qi, q in enumerate(marks):
            frag = t[q.start : q.end]
            pre = t[max(s, q.start - 200) : q.start - 1]
            pre_s = pre.rstrip()
            full = not pre_s or pre_s[-1] in ",:" or pre_s.endswith(" that") or (pre_s[-1] in CLOSE_MARKS)
            if is_name_like(frag) and not (full and frag.rstrip()[-1:] in ",.!?"):
                continue  # a quoted name or term; but '"No," she said': a word said
            if full and pre_s and pre_s[-1] in ",:" and inside_reported(t, q, attrs):
                full = False  # 'Ryan said it is wrong to think that, if X, "the oceans will save us"'
            if full:
                nxt = marks[qi + 1].start - 1 if qi + 1 < len(marks) else e
                rq = self._full(k, q, attrs, para_idx, nxt)
                if rq is not None and pre_s.endswith(" that") and rq.rule.startswith("marks+attribution"):
                    # 'said that "..."': quoted words as the complement of "that" are reported
                    # speech in the speaker's own words, not a quotation standing for itself
                    rq.direct, rq.rule = False, rq.rule + "+that-clause"
            elif is_title(frag):
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
