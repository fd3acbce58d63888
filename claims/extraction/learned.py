"""Attributions the learned decisions add: cues the rules do not know, titles that
attribute, contents cut where the content-end decision says, sources set off by commas."""

from __future__ import annotations

import re

from . import lexicon as L
from .attribution import clause_like, content_span, cue_candidates, cue_features
from .content_end import boundaries
from .quotations import QuotationReader
from .records import (
    BE_WORDS,
    HEADLINE_COLON_RE,
    HEADLINE_VERB_RE,
    MAX_PER_SENTENCE,
    NEGATORS,
    NOT_AFTER_INTERRUPTION,
    QUOTE_THEN_SOURCE_RE,
    QUOTE_THEN_SOURCE_REACH,
    QUOTE_THEN_VERB_RE,
    Attribution,
    mostly_quoted,
    opens_adjunct,
    quotation_then_subject,
)
from .reported import (
    AUX_START,
    FINITE_RE,
    OPEN_MARKS,
    TEMPORAL_RE,
    THAT_AFTER_RE,
    WRITE_CUES,
    WROTE_DOCUMENT_RE,
    aside_start,
    relative_clause_end,
)
from .speakers import SKIP
from .subjects import MAIN_SUBJECT_RE
from .text import QuoteMarks

# "Voters appear to ...", "The bill is expected to ...": a judgement nobody is named for,
# whose content PolNeAR gives in two pieces, the subject and the complement
RAISING_RE = re.compile(
    r"\b(?:appears?|appeared|seems?|seemed|(?:is|are|was|were|be) expected)\s+(?=(?:to|like|likely|poised|ready)\b)"
)
COMPLEMENT_END_RE = re.compile(
    r"[.;:!?\n]|, (?:and|but|as|while|which|who|where|when|after|before|because|although|though|despite)\b"
    r"|,(?= [a-z]+ing\b)|(?<=\w),(?= [A-Z])"
)
SUBJECT_START_RE = re.compile(r"(?:[.;:!?\n\"“”]|,)\s*")
# what opens a second verb phrase before a cue: "... and also hinted", "... before explaining"
# What may stand before a participle opening the sentence: "In addition to stating ...,".
PARTICIPLE_OPENERS = frozenset(
    [
        "",
        "having",
        "in addition to",
        "after",
        "before",
        "while",
        "despite",
        "besides",
        "by",
        "since",
        "without",
        "when",
        "in",
    ]
)
# Whom a speech verb addresses, then a colon and the quotation: 'told the paper: "..."'
COLON_THEN_QUOTE_RE = re.compile(r"[^,.;:!?\"“”]{0,60}:\s*[\"“‘'«]")
# A cue word opening a title before a name: "Opposition Congress party leader Rahul Mehra"
TITLE_THEN_NAME_RE = re.compile(r"(?:\s+[A-Za-z][\w-]*){0,2}?\s+([a-z]+)\s+[A-Z][\w'’-]+\s+[A-Z]")
# Cue words that with the next word make a noun: "think tank"
COMPOUND_NOUNS = {"think": re.compile(r"\s+tanks?\b")}
NEXT_WORD_RE = re.compile(r"\s+(\w+)")
ATTRIBUTIVE_BEFORE_RE = re.compile(r"(?:\b(?:the|a|an|his|her|its|their|our|my|your)|\w['’]s)\s+$", re.IGNORECASE)
# The cue's clause is relative, set off by a comma: its content ends at the next comma.
RELATIVE_BEFORE_RE = re.compile(r",\s+(?:who|which)\b[^,.;:!?\"“”]*$")
NEW_PHRASE_RE = re.compile(r",?\s+(?:and|but|before|after|while|then)(?:\s+(?:also|then|later|again|even))?\s+$")


class LearnedReader(QuotationReader):
    """Adds what the learned decisions find to a sentence's attributions."""

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
            if a0 in ruled:
                continue
            inside_of = next((i for i, (c0, c1) in enumerate(covered) if c0 <= a0 < c1), None)
            cut_at = -1
            if inside_of is not None:
                # 'went on a rant about X and also hinted she might Y': a learned content running
                # into a second verb phrase ends before it, and the second verb may be a cue
                owner = next((a for a in attrs if a.content == covered[inside_of]), None)
                m = NEW_PHRASE_RE.search(t, max(s, a0 - 30), a0)
                if owner is None or not owner.rule.startswith("cue-model+content-after") or m is None:
                    continue
                cut_at = m.start()
            if word in L.SPEECH_VERBS and (
                QUOTE_THEN_SOURCE_RE.search(t, max(s, a0 - QUOTE_THEN_SOURCE_REACH), a0)
                or not word.endswith("ing")
                and QUOTE_THEN_VERB_RE.search(t, max(s, a0 - 8), a0)
            ):
                continue  # '"...," Ann Lee said in a film', '"...," said Ann Lee': the quotation is the content
            if word in COMPOUND_NOUNS and COMPOUND_NOUNS[word].match(t, b0, e):
                continue  # "the think tank": a noun, not a belief
            if word.endswith("ed") and ATTRIBUTIVE_BEFORE_RE.search(t, max(s, a0 - 12), a0):
                continue  # "her reported net worth", "the stated goal": an adjective, not a cue
            nxt = NEXT_WORD_RE.match(t, b0, e)
            if nxt and nxt.group(1).lower() in L.SPEECH_VERBS:
                continue  # "has repeatedly said ...": the verb is the cue, not the adverb
            if word not in L.SPEECH_VERBS and self._title_before_name(a0, b0, e, word, nxt):
                continue  # "Opposition leader Eva Kral", "Consumer advocate Ed Ross": a title, not a cue
            if model.probability(cue_features(t, s, e, a0, b0, has_marks, context)) < model.threshold:
                continue
            accepted += 1
            if cut_at >= 0 and inside_of is not None:
                c0, _ = covered[inside_of]
                for a in attrs:
                    if a.content == covered[inside_of]:
                        a.content = (c0, cut_at)
                covered[inside_of] = (c0, cut_at)
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
            if (
                ent is None
                and word.endswith("ing")
                and rule == "content-after-cue"
                and t[s:a0].strip().lower() in PARTICIPLE_OPENERS
            ):
                m = MAIN_SUBJECT_RE.search(t, cs, min(e, ce + 1))
                if m:  # "Noting that the pier is old, Ann Lee said ...": the main clause's subject
                    ent, np, np_start = self.reg.resolve(m.group(1), m.start(1), k), m.group(1), m.start(1)
                    ce = m.start()
                    if ent is SKIP:
                        ent = None
            if rule == "content-after-cue" and RELATIVE_BEFORE_RE.search(t, max(s, a0 - 80), a0):
                ce = relative_clause_end(t, cs, ce)  # "Ann Lee, who said the plan was weak, resigned"
            if rule == "content-before-inverted-source":
                if word not in L.SPEECH_VERBS:
                    continue  # "Ann Lee, the owner, criticized the plan": only speech inverts its source
                ent, np, _ = self._np_after(k, b0)  # '..., said the mayor.'
                np_start, inverted = self.np_start, True
                if ent is SKIP:
                    ent = None
            if ce - cs < 8 or " " not in t[cs : cs + 40].strip() or mostly_quoted(cs, ce, marks):
                continue  # a quotation: the rules read it with its marks
            if t[cs] in ")]":
                continue  # "(as low as 12%, Ortega says) hurt ...": the aside closes; it reports what is in it
            if word in L.SPEECH_VERBS and (
                COLON_THEN_QUOTE_RE.match(t, cs, min(ce + 2, e)) or COLON_THEN_QUOTE_RE.match(t, b0, e)
            ):
                continue  # 'told the paper: "I have lost everything."': the quotation is what was said
            if rule.startswith("content-before") and quotation_then_subject(t, cs, ce, marks):
                continue  # '"...," the owner, Ann Lee, told the paper': her quotation, read with its marks
            if rule == "content-after-cue" and word in L.SPEECH_VERBS and opens_adjunct(t, cs, ce):
                continue  # '"...," Ann Lee said in an interview': where it was said, not what
            if word in L.BELIEF_VERBS:
                kind = "belief"
            elif (
                (word in L.SPEECH_VERBS or word == "according")
                and self._speech_content(a0, b0, cs, ce, rule)
                and not (word in WRITE_CUES and WROTE_DOCUMENT_RE.match(t, cs, ce))
            ):
                kind = "speech"  # not "who wrote the bill were critical": a document written
            else:
                kind = "other"  # an intention, evidence, a noun object: PolNeAR's, not our rules' quotes
            if rule == "content-before-source" and kind != "speech":
                continue  # "..., the group endorsed.": only speech puts its content before its source
            a = Attribution(cue, a0, b0, ent, np, (cs, ce), np_start, inverted, f"cue-model+{rule}", kind)
            attrs.append(a)
            covered.append((cs, ce))

    def _title_before_name(self, a0: int, b0: int, e: int, word: str, nxt: re.Match[str] | None) -> bool:
        """Is the cue word text[a0:b0] part of a title before a name: a word before a role
        noun, a role noun before a name, or a capitalised word opening "Congress party
        leader Rahul Mehra"?"""
        following = nxt.group(1) if nxt else ""
        if following.lower() in L.PERSON_ROLE_NOUNS or word in L.PERSON_ROLE_NOUNS and following[:1].isupper():
            return True
        titled = TITLE_THEN_NAME_RE.match(self.text, b0, e) if self.text[a0].isupper() else None
        return titled is not None and titled.group(1).lower() in L.PERSON_ROLE_NOUNS

    def _raising(self, s: int, e: int, attrs: list[Attribution]) -> list[Attribution]:
        """'Voters appear to back a winner': the subject and the complement of a raising
        verb, each a piece of one attribution with no source, where no other attribution's
        content lies. Kept apart from ``attrs``: no quotation is attributed by them."""
        t = self.text
        if t.find("appear", s, e) < 0 and t.find("seem", s, e) < 0 and t.find("expected", s, e) < 0:
            return []  # every RAISING_RE match holds one of these: most sentences skip the scan
        taken = [a.content for a in attrs if a.content]
        found: list[Attribution] = []
        for m in RAISING_RE.finditer(t, s, e):
            a0, b0 = m.start(), m.end()
            stop = COMPLEMENT_END_RE.search(t, b0, e)
            starts = list(SUBJECT_START_RE.finditer(t, max(s, a0 - 200), a0))
            subject_start = starts[-1].end() if starts else max(s, a0 - 200)
            subject_end = subject_start + len(t[subject_start:a0].rstrip())
            pieces = [(b0, stop.start() if stop else e)]
            if t[subject_start:subject_end].split()[:1] not in ([], ["It"], ["it"]):
                pieces.append((subject_start, subject_end))  # "It seems ...": no subject
            cue = m.group(0).strip()
            for cs, ce in pieces:
                if ce - cs < 2 or any(cs < c1 and c0 < ce for c0, c1 in taken):
                    continue
                found.append(Attribution(cue, a0, a0 + len(cue), None, "", (cs, ce), rule="raising-verb", kind="other"))
                taken.append((cs, ce))
        return found

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
        if len(t[cs:ce].split()) < 2 or mostly_quoted(cs, ce, marks):
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
        start, end = aside_start(t, s, a.np_start), a.np_start - 2
        while end > start and t[end - 1] in " ,":
            end -= 1
        if len(t[start:end].split()) < 2 or mostly_quoted(start, end, marks) or any(c in t[start:end] for c in ";:"):
            return None  # "However, she added, ...": a connective is no content
        rest = comma + 1
        while rest < e and t[rest] == " ":
            rest += 1
        stop = e
        while stop > rest and t[stop - 1] in " .!?":
            stop -= 1
        quoted = rest >= e or t[rest] in OPEN_MARKS or mostly_quoted(rest, stop, marks)
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
