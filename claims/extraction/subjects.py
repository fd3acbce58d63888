"""Who a cue's speaker is: the subject before the verb, the source after it, or the
sentence's main subject."""

from __future__ import annotations

import re

from . import lexicon as L
from .names import WEEKDAYS, classify, clean_run, norm
from .records import (
    ABBREV_DOT_RE,
    ADJUNCT_OPENERS,
    BASE_NOUNISH_CUES,
    BE_WORDS,
    DETERMINERS,
    LEADING_CONNECTIVE_RE,
    NAMED_PART_RE,
    NOT_PLURAL_S,
    NOUNISH_CUES,
    OPENING_WORDS_RE,
    PLURAL_SUBJECT_WORDS,
    PREPOSITIONS,
    PRONOUN_START_RE,
    SPEAKER_HEADS,
    SUBJECT_WINDOW,
    THE_START_RE,
    TRAILING_ADV_RE,
    WITH_ING_CUES,
    WITH_NP_RE,
    ReaderState,
)
from .reported import (
    CLOSE_MARKS,
    FINITE_RE,
    OPEN_MARKS,
    THAT_AFTER_RE,
)
from .speakers import SKIP, Entity


def plural_subject(word: str) -> bool:
    """Whether `word`, the last before a base-form verb, can be its plural subject."""
    word = word.strip(",;:" + OPEN_MARKS + CLOSE_MARKS)
    if word in PLURAL_SUBJECT_WORDS:
        return True
    return word.endswith("s") and not word.endswith(("'s", "’s", "ss")) and word not in NOT_PLURAL_S


def drop_adjunct(parts: list[str]) -> list[str]:
    """Comma-separated parts before a verb without the adjuncts and relative clauses that end
    them: "Ann Lee, during a visit to Leeds, Yorkshire," and "Ann Lee, who toured Leeds on
    Monday," are Ann Lee's phrases."""
    cut = len(parts)
    for i in range(len(parts) - 1, max(0, len(parts) - 4), -1):
        words = parts[i].split()
        if words and (words[0] in ADJUNCT_OPENERS or words[0] in ("who", "whose")):
            cut = i
    return parts[:cut] if parts[cut - 1].strip() else parts


# A name right after a verb, ending at a comma or a full stop: the source of '..., said Ann Lee.'
NAME_THEN_STOP_RE = re.compile(r"\s+((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]+)\s*[,.]")
NOT_A_SOURCE_AFTER = WEEKDAYS | {"Today", "Yesterday", "Tonight"}
# After a participle clause opening the sentence, the main clause's subject and verb.
MAIN_SUBJECT_RE = re.compile(
    r",\s*((?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*|the\s+[a-z]+|(?:he|she|they))\s+(?:[a-z]+ly\s+)?(?:said|told|[a-z]+(?:ed|s))\b"
)
# A description after a verb, then its name: "his best friend at Lehigh, Bruce Turry".
DESCRIPTION_THEN_NAME_RE = re.compile(
    r"(?:the|his|her|their|a|an|one)\b[^,]{0,60},\s+((?:[A-Z][\w'’·-]*\s+){0,3}[A-Z][\w'’-]+)\s*(?:,|$)"
)
# The name a relative "who" refers back to: "..., Councillor Amy Pike, who"
RELATIVE_ANTECEDENT_RE = re.compile(
    r"(?<![\w'’-])((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w'’-]+|(?<=,\s)the\s+[a-z]+(?:\s+[a-z]+)?),\s*$"
)
# "quoted as saying", "quoted by the Lusa news agency as saying" (who quoted: a channel)
QUOTED_AS_RE = re.compile(r"\s*\bquoted(\s+by\s+[^,.;:\"“”]{1,60}?)?\s+as\s*$")
SUBJECT_SPLIT_RE = re.compile(
    r"[,;:]|\band\b|\bbut\b|\b(?:after|before|because|although|though|until|unless|whereas)\s+(?=[a-z])"
)
SURNAME_RE = re.compile(r"[A-Z][\w'’-]+")
# A body's name holding "and", ending the phrase before a verb
ORG_WITH_AND_RE = re.compile(
    r"((?:[A-Z][\w.'’-]*\s+)+(?:(?:of|for|the)\s+)+(?:[A-Z][\w.'’-]*\s+)*and\s+(?:[A-Z][\w'’-]*\s+)*[A-Z][\w'’-]+)\s*$"
)
PROGRESSIVE_RE = re.compile(r"\b(?:is|are|was|were|been)\s+$")
# An aside between dashes closing the phrase before a verb.
DASH_ASIDE_RE = re.compile(r"\s+[—–]\s[^—–]{1,120}\s[—–]$|\s+--\s.{1,120}?\s--$")
# A subject pronoun ending the phrase before a verb, with at most three adverbs or
# auxiliaries between them ("she has never", "he’s not"), but no verb phrase ("if she won").
PRONOUN_SUBJECT_RE = re.compile(
    r"(?:^|(?<=\s)|(?<=[”\"’]))(he|she|they|He|She|They)(?:['’]s)?"
    r"((?:\s+(?:[a-z]+ly|also|later|then|never|not|has|have|had|would|will|did|does|do|once|again|"
    r"first|finally|still|now|previously|often|since|already|even|ever|just|soon))){0,3}$"
)


def drop_trailing_adverbs(seg: str) -> str:
    """``TRAILING_ADV_RE.sub("", seg)``, tried only after the last comma, full stop,
    semicolon or colon: its words and spaces hold none of them and its match runs to the
    end, so it cannot start earlier (and a 300-character window costs a short tail)."""
    after = max(seg.rfind(","), seg.rfind("."), seg.rfind(";"), seg.rfind(":")) + 1
    m = TRAILING_ADV_RE.search(seg, after)
    return seg[: m.start()] + seg[m.end() :] if m else seg


class SubjectReader(ReaderState):
    """Reads who a cue's speaker is."""

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
        for a in self.cur_attrs:
            if a.np and a.start < before:
                return None, a.np  # "Other aides urged ..., saying ...": said by them, unnamed
        m = OPENING_WORDS_RE.match(self.text, s, before)
        words = m.group(1).split() if m else []
        for i in range(len(words) - 1):
            # "Local groups welcomed the vote but said ...": an unnamed subject, then its verb
            if words[i] in SPEAKER_HEADS or words[i].removesuffix("s") in SPEAKER_HEADS:
                if FINITE_RE.fullmatch(words[i + 1]):
                    return None, " ".join(words[: i + 1])
                break
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
        progressive = cue.endswith("ing") and bool(PROGRESSIVE_RE.search(self.text, max(s, cue_start - 6), cue_start))
        if raw and raw[-1] == "to" and (len(raw) < 2 or raw[-2] != "on"):
            if cue in L.SPEECH_VERBS:
                return None, "", False
            ent, np = self._sentence_subject(k, s, cue_start)
            return ent, np, bool(np)
        window = max(s, cue_start - 90)
        quoted_as = (
            self.text.find("quoted", window, cue_start) >= 0
            and QUOTED_AS_RE.search(self.text, window, cue_start) is not None
        )
        if (
            cue.endswith("ing")
            and not self.text[s:cue_start].rstrip().rstrip(CLOSE_MARKS).endswith(",")
            and not quoted_as
            and not progressive
        ):
            m = WITH_NP_RE.search(self.text, s, cue_start) if cue in WITH_ING_CUES else None
            ent = self.reg.resolve(m.group(1), m.start(1), k) if m else None
            if m is None or ent is None or ent is SKIP:
                return None, "", False
            self.np_start = m.start(1)  # "..., with senior official Li Wei saying ..."
            return ent, m.group(1), True
        seg = self.text[s:cue_start]
        if seg.strip() == "Having":
            # "Having noted that ..., Allen Marsh said": the main clause's subject
            m = MAIN_SUBJECT_RE.search(self.text, cue_start, min(len(self.text), cue_start + 300))
            if m is None or re.search(r"[.;!?]\s", self.text[cue_start : m.start()]):
                return None, "", False
            self.np_start = m.start(1)
            return self.reg.resolve(m.group(1), m.start(1), k), m.group(1), True
        by = QUOTED_AS_RE.search(seg, max(0, len(seg) - 90)) if quoted_as else None
        if by is not None and by.group(1):
            seg = seg[: by.start()] + " quoted as"  # "He was quoted by the Lusa agency as saying": he
        seg = drop_trailing_adverbs(seg.rstrip())
        aside = DASH_ASIDE_RE.search(seg)
        if aside:
            seg = seg[: aside.start()]  # "Joyce Vane — a lawyer in Ohio — told": Joyce Vane's verb
        last = seg.split()[-1].lower() if seg.split() else ""
        if progressive and last in ("is", "are", "was", "were") and len(seg.split()) > 1:
            seg = seg.rstrip()[: -len(last)].rstrip()  # "The senator is telling reporters": progressive
            last = seg.split()[-1].lower()
        if last in BE_WORDS or last in PREPOSITIONS or last in ("not", "n't") or seg.endswith("n't"):
            return None, "", False
        if cue.endswith("ing") and seg.rstrip().rstrip(CLOSE_MARKS).endswith(","):
            ent, np = self._sentence_subject(k, s, cue_start)  # 'praised it as "fine," saying ...'
            return ent, np, bool(np)
        inverted = not seg.strip() or seg.rstrip()[-1:] in ",:" + CLOSE_MARKS
        named_after = NAME_THEN_STOP_RE.match(self.text, cue_start + len(cue))
        if named_after and (named_after.group(1) in NOT_A_SOURCE_AFTER or not FINITE_RE.search(seg[-120:])):
            named_after = None  # "Ann Lee, the owner, said Tom Reed ...": no clause before, her verb
        if inverted and (not seg.rstrip().endswith(",") or self._after_quote(seg) or named_after):
            # '..., said Dan Varga, an analyst': the source follows its verb
            self.inverted = True
            return self._np_after(k, cue_start + len(cue))
        if cue in BASE_NOUNISH_CUES and not plural_subject(last):
            return None, "", False  # "a Democratic state, supporting ...": a noun
        if cue.endswith("ing") and not progressive and not quoted_as or last in ("and", "but"):
            ent, np = self._sentence_subject(k, s, cue_start)
            return ent, np, bool(np)
        if seg.rstrip().endswith(","):
            parts = drop_adjunct(seg.rstrip().rstrip(",").split(","))
            seg = ",".join(parts)  # the phrase ends at its comma, or where the adjunct began
            # "Ann Lee, the CEO," / "One senator, Rafael Ortiz,"
            # "Jill Chase, 27, a nurse in Ohio,": the apposition may run over several commas
            take = 2
            while take < min(4, len(parts)) and not self._named_part(parts[-take].strip()):
                take += 1
            if take > len(parts) or not self._named_part(parts[-take].strip()):
                take = 2
            np = ", ".join(" ".join(p.strip(" " + OPEN_MARKS + CLOSE_MARKS).split()[-10:]) for p in parts[-take:])
        else:
            # "... resigned after a newspaper reported": the subject follows the subordinator
            np = SUBJECT_SPLIT_RE.split(seg)[-1]
            body = ORG_WITH_AND_RE.search(seg) if " and " in seg else None
            if body is not None and classify(clean_run(body.group(1))[0]) == "organisation":
                np = body.group(1)  # "The Centers for Disease Control and Prevention has said"
            np = " ".join(np.strip(" " + OPEN_MARKS + CLOSE_MARKS).split()[-10:])
        if not np:
            return None, "", False
        self.np_start = s + len(seg) - len(np)
        opener = np.split()[0]
        if opener in ("which", "that", "whom") and " " in np:
            # "the levy, which an audit said was badly drafted": the audit says it
            self.np_start += len(np) - len(np[len(opener) :].lstrip())
            np = np[len(opener) :].lstrip()
        elif opener == "who" and np == "who" and (ante := RELATIVE_ANTECEDENT_RE.search(seg[:-3])) is not None:
            # "Councillor Amy Pike, who said the council would meet": she said it
            np, self.np_start = ante.group(1), s + ante.start(1)
            ent = self.reg.resolve(np, self.np_start, k)
            return (None if ent is SKIP else ent), np, ent is not SKIP
        elif opener in ("which", "who", "that", "what", "where", "whom"):
            return None, "", False
        lead = LEADING_CONNECTIVE_RE.match(np)
        if lead and lead.end() < len(np):
            self.np_start += lead.end()  # "And he wants ...", "Although she said ...": the subject follows
            np = np[lead.end() :]
        who = np.find(" who")
        if (
            who > 0
            and (np.endswith(" who") or np.startswith(" who ", who))
            and np[:who].split()[-1].lower() in SPEAKER_HEADS
        ):
            np = np[:who]  # "Lawmakers who wrote the bill said ...": the lawmakers said it
        pronoun = PRONOUN_SUBJECT_RE.search(np)
        if pronoun is not None and " " in np:
            # "... in Washington D.C. He recalled", '"... right?" he asked', "as she later
            # wrote", "he barely said": a subject pronoun next to its verb is the subject,
            # not the words a full stop, a quotation or a connective left before it
            self.np_start += pronoun.start(1)
            np = pronoun.group(1)
        ent = self.reg.resolve(np, self.np_start, k)
        if ent is None and cue not in L.SPEECH_VERBS and np[:1].islower() and np.split()[0] not in L.PRONOUNS_PERSON:
            low = np.lower().split()
            if not (low[-1] in L.ANONYMOUS_HEADS or low[0] in ("a", "an", "one", "some")):
                ent2, np2 = self._sentence_subject(k, s, cue_start)
                if ent2 is not None:
                    return ent2, np2, True
        return ent, np, True

    def _named_part(self, part: str) -> bool:
        """A name opening a subject and its apposition: "Eva Kral", or a surname already
        known ("Kral, 48, a former economist, ...")."""
        if NAMED_PART_RE.match(part):
            return True
        return bool(SURNAME_RE.fullmatch(part)) and norm(part) in self.reg.by_key

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
        named = DESCRIPTION_THEN_NAME_RE.match(m.group(1)) if np[:1].islower() else None
        if named:  # '..., said his best friend at Lehigh, Bruce Turry.': the name
            np, self.np_start = named.group(1), pos + m.start(1) + named.start(1)
        ent = self.reg.resolve(np, pos, k)
        return ent, np, True

    # -- the sentence --------------------------------------------------------------
