"""Direct quotations: attributed after or before, signed by a dash, continuing the one
before, quoted fragments of reported speech, and block quotations."""

from __future__ import annotations

import re

from . import lexicon as L
from .names import FULLNAME_RE
from .records import (
    BE_WORDS,
    CUE_RE,
    DASH_SOURCE_RE,
    NAME_THEN_COMMA_RE,
    Attribution,
    RawQuote,
    quote_from,
    source_right_after,
)
from .reported import (
    CLOSE_MARKS,
)
from .speakers import SKIP, Entity
from .subjects import SubjectReader
from .text import QuoteMarks


class QuotationReader(SubjectReader):
    """Attributes the quotations between marks."""

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
            or source_right_after(self.text, q, after[0])
        ):
            a = after[0]
            rq = quote_from(a, q.start, q.end, True, 0.9, "marks+attribution-after")
        elif after and (named := self._name_then_description(k, q, after[0])) is not None:
            rq = named
        elif (signed := self._dash_source(k, q)) is not None:
            rq = signed
        elif before:
            # the nearest cue before it that has no content of its own ('Asked whether ...,
            # Ann Lee replied: "..."': replied, not asked)
            a = max(before, key=lambda a: (a.content is None, a.end))
            rq = quote_from(a, q.start, q.end, True, 0.85, "marks+attribution-before")
        elif self.text[self.sent_start : q.start - 1].rstrip().endswith(":"):
            # 'Carl Jensen of the Space Agency spoke of the partnership: "It is fun ..."'
            ent, np = self._sentence_subject(k, self.sent_start, q.start)
            lead = self.text[self.sent_start : q.start - 1].rstrip().rstrip(":").strip()
            lead = lead.removeprefix("According to ").removeprefix("according to ")
            if ent is None and len(lead.split()) <= 5 and FULLNAME_RE.fullmatch(lead):
                # "Cecile Rand: ‘We Will Win The Vote’": a headline's name before its colon
                ent, np = self.reg.resolve(lead, self.sent_start, k), lead
                if ent is SKIP:
                    ent = None
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
                rq = quote_from(a, q.start, q.end, True, 0.55, "marks+previous-source")
            elif prev is None or para_idx - self.last_para > 1:
                # nobody before it and no quotation it runs on from: in annotated news four in
                # five of these are titles, slogans, signs or pull quotes, not something said
                return None
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
        rq = quote_from(a, q.start, q.end, True, 0.85, "marks+named-source-described")
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
        rq = quote_from(best, q.start, q.end, True, 0.75, "marks-partial", partial=True)
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
